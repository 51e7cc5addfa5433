import { ValidationError } from '../../tools/errors.ts';
import { DEDUPLICATION_WINDOW_MS, QUEUE_ID_PATTERN, type QueuedEvent, type TurnQueue } from '../ports/turn-queue.ts';
import type { Logger } from '../logger.ts';
import type { FileQueueJournal, JournaledEvent } from './file-queue-journal.ts';

/** How one attempt of an event is run; a rejection counts as a failed attempt. `sentAt`: when it was queued, as SQS's SentTimestamp. */
export type QueueConsumer = (event: QueuedEvent, attempt: number, sentAt: number) => Promise<void>;

export interface InProcessTurnQueueOptions {
  consume: QueueConsumer;
  /** Attempts before an event is given up, as SQS's maxReceiveCount. */
  maxAttempts: number;
  /** Called with an event that failed every attempt (SQS would move it to the dead-letter queue). */
  deadLetter?: (event: QueuedEvent, error: unknown) => void;
  /**
   * How long a failed event waits before each next attempt (the last figure repeats). SQS hides a failed message
   * for its visibility timeout; without a wait, a Telegram or network outage of a few seconds would use up every
   * attempt at once and lose the reply.
   */
  retryDelaysMs?: number[];
  /** Keeps what the queue holds across a restart (npm start: files under HERMES_HOME); see replay(). */
  journal?: FileQueueJournal;
  /** Where a journal that cannot be written or cleared is reported. */
  log?: Pick<Logger, 'warn'>;
  now?: () => number;
}

/** A minute and a bit in all: long enough for a dropped connection or a Telegram hiccup, short for a chat. */
const DEFAULT_RETRY_DELAYS_MS = [10_000, 60_000];

/**
 * The embedded queue of `npm start`: the same ordering, deduplication and retry rules as the SQS FIFO queue,
 * without a network. Each group is a promise chain, so a chat's events run one at a time while chats run in
 * parallel. With a journal, what it holds survives a restart, as an SQS queue's messages do.
 */
export class InProcessTurnQueue implements TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly seen = new Map<string, number>();
  private readonly now: () => number;
  private readonly waits = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: InProcessTurnQueueOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  async enqueue(event: QueuedEvent): Promise<void> {
    if (!QUEUE_ID_PATTERN.test(event.groupId)) throw new ValidationError(`Invalid group id "${event.groupId}".`);
    if (!QUEUE_ID_PATTERN.test(event.deduplicationId)) throw new ValidationError(`Invalid deduplication id "${event.deduplicationId}".`);
    const now = this.now();
    for (const [id, at] of this.seen) if (at + DEDUPLICATION_WINDOW_MS <= now) this.seen.delete(id);
    if (this.seen.has(event.deduplicationId)) return;
    this.seen.set(event.deduplicationId, now);
    // Written before the enqueue returns, so an update is kept before Telegram is told it arrived. A journal that
    // cannot be written (a full disk) still leaves the event to run now: only a restart before it ends would lose it.
    await this.options.journal?.add({ event, sentAt: now }).catch((error: unknown) => this.options.log?.warn('could not keep a queued event in the journal', { id: event.deduplicationId, error }));
    this.schedule(event, { sentAt: now, firstAttempt: 1 });
  }

  /**
   * Queues again what the journal kept from before a restart, in the order it was first queued; returns how many.
   * One whose attempt had begun runs as a retry (at least its second attempt, even past the last): the process may
   * have died after that attempt stored the answer, or while the reply waited to be tried again, and only a retry
   * sends a stored answer that is owed (one already sent may go again: at least once, as SQS delivers). One that
   * never ran runs as it would have. `before` runs for each ahead of any of them, to restore what arrival recorded.
   */
  async replay({ before }: { before?: (entry: JournaledEvent) => Promise<void> } = {}): Promise<number> {
    const pending = ((await this.options.journal?.pending()) ?? []).filter(({ event }) => !this.seen.has(event.deduplicationId));
    for (const entry of pending) await before?.(entry);
    for (const { event, sentAt, started } of pending) {
      this.seen.set(event.deduplicationId, this.now());
      this.schedule(event, { sentAt, firstAttempt: started ? 2 : 1 });
    }
    return pending.length;
  }

  private schedule(event: QueuedEvent, start: { sentAt: number; firstAttempt: number }): void {
    const previous = this.tails.get(event.groupId) ?? Promise.resolve();
    const tail = previous.then(() => this.run(event, start));
    this.tails.set(event.groupId, tail);
    void tail.then(() => {
      if (this.tails.get(event.groupId) === tail) this.tails.delete(event.groupId);
    });
  }

  /** Ends every wait for a retry, giving those events up, so a shutdown does not wait out the delays. */
  close(): void {
    this.closed = true;
    for (const wake of this.waits) wake();
    this.waits.clear();
  }

  /** Settles once every event enqueued so far has been processed or given up. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  private async run(event: QueuedEvent, { sentAt, firstAttempt }: { sentAt: number; firstAttempt: number }): Promise<void> {
    let lastError: unknown;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = firstAttempt; attempt <= Math.max(this.options.maxAttempts, firstAttempt); attempt++) {
      if (attempt === 1) await this.options.journal?.add({ event, sentAt, started: true }).catch((error: unknown) => this.options.log?.warn('could not mark a queued event begun in the journal', { id: event.deduplicationId, error }));
      if (attempt > firstAttempt) {
        await this.wait(delays[Math.min(attempt - firstAttempt - 1, delays.length - 1)] ?? 0);
        // A shutdown leaves what waits to be tried again to the journal, for the next start (without one, it is
        // given up); what never ran still runs, as before the delays.
        if (this.closed && this.options.journal) return;
        if (this.closed) break;
      }
      try {
        await this.options.consume(event, attempt, sentAt);
        await this.finished(event);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    this.options.deadLetter?.(event, lastError);
    await this.finished(event);
  }

  /** A journal entry that cannot be removed runs again at the next start (see replay). */
  private async finished(event: QueuedEvent): Promise<void> {
    await this.options.journal?.remove(event.deduplicationId).catch((error: unknown) => this.options.log?.warn('could not clear a finished event from the journal', { id: event.deduplicationId, error }));
  }

  private wait(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waits.add(wake);
    });
  }
}
