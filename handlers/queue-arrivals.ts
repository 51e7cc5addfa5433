import type { Update } from 'grammy/types';

/**
 * When the webhook queued each update the worker runs. A stop counts from then, not from when the worker took the
 * update up: a `/stop` sent while the message still waited in the queue (behind another turn, or a cold start) is
 * meant for it.
 */
export class QueueArrivals {
  private readonly queuedAt = new WeakMap<Update, number>();

  record(update: Update, at: number): void {
    this.queuedAt.set(update, at);
  }

  of(update: Update): number | undefined {
    return this.queuedAt.get(update);
  }
}
