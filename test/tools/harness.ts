import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolExecutionOptions } from 'ai';
import { FileMemoryStore } from '../../agent/local/file-memory-store.ts';
import { FileSkillStore } from '../../agent/local/file-skill-store.ts';
import { LocalScheduler } from '../../agent/local/local-scheduler.ts';
import type { Delivery } from '../../tools/ports/scheduler.ts';
import { createTools, type HermesTools } from '../../tools/index.ts';
import { SkillLibrary } from '../../tools/skill-library.ts';
import type { ToolContext, ToolDeps } from '../../tools/tool-context.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';

/** Friday 2026-03-20, 10:00 UTC: a week before the EU switches to summer time. */
export const FIXED_NOW = new Date('2026-03-20T10:00:00.000Z');

/** What every tool hands back: `{ success: true, ...data }` or `{ success: false, error }`. */
export type Outcome = { success: boolean; error?: string } & Record<string, any>;

const callOptions: ToolExecutionOptions<Record<string, unknown>> = { toolCallId: 't1', messages: [], context: {} };

/** Runs a tool the way the agent loop does and returns its (non-streamed) result. */
export async function call<I>(tool: { execute?: (input: I, options: ToolExecutionOptions<Record<string, unknown>>) => unknown }, args: I): Promise<Outcome> {
  const result = await tool.execute!(args, callOptions);
  if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) throw new Error('tool streamed its output');
  return result as Outcome;
}

export interface ToolHarness {
  home: string;
  deps: ToolDeps;
  scheduler: LocalScheduler;
  memory: FileMemoryStore;
  skillStore: FileSkillStore;
  ctx: ToolContext;
  tools: HermesTools;
  /** The shared clock of the scheduler and every context made here. */
  clock: { now: Date; advanceMinutes(minutes: number): void };
  /** Tools for another user/chat over the same stores. */
  toolsFor(who: { userId: string; delivery?: Delivery }): HermesTools;
  cleanup(): Promise<void>;
}

export const CHAT: Delivery = { chatId: 1001, userId: 'user-1' };
export const OTHER_CHAT: Delivery = { chatId: 2002, userId: 'user-2' };

export async function makeToolHarness(timezone = 'UTC'): Promise<ToolHarness> {
  const dir = await makeTempDir('hermes-tools-');
  const clock = {
    now: new Date(FIXED_NOW),
    advanceMinutes(minutes: number) {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
    },
  };
  const scheduler = new LocalScheduler(dir.path, timezone, () => clock.now);
  const memory = new FileMemoryStore(join(dir.path, 'memories'));
  const skillStore = new FileSkillStore(join(dir.path, 'skills'));
  const deps: ToolDeps = { skills: new SkillLibrary(skillStore), scheduler, memory };
  const contextFor = (userId: string, delivery: Delivery): ToolContext => ({ userId, delivery, now: () => clock.now, timezone });
  const ctx = contextFor(CHAT.userId, CHAT);
  return {
    home: dir.path,
    deps,
    scheduler,
    memory,
    skillStore,
    ctx,
    tools: createTools(deps, ctx),
    clock,
    toolsFor: ({ userId, delivery }) => createTools(deps, contextFor(userId, delivery ?? { chatId: CHAT.chatId, userId })),
    cleanup: async () => {
      await scheduler.stop();
      await dir.remove();
    },
  };
}

const FIXTURES = new URL('../fixtures/skills/', import.meta.url);

/** A sample skill file from test/fixtures/skills, e.g. `deploy-checklist/SKILL.md`. */
export function readFixture(path: string): Promise<string> {
  return readFile(new URL(path, FIXTURES), 'utf8');
}
