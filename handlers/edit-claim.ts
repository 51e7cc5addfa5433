import type { Message } from 'grammy/types';

/** How far Telegram's clock and this machine's may be apart when an edit's age is judged. */
const CLOCK_SLACK_SECONDS = 60;

export interface EditClaim {
  /** `tg:edit:<chat>:<message_id>:<edit_date>`: one edit of one message, whatever update brought it. */
  id: string;
  ttlSeconds: number;
}

/**
 * The claim on an edit, beside the one on its update. Telegram sends `edited_message` again when a field the bot does
 * not read changes, a reaction above all ("Update", Bot API docs, checked 2026-12-02): the message comes under a new
 * update_id with the `edit_date` of its last real edit. Claiming the edit itself recognizes that repeat; a new edit
 * has a later edit date. The claim need only outlive the edit window, after which any copy is judged stale anyway.
 * Undefined for every other update (a reaction to a message never edited has no edit date and is dropped before).
 */
export function editClaimOf(update: { edited_message?: Message }, editWindowSeconds: number): EditClaim | undefined {
  const edited = update.edited_message;
  if (edited?.edit_date === undefined) return undefined;
  return { id: `tg:edit:${edited.chat.id}:${edited.message_id}:${edited.edit_date}`, ttlSeconds: editWindowSeconds + CLOCK_SLACK_SECONDS };
}
