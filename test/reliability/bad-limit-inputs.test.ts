import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolExecutionOptions } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../agent/config.ts';
import { ConfigError } from '../../tools/errors.ts';
import { FileMemoryStore } from '../../agent/local/file-memory-store.ts';
import { FileSkillStore } from '../../agent/local/file-skill-store.ts';
import { LocalScheduler } from '../../agent/local/local-scheduler.ts';
import { createTools } from '../../tools/index.ts';
import { SkillLibrary } from '../../tools/skill-library.ts';
import { DEFAULT_SPEND_LIMITS } from '../../tools/spend-limits.ts';
import type { ToolDeps } from '../../tools/tool-context.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { expand } from './helpers/bad-inputs.ts';

interface ToolCase {
  name: string;
  tool: 'memory' | 'skill_manage' | 'cronjob';
  args: Record<string, unknown>;
  error: string;
  user?: string;
  origin?: 'chat' | 'cron';
}

interface LimitInputs {
  injections: ToolCase[];
  limits: ToolCase[];
  configs: Array<{ name: string; variable: string; value: string }>;
}

const inputs = JSON.parse(readFileSync(new URL('./fixtures/limit-inputs.json', import.meta.url), 'utf8')) as LimitInputs;
const NOW = new Date('2026-01-15T10:00:00.000Z');
const DELIVERY = { chatId: 1001, userId: 'user-1' };
const SEEDED: Record<string, string> = {
  'demo/SKILL.md': '---\nname: demo\ndescription: A skill the cases aim at.\n---\nSay hello.\n',
  'demo/references/notes.md': 'notes',
};
const callOptions: ToolExecutionOptions<Record<string, unknown>> = { toolCallId: 'bad-input', messages: [], context: {} };

let home: { path: string; remove: () => Promise<void> };
let deps: ToolDeps;
let skillStore: FileSkillStore;
let memory: FileMemoryStore;
let scheduler: LocalScheduler;

beforeAll(async () => {
  home = await makeTempDir('hermes-bad-limits-');
  skillStore = new FileSkillStore(join(home.path, 'skills'));
  memory = new FileMemoryStore(join(home.path, 'memories'));
  scheduler = new LocalScheduler(home.path, 'UTC', () => NOW);
  for (const [path, content] of Object.entries(SEEDED)) await skillStore.writeFile(path, content);
  deps = {
    skills: new SkillLibrary(skillStore),
    scheduler,
    memory,
    config: { limits: { ...DEFAULT_SPEND_LIMITS, minJobIntervalMinutes: 5 }, skillAdmins: ['user-1'] },
  };
});
afterAll(async () => {
  await scheduler.stop();
  await home.remove();
});

async function run(testCase: ToolCase): Promise<unknown> {
  const userId = testCase.user ?? DELIVERY.userId;
  const tools = createTools(deps, { userId, delivery: { ...DELIVERY, userId }, now: () => NOW, timezone: 'UTC', turnId: `bad:${testCase.name}`, origin: testCase.origin ?? 'chat' });
  const tool: { execute?: (input: never, options: ToolExecutionOptions<Record<string, unknown>>) => unknown } = tools[testCase.tool];
  return tool.execute!(expand(testCase.args) as never, callOptions);
}

describe.each([
  ['injected or hidden text in memory, skill and cron writes', inputs.injections],
  ['actions past a limit or without the right', inputs.limits],
])('%s', (_name, cases) => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_caseName, testCase) => {
    expect(await run(testCase)).toEqual({ success: false, error: expect.stringMatching(new RegExp(testCase.error, 's')) });
  });
});

describe('after every refused write', () => {
  it('stored nothing: no memory, no job, and the skills as they were', async () => {
    expect(await memory.list('user-1', 'memory')).toEqual([]);
    expect(await memory.list('user-1', 'user')).toEqual([]);
    expect(await memory.list('guest', 'memory')).toEqual([]);
    expect(await scheduler.list(DELIVERY.chatId)).toEqual([]);
    expect((await skillStore.listFiles()).sort()).toEqual(Object.keys(SEEDED).sort());
    for (const [path, content] of Object.entries(SEEDED)) expect(await skillStore.readFile(path)).toBe(content);
  });
});

describe('environment values the configuration refuses', () => {
  it.each(inputs.configs.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const load = () => loadConfig({ [testCase.variable]: testCase.value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^${testCase.variable}: `));
  });
});

it('holds at least 100 distinct cases, which with bad-inputs.json make more than 200', () => {
  const names = [...inputs.injections, ...inputs.limits, ...inputs.configs].map((testCase) => testCase.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.length).toBeGreaterThanOrEqual(100);
});
