/**
 * Who wrote a message, as the number that keys their conversation, memory, budget and jobs. A message sent on behalf
 * of a chat (an anonymous group admin, someone posting as their channel) has in `from` a stand-in user that Telegram
 * uses for every such sender of every group ("a fake sender user in non-channel chats", Bot API "Message", checked
 * 2026-12-02: GroupAnonymousBot, Channel_Bot); the chat it was sent as, `sender_chat`, tells them apart. Chat ids
 * are negative, so they never meet a user's id. The anonymous admins of one group are still one sender, as in Hermes.
 */
export function senderIdOf(message: SenderFields | undefined): number | undefined {
  return message?.sender_chat?.id ?? message?.from?.id;
}

/**
 * The sender of an update as the webhook's ack names it (update-route.ts): the chat a message was sent as, else who
 * acted. Only a message or an edit carries `sender_chat`; a callback's message is the bot's own, not the presser's.
 */
export function senderOfUpdate(ctx: { message?: SenderFields; editedMessage?: SenderFields; from?: { id: number } }): number | undefined {
  return senderIdOf(ctx.message ?? ctx.editedMessage) ?? ctx.from?.id;
}

type SenderFields = { from?: { id: number }; sender_chat?: { id: number } };
