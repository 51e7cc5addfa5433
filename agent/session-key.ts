/** One conversation per chat, and per forum topic inside a forum supergroup. */
export function telegramSessionKey(chatId: number, threadId?: number): string {
  return threadId === undefined ? `tg:${chatId}` : `tg:${chatId}:${threadId}`;
}
