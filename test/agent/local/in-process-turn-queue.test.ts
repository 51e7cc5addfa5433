import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileQueueJournal } from '../../../agent/local/file-queue-journal.ts';
import { InProcessTurnQueue } from '../../../agent/local/in-process-turn-queue.ts';
import { useTempDirs } from '../../stand-ins/temp-dir.ts';
import type { QueuedEvent } from '../../../agent/ports/turn-queue.ts';
import { turnQueueContract } from '../../contracts/turn-queue.contract.ts';

turnQueueContract('in-process', async () => {
  let clock = 1_000_000;
  let consumed: QueuedEvent[] = [];
  const queue = new InProcessTurnQueue({ consume: async (event) => void consumed.push(event), maxAttempts: 3, now: () => clock });
  return {
    subject: {
      queue,
      drain: async () => {
        await queue.idle();
        const out = consumed.map(({ groupId, body }) => ({ groupId, body }));
        consumed = [];
        return out;
      },
      advance: (ms) => {
        clock += ms;
      },
    },
  };
});

describe('the in-process turn queue', () => {
  it('runs one group at a time while other groups run alongside', async () => {
    const running = new Map<string, number>();
    let mostAtOnce = 0;
    let overlapInGroup = false;
    const queue = new InProcessTurnQueue({
      maxAttempts: 1,
      consume: async (event) => {
        const inGroup = (running.get(event.groupId) ?? 0) + 1;
        if (inGroup > 1) overlapInGroup = true;
        running.set(event.groupId, inGroup);
        mostAtOnce = Math.max(mostAtOnce, [...running.values()].reduce((a, b) => a + b, 0));
        await new Promise((resolve) => setTimeout(resolve, 5));
        running.set(event.groupId, (running.get(event.groupId) ?? 1) - 1);
      },
    });
    for (let index = 0; index < 10; index++) await queue.enqueue({ groupId: `g${index % 2}`, deduplicationId: `d${index}`, body: 'x' });
    await queue.idle();
    expect(overlapInGroup).toBe(false);
    expect(mostAtOnce).toBe(2);
  });

  it('retries a failing event up to maxAttempts, then dead-letters it and goes on with the group', async () => {
    const attempts: number[] = [];
    const dead: string[] = [];
    const done: string[] = [];
    const queue = new InProcessTurnQueue({
      maxAttempts: 3,
      retryDelaysMs: [0],
      consume: async (event, attempt) => {
        if (event.body === 'poison') {
          attempts.push(attempt);
          throw new Error('boom');
        }
        done.push(event.body);
      },
      deadLetter: (event) => void dead.push(event.body),
    });
    await queue.enqueue({ groupId: 'g', deduplicationId: '1', body: 'poison' });
    await queue.enqueue({ groupId: 'g', deduplicationId: '2', body: 'next' });
    await queue.idle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toEqual(['poison']);
    expect(done).toEqual(['next']);
  });

  describe('waiting between attempts, as SQS hides a failed message for a while', () => {
    beforeEach(() => void vi.useFakeTimers());
    afterEach(() => void vi.useRealTimers());

    it('tries again only after each delay, so an outage of a few seconds does not use up every attempt at once', async () => {
      const attempts: number[] = [];
      const queue = new InProcessTurnQueue({
        maxAttempts: 3,
        consume: async (_event, attempt) => {
          attempts.push(attempt);
          if (attempt < 3) throw new Error('Telegram unreachable');
        },
      });
      await queue.enqueue({ groupId: 'g', deduplicationId: '1', body: 'reply' });
      await vi.advanceTimersByTimeAsync(0);
      expect(attempts).toEqual([1]);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(attempts).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(attempts).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('gives up an event waiting for its retry when closed, so a shutdown does not wait out the delay', async () => {
      const dead: string[] = [];
      const queue = new InProcessTurnQueue({
        maxAttempts: 3,
        consume: async () => {
          throw new Error('Telegram unreachable');
        },
        deadLetter: (event) => void dead.push(event.body),
      });
      await queue.enqueue({ groupId: 'g', deduplicationId: '1', body: 'reply' });
      await vi.advanceTimersByTimeAsync(0);
      queue.close();
      await queue.idle();
      expect(dead).toEqual(['reply']);
    });

    it('still runs, on a shutdown, what waited behind a running event and never ran', async () => {
      const consumed: string[] = [];
      let finishFirst = () => undefined as void;
      const queue = new InProcessTurnQueue({
        maxAttempts: 3,
        consume: async (event) => {
          if (event.body === 'first') await new Promise<void>((resolve) => (finishFirst = resolve));
          consumed.push(event.body);
        },
      });
      await queue.enqueue({ groupId: 'g', deduplicationId: '1', body: 'first' });
      await queue.enqueue({ groupId: 'g', deduplicationId: '2', body: 'second' });
      await vi.advanceTimersByTimeAsync(0);
      queue.close();
      finishFirst();
      await queue.idle();
      expect(consumed).toEqual(['first', 'second']);
    });
  });

  describe('with a journal under HERMES_HOME, as SQS keeps its messages', () => {
    const tempDir = useTempDirs();
    const journalDir = () => tempDir('hermes-queue-');

    it('runs again at the next start, in their order and with their queue times, the events a process died holding', async () => {
      const dir = await journalDir();
      let clock = 1_000_000;
      const dying = new InProcessTurnQueue({ journal: new FileQueueJournal(dir), maxAttempts: 3, now: () => clock, consume: () => new Promise<void>(() => undefined) });
      await dying.enqueue({ groupId: 'tg:77', deduplicationId: 'tg:update:1', body: 'first' });
      clock += 1_000;
      await dying.enqueue({ groupId: 'tg:77', deduplicationId: 'tg:update:2', body: 'second' });

      const consumed: Array<[string, number, number]> = [];
      const next = new InProcessTurnQueue({ journal: new FileQueueJournal(dir), maxAttempts: 3, consume: async (event, attempt, sentAt) => void consumed.push([event.body, attempt, sentAt]) });
      expect(await next.replay()).toBe(2);
      await next.idle();
      // The one whose attempt had begun is a retry; the one that waited behind it runs as it would have.
      expect(consumed).toEqual([['first', 2, 1_000_000], ['second', 1, 1_001_000]]);
      // Answered, they are gone: a third start has nothing to take up.
      expect(await new FileQueueJournal(dir).pending()).toEqual([]);
    });

    it('runs a begun event as a retry at the next start even when one attempt is all there is', async () => {
      const dir = await journalDir();
      const dying = new InProcessTurnQueue({ journal: new FileQueueJournal(dir), maxAttempts: 1, consume: () => new Promise<void>(() => undefined) });
      await dying.enqueue({ groupId: 'tg:77', deduplicationId: 'tg:update:6', body: 'remind me' });
      await vi.waitFor(async () => expect((await new FileQueueJournal(dir).pending())[0]?.started).toBe(true));
      const attempts: number[] = [];
      const next = new InProcessTurnQueue({ journal: new FileQueueJournal(dir), maxAttempts: 1, consume: async (_event, attempt) => void attempts.push(attempt) });
      await next.replay();
      await next.idle();
      expect(attempts).toEqual([2]);
    });

    it('still runs an event its journal could not keep (a full disk), and says so in the log', async () => {
      const dir = await journalDir();
      // A file where the journal's folder should be: every write fails.
      await writeFile(join(dir, 'queue'), 'in the way');
      const warnings: string[] = [];
      const consumed: string[] = [];
      const queue = new InProcessTurnQueue({
        journal: new FileQueueJournal(join(dir, 'queue')),
        log: { warn: (message) => void warnings.push(message) },
        maxAttempts: 3,
        consume: async (event) => void consumed.push(event.body),
      });
      await queue.enqueue({ groupId: 'tg:77', deduplicationId: 'tg:update:5', body: 'hello' });
      await queue.idle();
      expect(consumed).toEqual(['hello']);
      expect(warnings).toContain('could not keep a queued event in the journal');
    });

    it('keeps for the next start an event waiting for its retry at a shutdown, and drops one given up after every attempt', async () => {
      const dir = await journalDir();
      const dead: string[] = [];
      const queue = new InProcessTurnQueue({
        journal: new FileQueueJournal(dir),
        maxAttempts: 2,
        retryDelaysMs: [60_000],
        consume: async (event) => {
          throw new Error(event.body === 'poison' ? 'boom' : 'Telegram unreachable');
        },
        deadLetter: (event) => void dead.push(event.body),
      });
      await queue.enqueue({ groupId: 'tg:88', deduplicationId: 'tg:update:3', body: 'poison' });
      await queue.enqueue({ groupId: 'tg:77', deduplicationId: 'tg:update:4', body: 'reply' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      queue.close();
      await queue.idle();
      expect(dead).toEqual([]);
      expect((await new FileQueueJournal(dir).pending()).map((entry) => entry.event.body)).toEqual(['poison', 'reply']);

      const retried = new InProcessTurnQueue({
        journal: new FileQueueJournal(dir),
        maxAttempts: 2,
        retryDelaysMs: [0],
        consume: async (event) => {
          if (event.body === 'poison') throw new Error('boom');
        },
        deadLetter: (event) => void dead.push(event.body),
      });
      await retried.replay();
      await retried.idle();
      expect(dead).toEqual(['poison']);
      expect(await new FileQueueJournal(dir).pending()).toEqual([]);
    });
  });
});
