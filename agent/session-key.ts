/** The conversation of a whole chat, or of one forum topic inside a forum supergroup: where its jobs deliver. */
export function telegramSessionKey(chatId: number, threadId?: number): string {
  return threadId === undefined ? `tg:${chatId}` : `tg:${chatId}:${threadId}`;
}

/**
 * Hermes' `group_sessions_per_user` and `thread_sessions_per_user` (gateway/session.py, `build_session_key`): by
 * default each member of a group has a conversation of their own with the bot, while a forum topic is one
 * conversation everyone in it shares.
 */
export interface SessionScope {
  groupsPerUser: boolean;
  topicsPerUser: boolean;
}

export const HERMES_SESSION_SCOPE: SessionScope = { groupsPerUser: true, topicsPerUser: false };

/** Where a message was sent, and by whom. */
export interface MessagePlace {
  chatId: number;
  /** A group or supergroup: several people talk there. */
  group: boolean;
  /**
   * A forum supergroup. Its General topic's messages carry no topic id, yet it is a topic like the others: Hermes'
   * Telegram adapter files them under thread 1.
   */
  forum?: boolean;
  /** The forum topic, only for a message posted in one other than General. */
  threadId?: number;
  userId?: number;
}

/**
 * Whether the members of this place share one conversation, so the newest exchange may be someone else's. As in
 * Hermes' `build_session_key`, members are kept apart only with `group_sessions_per_user`, and inside a topic only
 * with `thread_sessions_per_user` as well.
 */
export function isSharedConversation(place: MessagePlace, scope: SessionScope): boolean {
  if (!place.group) return false;
  const inTopic = place.threadId !== undefined || place.forum === true;
  return !(scope.groupsPerUser && (!inTopic || scope.topicsPerUser));
}

/**
 * The session a message belongs to: its history, its model choice, its stop requests and its queue. In Hermes'
 * layout the member comes after the topic: `tg:<chat>[:<topic>][:u<user>]`.
 */
export function conversationKey(place: MessagePlace, scope: SessionScope): string {
  const chat = telegramSessionKey(place.chatId, place.threadId);
  return place.group && place.userId !== undefined && !isSharedConversation(place, scope) ? `${chat}:u${place.userId}` : chat;
}
