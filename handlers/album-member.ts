/** An album message as the roster keeps it, read from the raw update before any library is loaded. */
export interface AlbumMemberOf {
  /** The chat and Telegram's media_group_id: one album. */
  album: string;
  messageId: number;
  message: string;
}

/** The album this update's message belongs to, if it is part of one. */
export function albumMemberOf(update: Record<string, unknown>): AlbumMemberOf | undefined {
  const message = update.message as { message_id?: unknown; media_group_id?: unknown; chat?: { id?: unknown } } | undefined;
  if (typeof message?.media_group_id !== 'string' || typeof message.message_id !== 'number' || typeof message.chat?.id !== 'number') return undefined;
  return { album: albumKey(message.chat.id, message.media_group_id), messageId: message.message_id, message: JSON.stringify(message) };
}

export function albumKey(chatId: number, mediaGroupId: string): string {
  return `${chatId}:${mediaGroupId}`;
}
