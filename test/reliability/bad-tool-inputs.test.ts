import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ToolExecutionOptions } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SkillStore } from '../../agent/aws/s3-skill-store.ts';
import { FileMemoryStore } from '../../agent/local/file-memory-store.ts';
import { FileSkillStore } from '../../agent/local/file-skill-store.ts';
import { LocalScheduler } from '../../agent/local/local-scheduler.ts';
import type { SkillStore } from '../../tools/ports/skill-store.ts';
import { createTools, type HermesTools } from '../../tools/index.ts';
import { SkillLibrary } from '../../tools/skill-library.ts';
import { startS3rver, type S3rverHarness } from '../stand-ins/s3rver.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { badInputs } from './helpers/bad-inputs.ts';

const NOW = new Date('2026-01-15T10:00:00.000Z');
const DELIVERY = { chatId: 1001, userId: 'user-1' };
const SEEDED: Record<string, string> = {
  'demo/SKILL.md': '---\nname: demo\ndescription: A skill the cases aim at.\n---\nSay hello.\n',
  'demo/references/notes.md': 'notes',
  'other/SKILL.md': '---\nname: other\ndescription: A neighbouring skill.\n---\nSay goodbye.\n',
};

type ToolOutcome = { success: boolean; error?: string };
const callOptions: ToolExecutionOptions<Record<string, unknown>> = { toolCallId: 'bad-input', messages: [], context: {} };

/** As the loop runs a tool: execute with the arguments, and read the (non-streamed) result. */
async function callTool(tool: { execute?: (input: never, options: ToolExecutionOptions<Record<string, unknown>>) => unknown }, args: Record<string, unknown>): Promise<ToolOutcome> {
  return (await tool.execute!(args as never, callOptions)) as ToolOutcome;
}

let home: { path: string; remove: () => Promise<void> };
let s3: S3rverHarness;
let scheduler: LocalScheduler;

beforeAll(async () => {
  [home, s3] = await Promise.all([makeTempDir('hermes-bad-tools-'), startS3rver()]);
  scheduler = new LocalScheduler(join(home.path, 'home'), 'UTC', () => NOW);
});
afterAll(async () => {
  await scheduler.stop();
  await Promise.all([s3.close(), home.remove()]);
});

function toolsOver(store: SkillStore): HermesTools {
  const deps = { skills: new SkillLibrary(store), scheduler, memory: new FileMemoryStore(join(home.path, 'home', 'memories')) };
  return createTools(deps, { userId: DELIVERY.userId, delivery: DELIVERY, now: () => NOW, timezone: 'UTC' });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

const skillStores: Array<[string, () => Promise<{ store: SkillStore; everyFile: () => Promise<string[]> }>]> = [
  [
    'S3 (s3rver)',
    async () => {
      const store = new S3SkillStore(s3.s3, s3.bucket, 'skills/');
      const raw = new S3SkillStore(s3.s3, s3.bucket, '');
      return { store, everyFile: () => raw.listFiles() };
    },
  ],
  [
    'local files',
    async () => {
      // The skills root sits two levels down, so a traversal of up to three levels still lands where we can see it.
      const outer = join(home.path, 'outer');
      return { store: new FileSkillStore(join(outer, 'a', 'skills')), everyFile: () => filesUnder(outer) };
    },
  ],
];

describe.each(skillStores)('skill paths through the tools on %s', (_storeName, open) => {
  let tools: HermesTools;
  let everyFile: () => Promise<string[]>;
  let before: string[];

  beforeAll(async () => {
    const opened = await open();
    for (const [path, content] of Object.entries(SEEDED)) await opened.store.writeFile(path, content);
    tools = toolsOver(opened.store);
    everyFile = opened.everyFile;
    before = await everyFile();
  });

  it.each(badInputs.skillPaths.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const outcome = await callTool(tools[testCase.tool], testCase.args);

    expect(outcome).toEqual({ success: false, error: expect.stringMatching(new RegExp(testCase.error)) });
  });

  it('left every stored file where it was, and added none', async () => {
    expect(await everyFile()).toEqual(before);
    expect(before).toHaveLength(Object.keys(SEEDED).length);
  });
});

describe('schedules the cronjob tool must refuse', () => {
  const tools = () => toolsOver(new FileSkillStore(join(home.path, 'home', 'skills')));

  it.each(badInputs.schedules.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const outcome = await callTool(tools().cronjob, { action: 'create', prompt: 'Stretch your legs', schedule: testCase.schedule });

    expect(outcome).toEqual({ success: false, error: expect.stringMatching(new RegExp(testCase.error)) });
  });

  it('created no job for any of them', async () => {
    expect(await scheduler.list(DELIVERY.chatId)).toEqual([]);
  });
});
