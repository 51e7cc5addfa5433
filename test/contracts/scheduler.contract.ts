import { beforeEach, describe, expect, it } from 'vitest';
import { moveChatJobs } from '../../tools/job-move.ts';
import type { NewJob, Scheduler } from '../../tools/ports/scheduler.ts';
import { useHarness, type Harness } from './harness.ts';

const chat = { chatId: 42, userId: '7' };

export const sampleJobs = {
  daily: { name: 'standup', prompt: 'Ask me about my day', schedule: { kind: 'cron', expression: '0 9 * * 1-5', display: 'cron 0 9 * * 1-5' }, delivery: chat },
  every: { name: 'water', prompt: 'Remind me to drink water', schedule: { kind: 'interval', minutes: 30, display: 'every 30m' }, repeat: 2, delivery: chat },
  once: { name: 'tea', prompt: 'Tea is ready', schedule: { kind: 'once', at: '2099-01-01T10:00:00.000Z', display: 'once at 2099-01-01T10:00' }, repeat: 1, delivery: chat },
} satisfies Record<string, NewJob>;

/** Every Scheduler adapter must pass this suite; firing itself is adapter-specific and tested next to each adapter. */
export function schedulerContract(name: string, setup: () => Promise<Harness<Scheduler>>): void {
  describe(`Scheduler contract: ${name}`, () => {
    const current = useHarness(setup);
    let scheduler: Scheduler;
    beforeEach(() => {
      scheduler = current();
    });

    it('creates a job with an id that is a valid EventBridge schedule name', async () => {
      const job = await scheduler.create(sampleJobs.daily);
      expect(job.id).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
      expect(job).toMatchObject({ name: 'standup', prompt: 'Ask me about my day', state: 'scheduled', completedRuns: 0, delivery: chat });
      expect(await scheduler.get(job.id)).toMatchObject({ id: job.id, schedule: sampleJobs.daily.schedule });
    });

    it('creates one job per idempotency key, however often the create is repeated', async () => {
      const first = await scheduler.create({ ...sampleJobs.daily, idempotencyKey: 'tg:42:turn-1:cronjob:0' });
      const again = await scheduler.create({ ...sampleJobs.daily, idempotencyKey: 'tg:42:turn-1:cronjob:0' });
      const other = await scheduler.create({ ...sampleJobs.daily, idempotencyKey: 'tg:42:turn-1:cronjob:1' });
      expect(again.id).toBe(first.id);
      expect(other.id).not.toBe(first.id);
      expect(first.id).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
      expect((await scheduler.list(42)).map((job) => job.id).sort()).toEqual([first.id, other.id].sort());
    });

    it('lists jobs per chat and per topic', async () => {
      const a = await scheduler.create(sampleJobs.daily);
      await scheduler.create({ ...sampleJobs.every, delivery: { chatId: 43, userId: '7' } });
      const topic = await scheduler.create({ ...sampleJobs.once, delivery: { chatId: 42, threadId: 5, userId: '7' } });
      expect((await scheduler.list(42)).map((j) => j.id).sort()).toEqual([a.id, topic.id].sort());
      expect((await scheduler.list(42, 5)).map((j) => j.id)).toEqual([topic.id]);
      expect(await scheduler.list(99)).toEqual([]);
    });

    it('updates prompt, name and schedule', async () => {
      const job = await scheduler.create(sampleJobs.daily);
      const schedule = { kind: 'interval' as const, minutes: 60, display: 'every 1h' };
      const updated = await scheduler.update(job.id, { prompt: 'New prompt', name: 'renamed', schedule });
      expect(updated).toMatchObject({ prompt: 'New prompt', name: 'renamed', schedule });
      expect(await scheduler.get(job.id)).toMatchObject({ prompt: 'New prompt', schedule });
    });

    it('creates a job paused when asked, so it never fires before it is resumed', async () => {
      const job = await scheduler.create({ ...sampleJobs.daily, state: 'paused' });
      expect(job.state).toBe('paused');
      expect((await scheduler.get(job.id))?.state).toBe('paused');
    });

    it('pauses and resumes', async () => {
      const job = await scheduler.create(sampleJobs.daily);
      expect((await scheduler.pause(job.id)).state).toBe('paused');
      expect((await scheduler.get(job.id))?.state).toBe('paused');
      expect((await scheduler.resume(job.id)).state).toBe('scheduled');
    });

    it('removes a job', async () => {
      const job = await scheduler.create(sampleJobs.daily);
      await scheduler.remove(job.id);
      expect(await scheduler.get(job.id)).toBeUndefined();
      expect(await scheduler.list(42)).toEqual([]);
    });

    it("moves a group's jobs to the id it has as a supergroup, with their runs left and pauses, once however often the move is repeated", async () => {
      const group = { chatId: -4_001, userId: '7' };
      const daily = await scheduler.create({ ...sampleJobs.daily, delivery: group });
      const every = await scheduler.create({ ...sampleJobs.every, delivery: group });
      await scheduler.recordRun(every.id, '2026-01-05T10:30:00.000Z');
      await scheduler.pause(daily.id);
      const spent = await scheduler.create({ ...sampleJobs.once, schedule: { ...sampleJobs.once.schedule, at: '2026-01-01T10:00:00.000Z' }, delivery: group });
      const move = { from: -4_001, to: -1_004_001, now: new Date('2026-01-05T11:00:00.000Z') };
      const moved = await moveChatJobs(scheduler, move);
      expect(await moveChatJobs(scheduler, move)).toEqual([]);
      const there = await scheduler.list(-1_004_001);
      expect(there.map((job) => job.id).sort()).toEqual(moved.map((job) => job.id).sort());
      expect(there.map(({ name, prompt, schedule, repeat, state, delivery }) => ({ name, prompt, schedule, repeat, state, delivery })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'standup', prompt: 'Ask me about my day', schedule: sampleJobs.daily.schedule, repeat: undefined, state: 'paused', delivery: { ...group, chatId: -1_004_001 } },
        { name: 'water', prompt: 'Remind me to drink water', schedule: sampleJobs.every.schedule, repeat: 1, state: 'scheduled', delivery: { ...group, chatId: -1_004_001 } },
      ]);
      // A one-time job already past has nothing left to run, so it stays behind.
      expect((await scheduler.list(-4_001)).map((job) => job.id)).toEqual([spent.id]);
    });

    it('rejects actions on unknown jobs with a clear error', async () => {
      await expect(scheduler.pause('hermes-p42-nothere')).rejects.toThrow(/hermes-p42-nothere/);
      await expect(scheduler.remove('hermes-p42-nothere')).rejects.toThrow(/hermes-p42-nothere/);
      await expect(scheduler.runNow('hermes-p42-nothere')).rejects.toThrow(/hermes-p42-nothere/);
      expect(await scheduler.get('hermes-p42-nothere')).toBeUndefined();
    });

    it('counts runs and retires a job when its repeats are used up', async () => {
      const job = await scheduler.create(sampleJobs.every);
      await scheduler.recordRun(job.id, '2026-01-01T00:30:00.000Z');
      expect(await scheduler.get(job.id)).toMatchObject({ completedRuns: 1, lastRunAt: '2026-01-01T00:30:00.000Z' });
      await scheduler.recordRun(job.id, '2026-01-01T01:00:00.000Z');
      expect(await scheduler.get(job.id)).toBeUndefined();
    });

    it('retires a one-shot job after its run', async () => {
      const job = await scheduler.create(sampleJobs.once);
      await scheduler.recordRun(job.id, '2099-01-01T10:00:00.000Z');
      expect(await scheduler.get(job.id)).toBeUndefined();
    });

    it('accepts run-now for an existing job', async () => {
      const job = await scheduler.create(sampleJobs.daily);
      await expect(scheduler.runNow(job.id)).resolves.toBeUndefined();
    });
  });
}
