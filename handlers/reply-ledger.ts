import type { ModelMessage } from 'ai';
import type { Runtime } from '../agent/runtime.ts';

export interface StoredReplyInput {
  updateId: number;
  sessionKey: string;
  /** The suffix of the stored turn's id (the padded update_id). */
  eventId: string;
  /** The answer the turn found stored, when it found it in the window it had read anyway. */
  storedAnswer?: string;
  send: (answer: string) => Promise<void>;
}

/** Which replies went out, so a retried update is answered exactly once from what was stored. */
export interface ReplyLedger {
  delivered(updateId: number): Promise<void>;
  /** Called when a retry finds its turn already stored: sends that turn's answer unless it went out. */
  resendStored(input: StoredReplyInput): Promise<void>;
}

/** Longer than SQS keeps a message (at most 14 days is configurable; the stack keeps 4). */
const REPLIED_SECONDS = 14 * 86_400;

const repliedId = (updateId: number) => `tg:replied:${updateId}`;

/**
 * The ledger on the dedup store. A reply is marked after it is sent, so a crash in between sends it again on the
 * retry rather than never: at least once, and exactly once in every other case.
 */
export function replyLedger(runtime: Runtime): ReplyLedger {
  return {
    delivered: async (updateId) => {
      await runtime.dedup.claim(repliedId(updateId), REPLIED_SECONDS);
    },
    resendStored: async ({ updateId, sessionKey, eventId, storedAnswer: known, send }) => {
      if (!(await runtime.dedup.claim(repliedId(updateId), REPLIED_SECONDS))) {
        runtime.log.info('retried update was answered already', { updateId });
        return;
      }
      try {
        const answer = known ?? (await storedAnswer(runtime, sessionKey, eventId));
        if (answer === undefined) {
          runtime.log.warn('retried update was stored but its turn is no longer in the window; not answered again', { updateId });
          return;
        }
        await send(answer);
        runtime.log.info('stored reply sent for a retried update', { updateId });
      } catch (error) {
        await runtime.dedup.release(repliedId(updateId)).catch(() => undefined);
        throw error;
      }
    },
  };
}

async function storedAnswer(runtime: Runtime, sessionKey: string, eventId: string): Promise<string | undefined> {
  const window = await runtime.sessions.loadWindow(sessionKey, runtime.config.windowTurns);
  const turn = window.turns.find((candidate) => candidate.id.endsWith(`#${eventId}`));
  if (!turn) return undefined;
  const texts = turn.messages.filter((message) => message.role === 'assistant').map(textOf).filter(Boolean);
  return texts.at(-1) ?? '(no answer)';
}

function textOf(message: ModelMessage): string {
  if (typeof message.content === 'string') return message.content.trim();
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('')
    .trim();
}
