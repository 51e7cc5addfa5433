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
  /** The forum topic, only for a message posted in one. */
  threadId?: number;
  userId?: number;
}

/** Whether the members of this place share one conversation, so the newest exchange may be someone else's. */
export function isSharedConversation(place: MessagePlace, scope: SessionScope): boolean {
  return place.group && !(place.threadId === undefined ? scope.groupsPerUser : scope.topicsPerUser);
}

/**
 * The session a message belongs to: its history, its model choice, its stop requests and its queue. In Hermes'
 * layout the member comes after the topic: `tg:<chat>[:<topic>][:u<user>]`.
 */
export function conversationKey(place: MessagePlace, scope: SessionScope): string {
  const chat = telegramSessionKey(place.chatId, place.threadId);
  return place.group && place.userId !== undefined && !isSharedConversation(place, scope) ? `${chat}:u${place.userId}` : chat;
}
