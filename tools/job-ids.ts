import { createHash, randomBytes } from 'node:crypto';
import type { Delivery } from './ports/scheduler.ts';

/**
 * Job ids double as EventBridge schedule names (1-64 of [0-9a-zA-Z-_.]), so they are built from that alphabet:
 * a chat prefix (which makes per-chat listing a prefix query) and a random part.
 */
export function chatJobPrefix(chatId: number, threadId?: number): string {
  const chat = chatId < 0 ? `n${-chatId}` : `p${chatId}`;
  return threadId === undefined ? `hermes-${chat}-` : `hermes-${chat}.t${threadId}-`;
}

export function newJobId(delivery: Delivery): string {
  return `${chatJobPrefix(delivery.chatId, delivery.threadId)}${randomBytes(6).toString('hex')}`;
}

/**
 * The id of a job created by a turn's tool call: the same turn and call always give the same id, so a turn run
 * again after a failure (a redelivered update) finds the job its first run created instead of adding another.
 */
export function idempotentJobId(delivery: Delivery, key: string): string {
  return `${chatJobPrefix(delivery.chatId, delivery.threadId)}${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}
