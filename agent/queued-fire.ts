import { createHash } from 'node:crypto';
import type { Delivery, JobFire } from '../tools/ports/scheduler.ts';
import { QUEUE_ID_PATTERN, type QueuedEvent } from './ports/turn-queue.ts';
import { telegramSessionKey } from './session-key.ts';

/** A fire's own id: the same job and scheduled time run once, however often the fire is delivered. */
export function fireId(fire: Pick<JobFire, 'job' | 'scheduledTime'>): string {
  return `cron:${fire.job.id}:${fire.scheduledTime}`;
}

/** A fire joins the queue of the chat (or topic) it answers in, so it runs in order with that chat's messages. */
export function fireGroupId(delivery: Pick<Delivery, 'chatId' | 'threadId'>): string {
  return telegramSessionKey(delivery.chatId, delivery.threadId);
}

/** A fire as the turn queue carries it, as EventBridge Scheduler itself puts it there. */
export function queuedFire(fire: JobFire): QueuedEvent {
  const id = fireId(fire);
  return {
    groupId: fireGroupId(fire.job.delivery),
    // SQS takes 128 characters of its id alphabet; a longer or odder scheduled time is hashed rather than refused.
    deduplicationId: QUEUE_ID_PATTERN.test(id) ? id : `cron:${createHash('sha256').update(id).digest('hex')}`,
    body: JSON.stringify(fire),
  };
}
