import type { ModelMessage } from 'ai';
import { DuplicateTurnError } from '../tools/errors.ts';
import type { SessionStore } from './ports/session-store.ts';
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
