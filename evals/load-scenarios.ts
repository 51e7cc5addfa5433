import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { scenarioSchema, type Scenario } from './scenario-schema.ts';

const SCENARIO_DIR = join(import.meta.dirname, 'scenarios');

export interface ScenarioFile {
  path: string;
  scenario: Scenario;
}

/** The scenarios named in `only` (all when empty), by file name; a malformed file fails the load, naming file and field. */
export async function loadScenarios(only: string[] = []): Promise<ScenarioFile[]> {
  const names = (await readdir(SCENARIO_DIR)).filter((name) => name.endsWith('.json')).sort();
  const files = await Promise.all(names.map((name) => loadScenario(join(SCENARIO_DIR, name))));
  const unknown = only.filter((name) => !files.some((file) => file.scenario.name === name));
  if (unknown.length > 0) throw new Error(`No scenario named ${unknown.join(', ')} in ${SCENARIO_DIR}.`);
  return only.length === 0 ? files : files.filter((file) => only.includes(file.scenario.name));
}

export async function loadScenario(path: string): Promise<ScenarioFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${basename(path)}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`${basename(path)}: ${issues}`);
  }
  const expected = basename(path, '.json');
  if (parsed.data.name !== expected) throw new Error(`${basename(path)}: name "${parsed.data.name}" must match the file name "${expected}".`);
  return { path, scenario: parsed.data };
}
