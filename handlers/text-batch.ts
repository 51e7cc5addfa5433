import type { TextArrivals } from '../agent/ports/text-arrivals.ts';

/**
 * Telegram's apps split a paste longer than a message (4,096 characters) into several; a text this long is likely
 * such a part, and the next part is waited for longer (classic Hermes' _SPLIT_THRESHOLD).
 */
export const TEXT_SPLIT_CHARS = 4_000;

/** The longest message the bot reads as typed; a longer one is answered with a request to shorten it. */
export const MAX_INPUT_CHARS = 16_000;

export interface TextBatch {
  arrivals: TextArrivals;
  delayMs: number;
  splitDelayMs: number;
}

/** One sender's texts in one conversation: group members who share a conversation are each batched apart. */
export function textBatchKey(sessionKey: string, senderId: number | string): string {
  return `${sessionKey}#${senderId}`;
}

/**
 * A text the webhook records for batching: a plain message's text, not a command, not an edit, and one the worker
 * will answer (not one it refuses as too long, which would leave the texts before it unanswered).
 */
export function batchedText(update: Record<string, unknown>): { text: string; senderId: number } | undefined {
  const message = update.message as { text?: unknown; from?: { id?: unknown } } | undefined;
  if (typeof message?.text !== 'string' || message.text.startsWith('/') || message.text.length > MAX_INPUT_CHARS) return undefined;
  return typeof message.from?.id === 'number' ? { text: message.text, senderId: message.from.id } : undefined;
}

/**
 * Whether the sender queued another text behind this one: then this one is answered with it. A text the worker
 * takes up at once first waits out the quiet time after it, as classic Hermes does, so a split paste or a quick
 * second thought arrives; one that waited in the queue (behind a long turn) needs no wait. Costs one read.
 */
export async function moreTextsQueued(batch: TextBatch, { key, updateId, text, queuedAt, now = Date.now }: { key: string; updateId: number; text: string; queuedAt: number; now?: () => number }): Promise<boolean> {
  const quiet = text.length >= TEXT_SPLIT_CHARS ? batch.splitDelayMs : batch.delayMs;
  const wait = Math.min(quiet, queuedAt + quiet - now());
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const newest = await batch.arrivals.newest(key);
  return newest !== undefined && newest > updateId;
}
