import { afterEach, describe, expect, it } from 'vitest';
import { ClaimLocks } from '../../tools/claim-locks.ts';
import { MemoryDedupStore } from '../../agent/local/memory-dedup-store.ts';
import { createTools } from '../../tools/index.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { call, makeToolHarness, type ToolHarness } from './harness.ts';

const GROUP = -100_777;
let h: ToolHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

/** Tools over one set of stores with the deployment's locks: turns of two conversations run side by side. */
async function harnessWithLocks(): Promise<ToolHarness> {
  h = await makeToolHarness();
  h.deps.locks = new ClaimLocks(new MemoryDedupStore());
  return h;
}

describe('changes from turns that run side by side', () => {
  it('take the locks the runtime wires in, for the memory of a user saving from two turns at once', async () => {
    const { runtime, cleanup } = await makeLocalRuntime();
    try {
      const turnIn = (chatId: number) => createTools(runtime, { userId: 'u9', delivery: { chatId, userId: 'u9' }, now: () => new Date(), timezone: 'UTC' });
      const saved = await Promise.all([
        call(turnIn(GROUP).memory, { action: 'add', target: 'user', content: 'Prefers tea.' }),
        call(turnIn(9).memory, { action: 'add', target: 'user', content: 'Prefers tea.' }),
      ]);
      expect(saved.map((outcome) => outcome.message).sort()).toEqual(['Already saved.', 'Saved to user.']);
      expect(await runtime.memory.list('u9', 'user')).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it('keep a group at HERMES_MAX_JOBS_PER_CHAT when five members create a job at once', async () => {
    const tools = await harnessWithLocks();
    const owner = tools.toolsFor({ userId: 'm0', delivery: { chatId: GROUP, userId: 'm0' } });
    for (let index = 0; index < 19; index++) expect((await call(owner.cronjob, { action: 'create', prompt: `task ${index}`, schedule: 'every 1h' })).success).toBe(true);
    const members = [1, 2, 3, 4, 5].map((member) => tools.toolsFor({ userId: `m${member}`, delivery: { chatId: GROUP, userId: `m${member}` } }));
    const outcomes = await Promise.all(members.map((member, index) => call(member.cronjob, { action: 'create', prompt: `member ${index}`, schedule: 'every 1h' })));
    expect(outcomes.filter((outcome) => outcome.success)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.success).map((outcome) => outcome.error)).toEqual(Array(4).fill(expect.stringMatching(/HERMES_MAX_JOBS_PER_CHAT=20/)));
    expect(await tools.scheduler.list(GROUP)).toHaveLength(20);
  });

  it("keep a user's memory within its budget, and one copy of a fact, when their group and private turns save at once", async () => {
    const tools = await harnessWithLocks();
    const inGroup = tools.toolsFor({ userId: 'u1', delivery: { chatId: GROUP, userId: 'u1' } });
    const inPrivate = tools.toolsFor({ userId: 'u1', delivery: { chatId: 1, userId: 'u1' } });
    const saved = await Promise.all([
      call(inGroup.memory, { action: 'add', target: 'memory', content: 'A'.repeat(1_200) }),
      call(inPrivate.memory, { action: 'add', target: 'memory', content: 'B'.repeat(1_200) }),
    ]);
    expect(saved.map((outcome) => outcome.success).sort()).toEqual([false, true]);
    expect(await tools.memory.list('u1', 'memory')).toHaveLength(1);
    await Promise.all([call(inGroup.memory, { action: 'add', target: 'user', content: 'Lives in Lisbon.' }), call(inPrivate.memory, { action: 'add', target: 'user', content: 'Lives in Lisbon.' })]);
    expect((await tools.memory.list('u1', 'user')).map((entry) => entry.text)).toEqual(['Lives in Lisbon.']);
  });

  it('keep both of two patches two admins make to one skill at once', async () => {
    const tools = await harnessWithLocks();
    const a = tools.toolsFor({ userId: 'admin-a' });
    const b = tools.toolsFor({ userId: 'admin-b', delivery: { chatId: 2, userId: 'admin-b' } });
    expect((await call(a.skill_manage, { action: 'create', name: 'trip', content: '---\nname: trip\ndescription: Plan a trip.\n---\nStep one.\nStep two.\n' })).success).toBe(true);
    const patched = await Promise.all([
      call(a.skill_manage, { action: 'patch', name: 'trip', old_string: 'Step one.', new_string: 'Step one: book flights.' }),
      call(b.skill_manage, { action: 'patch', name: 'trip', old_string: 'Step two.', new_string: 'Step two: book the hotel.' }),
    ]);
    expect(patched.map((outcome) => outcome.success)).toEqual([true, true]);
    expect(await tools.skillStore.readFile('trip/SKILL.md')).toBe('---\nname: trip\ndescription: Plan a trip.\n---\nStep one: book flights.\nStep two: book the hotel.\n');
  });
});
