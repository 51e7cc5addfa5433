import { readFile, writeFile } from 'node:fs/promises';
import type { RecordedExchange } from '../../test/stand-ins/replay-model-server.ts';

type JsonObject = Record<string, unknown>;

/**
 * The scenario file's JSON with the exchanges of every recorded step replaced, and everything else (wording,
 * expectations, key order) as the author wrote it. `recorded[i]` undefined leaves step i as it was.
 */
export function withRecordedExchanges(raw: unknown, recorded: Array<RecordedExchange[] | undefined>): JsonObject {
  const scenario = raw as JsonObject;
  if (!Array.isArray(scenario.steps)) throw new Error('The scenario has no steps array to record into.');
  if (recorded.length > scenario.steps.length) {
    throw new Error(`Recorded ${recorded.length} steps but the scenario has ${scenario.steps.length}.`);
  }
  const steps = (scenario.steps as JsonObject[]).map((step, index) => {
    const exchanges = recorded[index];
    return exchanges === undefined ? step : replaceExchanges(step, exchanges);
  });
  return { ...scenario, steps };
}

/** Exchanges stay where they were; a step that had none gets them just before its expectations. */
function replaceExchanges(step: JsonObject, exchanges: RecordedExchange[]): JsonObject {
  if ('exchanges' in step) return Object.fromEntries(Object.entries(step).map(([key, value]) => [key, key === 'exchanges' ? exchanges : value]));
  const entries = Object.entries(step);
  const at = entries.findIndex(([key]) => key === 'expect');
  entries.splice(at < 0 ? entries.length : at, 0, ['exchanges', exchanges]);
  return Object.fromEntries(entries);
}

export async function writeRecordedScenario(path: string, recorded: Array<RecordedExchange[] | undefined>): Promise<void> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as unknown;
  await writeFile(path, `${JSON.stringify(withRecordedExchanges(raw, recorded), null, 2)}\n`);
}
