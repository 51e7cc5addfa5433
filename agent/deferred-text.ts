import type { ModelMessage } from 'ai';
import { DuplicateTurnError } from '../tools/errors.ts';
import type { SessionStore, Turn } from './ports/session-store.ts';
import { turnId } from './session-keys.ts';

/** Stands as the answer to a text answered together with the sender's next one; never sent to the chat. */
export const ANSWERED_WITH_NEXT = '(Answered together with the next message.)';

/**
 * Stores a text the sender followed with more before it was answered: the next turn reads it in the history, with
 * this note as its answer, and answers both. Stored under the update's own id; false when a turn of that id is stored
 * already (a retry of a text answered before, whose reply may still be owed: it is not to be taken for deferred).
 */
export async function storeDeferredText(sessions: SessionStore, { sessionKey, text, receivedAt, eventId }: { sessionKey: string; text: string; receivedAt: number; eventId: string }): Promise<boolean> {
  const messages: ModelMessage[] = [
    { role: 'user', content: text },
    { role: 'assistant', content: ANSWERED_WITH_NEXT },
  ];
  try {
    await sessions.appendTurn(sessionKey, { id: turnId(receivedAt, eventId), at: receivedAt, messages });
    return true;
  } catch (error) {
    if (error instanceof DuplicateTurnError) return false;
    throw error;
  }
}

/** Whether a stored turn is a text answered with the next one. */
export function isDeferredText(turn: Turn): boolean {
  const last = turn.messages.at(-1);
  return turn.messages.length === 2 && last?.role === 'assistant' && last.content === ANSWERED_WITH_NEXT;
}

/** The texts at the end of a conversation that the next turn answers with its own, oldest first. */
export function textsAnsweredWithNext(turns: readonly Turn[]): string[] {
  const texts: string[] = [];
  for (let index = turns.length - 1; index >= 0 && isDeferredText(turns[index]!); index--) {
    const user = turns[index]!.messages[0]!;
    if (typeof user.content === 'string') texts.unshift(user.content);
  }
  return texts;
}
