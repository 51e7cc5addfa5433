import type { Message } from 'grammy/types';

/**
 * Why an edited message gets no answer, or undefined when it does. An edit is answered only while it is fresh: fixing
 * a typo right after sending expects an answer, but editing a message from last week does not. Live-location updates
 * also arrive as edits (of a message without text) and are ignored.
 *
 * Telegram also sends `edited_message` when a field the bot does not use changes, such as a reaction ("Update",
 * Bot API docs, checked 2026-12-02). Such an update carries no `edit_date` if the text was never edited, or the date
 * of the last real edit, which an earlier update already brought; neither is a new question. The first is ignored
 * here; the second looks like the edit it repeats, and the claim on that edit turns it away (edit-claim.ts).
 *
 * The webhook applies the same rules on arrival, so what the worker would ignore is neither claimed nor queued.
 * `nowSeconds` (Telegram's clock is in whole seconds) is left out where the edit's age was judged on arrival already.
 */
export function editIgnoredBecause(message: Message, { editWindowSeconds, nowSeconds }: { editWindowSeconds: number; nowSeconds?: number }): string | undefined {
  const written = message.text ?? message.caption;
  if (written === undefined || written.trim() === '') return 'edit without text';
  if (message.edit_date === undefined) return 'no edit of the text (a reaction or another field changed)';
  if (message.edit_date - message.date > editWindowSeconds) return 'edit of an old message';
  if (nowSeconds !== undefined && nowSeconds - message.edit_date > editWindowSeconds) return 'the edit was made long ago';
  // grammY routes only new messages to commands; an edited command would otherwise reach the model as text.
  if (message.entities?.some((entity) => entity.type === 'bot_command' && entity.offset === 0)) return 'edited command';
  return undefined;
}
