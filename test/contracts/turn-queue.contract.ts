import { beforeEach, describe, expect, it } from 'vitest';
import type { QueuedEvent, TurnQueue } from '../../agent/ports/turn-queue.ts';
import { useHarness, type Harness } from './harness.ts';

export interface TurnQueueSubject {
  queue: TurnQueue;
  /** Runs the consumer until the queue is empty; returns what it consumed, in the order it ran. */
  drain(): Promise<Array<Pick<QueuedEvent, 'groupId' | 'body'>>>;
  /** Moves the queue's clock forward. */
  advance(ms: number): void;
}

export function turnQueueContract(name: string, setup: () => Promise<Harness<TurnQueueSubject>>): void {
  describe(`TurnQueue contract: ${name}`, () => {
    const current = useHarness(setup);
    let subject: TurnQueueSubject;
    beforeEach(() => {
      subject = current();
    });

    it('hands out each group in the order it was enqueued, every event once', async () => {
      for (let index = 0; index < 12; index++) {
        await subject.queue.enqueue({ groupId: `tg:${index % 3}`, deduplicationId: `tg:update:${index}`, body: `{"n":${index}}` });
      }
      const consumed = await subject.drain();
      expect(consumed).toHaveLength(12);
      for (const group of ['tg:0', 'tg:1', 'tg:2']) {
        const bodies = consumed.filter((event) => event.groupId === group).map((event) => (JSON.parse(event.body) as { n: number }).n);
        expect(bodies).toEqual([...bodies].sort((a, b) => a - b));
        expect(bodies).toHaveLength(4);
      }
    });

    it('drops a second enqueue of the same deduplication id within five minutes, and accepts it after', async () => {
      const event = { groupId: 'tg:5:17', deduplicationId: 'tg:update:900', body: '{"update_id":900}' };
      await subject.queue.enqueue(event);
      await subject.queue.enqueue(event);
      expect(await subject.drain()).toEqual([{ groupId: 'tg:5:17', body: event.body }]);
      subject.advance(4 * 60_000);
      await subject.queue.enqueue(event);
      expect(await subject.drain()).toEqual([]);
      subject.advance(2 * 60_000);
      await subject.queue.enqueue(event);
      expect(await subject.drain()).toEqual([{ groupId: 'tg:5:17', body: event.body }]);
    });

    it('refuses group and deduplication ids SQS would refuse, and enqueues nothing', async () => {
      await expect(subject.queue.enqueue({ groupId: 'chat with spaces', deduplicationId: 'a', body: '{}' })).rejects.toThrow();
      await expect(subject.queue.enqueue({ groupId: 'tg:1', deduplicationId: 'x'.repeat(129), body: '{}' })).rejects.toThrow();
      expect(await subject.drain()).toEqual([]);
    });
  });
}
