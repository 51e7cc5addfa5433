import type { MessageEntity } from 'grammy/types';
import type { TextArrivals } from '../agent/ports/text-arrivals.ts';
import { ARRIVAL_TTL_MS } from '../agent/text-arrivals-seen.ts';
import { withLinks } from './linked-text.ts';

/**
 * Telegram's apps split a paste longer than a message (4,096 characters) into several; a text this long is likely
 * such a part, and the next part is waited for longer (classic Hermes' _SPLIT_THRESHOLD).
 */
export const TEXT_SPLIT_CHARS = 4_000;

/** The longest message the bot reads as typed; a longer one is answered with a request to shorten it. */
export const MAX_INPUT_CHARS = 16_000;

export function tooLongText(length: number): string {
  return `That message is ${length} characters; I can read up to ${MAX_INPUT_CHARS}. Please shorten it or split it up.`;
}

export interface TextBatch {
  arrivals: TextArrivals;
  delayMs: number;
  splitDelayMs: number;
}

/**
 * Whether the webhook records an update as a text for batching: a plain message's text, not a command, not an edit,
 * and one the worker will answer (not one it refuses as too long, which would leave the texts before it unanswered).
 * Every other update it queues is recorded as something else, which no text is batched across.
 */
export function isBatchedText(update: Record<string, unknown>): boolean {
  const message = update.message as { text?: unknown; entities?: MessageEntity[] } | undefined;
  if (typeof message?.text !== 'string' || message.text.startsWith('/')) return false;
  // Measured as the worker measures it: with each hidden link's address written out (incoming-message.ts).
  return withLinks(message.text, message.entities).length <= MAX_INPUT_CHARS;
}

/**
 * Whether the sender's next text waits behind this one, with nothing else queued in the conversation after this one
 * (a photo, a command, an edit, another member's text): then this one is answered with it. A text the worker takes
 * up at once first waits out the quiet time after it, as classic Hermes does, so a split paste or a quick second
 * thought arrives; one that waited in the queue (behind a long turn) needs no wait. Costs one read.
 */
export async function moreTextsQueued(
  batch: TextBatch,
  { conversation, senderId, updateId, text, queuedAt, now = Date.now }: { conversation: string; senderId: number; updateId: number; text: string; queuedAt: number; now?: () => number },
): Promise<boolean> {
  const quiet = text.length >= TEXT_SPLIT_CHARS ? batch.splitDelayMs : batch.delayMs;
  const wait = Math.min(quiet, queuedAt + quiet - now());
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  // Records from the hour before this text: a text that waited long in the queue still sees what came after it.
  const { newestText, newestOther } = await batch.arrivals.seen(conversation, senderId, queuedAt - ARRIVAL_TTL_MS);
  // Something else queued after this text may stand between it and the next: then each is answered on its own.
  return newestText !== undefined && newestText > updateId && (newestOther === undefined || newestOther < updateId);
}
