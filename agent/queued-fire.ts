import { createHash } from 'node:crypto';
import type { Delivery, JobFire } from '../tools/ports/scheduler.ts';
import type { DedupStore } from './ports/dedup-store.ts';
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

/** How long the turn queue's dead-letter queue keeps a message (infra/turn-queue.ts), and so how long it may be replayed. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

const deadLetteredId = (fire: Pick<JobFire, 'job' | 'scheduledTime'>) => `${fireId(fire)}:dead-lettered`;

/**
 * Marks a fire whose last attempt failed, for as long as the dead-letter queue keeps it: the owner may replay it from
 * there ("Start DLQ redrive", docs/deploy.md), and SQS delivers a replay as a new message, a first attempt, which must
 * run as the retry it is (isDeadLetterReplay) rather than be turned away by the fire's claim or its stored request.
 */
export async function markDeadLettered(dedup: DedupStore, fire: Pick<JobFire, 'job' | 'scheduledTime'>): Promise<void> {
  await dedup.claim(deadLetteredId(fire), DEAD_LETTER_RETENTION_DAYS * 86_400);
}

/** Once a replay has run, the fire is settled: a later delivery of it is the duplicate it looks like. */
export async function clearDeadLettered(dedup: DedupStore, fire: Pick<JobFire, 'job' | 'scheduledTime'>): Promise<void> {
  await dedup.release(deadLetteredId(fire));
}

/** Whether a first attempt of a fire is a replay of one that went to the dead-letter queue. */
export async function isDeadLetterReplay(dedup: DedupStore, fire: Pick<JobFire, 'job' | 'scheduledTime'>): Promise<boolean> {
  // A claim that succeeds means no mark was there: the probe is given back.
  if (!(await dedup.claim(deadLetteredId(fire), 60))) return true;
  await dedup.release(deadLetteredId(fire));
  return false;
}
