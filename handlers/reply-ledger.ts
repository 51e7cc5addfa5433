import { createHash, randomUUID } from 'node:crypto';
import type { ModelMessage } from 'ai';
import { NO_TEXT_ANSWER, UNFINISHED_AFTER_TOOLS } from '../agent/agent-loop.ts';
import { ANSWERED_WITH_NEXT } from '../agent/deferred-text.ts';
import type { Runtime } from '../agent/runtime.ts';
import { modelFailureNotice } from './model-failure-notice.ts';
import type { ReplyChunk, ReplyProgress } from './telegram-reply.ts';

export interface StoredReplyInput {
  updateId: number;
  sessionKey: string;
  /** The suffix of the stored turn's id (the padded update_id). */
  eventId: string;
  /** The answer the turn found stored, when it found it in the window it had read anyway. */
  storedAnswer?: string;
  /** Sends the stored answer (with the reply's prefix, as the first attempt sent it), skipping what went out. */
  send: (answer: string, progress: ReplyProgress) => Promise<void>;
  /** When this attempt must have ended (epoch ms): the queue's next attempt comes only after it. */
  attemptEndsAt?: number;
}

/** Which replies went out, so a retried update is answered exactly once from what was stored. */
export interface ReplyLedger {
  /** Records each message of a long reply as it goes out, so a retry does not send it again. */
  progressOf(updateId: number): ReplyProgress;
  delivered(updateId: number): Promise<void>;
  /** Called when a retry finds its turn already stored: sends that turn's answer unless it went out. */
  resendStored(input: StoredReplyInput): Promise<void>;
}

/** Longer than SQS keeps a message (at most 14 days is configurable; the stack keeps 4). */
const REPLIED_SECONDS = 14 * 86_400;

/** An update's id, or a scheduled fire's (fireId), whose reply this is. */
type ReplyKey = number | string;

const repliedId = (key: ReplyKey) => `tg:replied:${key}`;

/**
 * A message of a reply in several, named by its place and its text: where the retry's reply splits differently
 * (the stored answer lacks a note the first attempt added), nothing matches and the reply goes out whole again.
 */
const chunkId = (updateId: ReplyKey, chunk: ReplyChunk) => `${repliedId(updateId)}:${chunk.index}:${createHash('sha256').update(chunk.html).digest('hex').slice(0, 16)}`;

/**
 * The ledger on the dedup store. A reply is marked after it is sent, so a crash in between sends it again on the
 * retry rather than never: at least once, and exactly once in every other case. A reply of one message costs one
 * write; a longer one a write per message, so a retry after its third message failed sends the third on.
 */
export function replyLedger(runtime: Runtime): ReplyLedger {
  const { dedup } = runtime;
  const unmarked = (updateId: number, error: unknown) => runtime.log.warn('could not mark the reply sent; a retry of this update would send it again', { updateId, error });
  return {
    progressOf: (updateId) => chunkProgress(runtime, updateId, { resuming: false }),
    delivered: async (updateId) => {
      await dedup.claim(repliedId(updateId), REPLIED_SECONDS).then(
        () => undefined,
        (error: unknown) => unmarked(updateId, error),
      );
    },
    resendStored: async ({ updateId, sessionKey, eventId, storedAnswer: known, send, attemptEndsAt }) => {
      // Held while this attempt runs, then for good: a worker killed in between leaves a claim that lapses when the
      // attempt would have ended, before the queue's next attempt (the visibility timeout outlasts the invocation).
      const holder = randomUUID();
      const sending = attemptEndsAt === undefined ? runtime.config.turnQueue.workerTimeoutSeconds : Math.max(1, Math.ceil((attemptEndsAt - Date.now()) / 1000));
      if (!(await dedup.claim(repliedId(updateId), sending, holder))) {
        runtime.log.info('retried update was answered already', { updateId });
        return;
      }
      try {
        // The note a model failure after tools leaves is no answer to send: the failure notice is.
        const answer = known === UNFINISHED_AFTER_TOOLS ? modelFailureNotice() : (known ?? (await storedAnswer(runtime, sessionKey, eventId)));
        if (answer === undefined) {
          runtime.log.warn('retried update was stored but its turn is no longer in the window; not answered again', { updateId });
        } else if (answer === ANSWERED_WITH_NEXT) {
          // A text the turn after it answered: that reply is the answer, and the note is nothing to send.
          runtime.log.info('retried update was answered with the text after it', { updateId });
        } else {
          await send(answer, chunkProgress(runtime, updateId, { resuming: true }));
          runtime.log.info('stored reply sent for a retried update', { updateId });
        }
        // Failing to keep the mark must not fail the attempt: the reply is out, and a retry would send it again.
        await dedup.claim(repliedId(updateId), REPLIED_SECONDS, holder).catch((error: unknown) => unmarked(updateId, error));
      } catch (error) {
        await dedup.release(repliedId(updateId), holder).catch(() => undefined);
        throw error;
      }
    },
  };
}

/**
 * Each message of a reply in several, marked as it goes out under `key`, so a retry (`resuming`) sends only those
 * after the last that went out. An update's reply and a scheduled fire's answer are kept apart by their keys.
 */
export function chunkProgress(runtime: Pick<Runtime, 'dedup' | 'log'>, key: ReplyKey, { resuming }: { resuming: boolean }): ReplyProgress {
  const { dedup } = runtime;
  return {
    // A first attempt has nothing sent; a reply of one message is covered by the delivered mark.
    wasSent: async (chunk) => {
      if (!resuming || chunk.total === 1) return false;
      const id = chunkId(key, chunk);
      // A claim that succeeds means no mark was there: the probe is given back and the message sent.
      if (!(await dedup.claim(id, REPLIED_SECONDS))) return true;
      await dedup.release(id);
      return false;
    },
    // A mark that cannot be kept must not fail the reply: its message is out, and failing would send it again.
    markSent: async (chunk) => {
      if (chunk.total > 1) {
        await dedup.claim(chunkId(key, chunk), REPLIED_SECONDS).catch((error: unknown) => runtime.log.warn('could not mark a message of the reply sent; a retry would send it again', { key, error }));
      }
    },
  };
}

async function storedAnswer(runtime: Runtime, sessionKey: string, eventId: string): Promise<string | undefined> {
  const window = await runtime.sessions.loadWindow(sessionKey, runtime.config.windowTurns);
  const turn = window.turns.find((candidate) => candidate.id.endsWith(`#${eventId}`));
  if (!turn) return undefined;
  const answers = turn.messages.filter((message) => message.role === 'assistant');
  const last = answers.map(textOf).filter(Boolean).at(-1);
  // Stored without an answer: the model failed on it, and the notice saying so was what got lost.
  if (answers.length === 0 || last === UNFINISHED_AFTER_TOOLS) return modelFailureNotice();
  return last ?? NO_TEXT_ANSWER;
}

function textOf(message: ModelMessage): string {
  if (typeof message.content === 'string') return message.content.trim();
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('')
    .trim();
}
