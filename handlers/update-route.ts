import { conversationKey, type SessionScope } from '../agent/session-key.ts';

/** Where an update belongs, read from the raw update before any library is loaded. */
export interface UpdateRoute {
  /** The session key (chat, forum topic, group member): the queue's group id. */
  sessionKey: string;
  userId?: number;
  chatId?: number;
  /** The forum topic the update was posted in. */
  threadId?: number;
  chatType?: string;
  /**
   * `stopped_message_generation` or a `/stop` command: the webhook records the stop itself, since the queue holds the
   * chat's updates behind the running turn. Only the command is queued as well, to be answered.
   */
  stop: boolean;
  /** The draft whose stop button was pressed (`stopped_message_generation`): that turn's, and no other's. */
  draftId?: number;
}

/**
 * Where a stop pressed on one draft is recorded: the draft is one turn's (its id is the update's, turn-progress.ts),
 * so a message queued behind that turn runs, unlike after a `/stop`, which is meant for whatever runs in the chat.
 */
export function draftStopKey(sessionKey: string, draftId: number): string {
  return `${sessionKey}:draft:${draftId}`;
}

interface ChatLike {
  id?: number;
  type?: string;
  is_forum?: boolean;
}

interface PayloadLike {
  chat?: ChatLike;
  draft_id?: number;
  message?: { chat?: ChatLike; is_topic_message?: boolean; message_thread_id?: number };
  from?: { id?: number };
  sender_chat?: { id?: number };
  user?: { id?: number };
  is_topic_message?: boolean;
  message_thread_id?: number;
  text?: string;
}

/**
 * Every update kind carries one payload object; its chat is on the payload (messages, member updates, reactions,
 * stopped generation) or on its message (callback queries). Updates without a chat (inline queries) are grouped
 * per user, so they still run in order.
 */
export function routeUpdate(update: Record<string, unknown>, { botUsername, scope }: { botUsername?: string | undefined; scope: SessionScope }): UpdateRoute {
  const [kind, value] = Object.entries(update).find(([key, entry]) => key !== 'update_id' && typeof entry === 'object' && entry !== null) ?? [];
  const payload = (value ?? {}) as PayloadLike;
  const chat = payload.chat ?? payload.message?.chat;
  // The chat a message was sent as names its sender; `from` is then a stand-in shared by all such senders (sender-id.ts).
  const userId = payload.sender_chat?.id ?? payload.from?.id ?? payload.user?.id ?? (chat?.type === 'private' ? chat.id : undefined);
  // A stop names its topic directly; a message only when it was posted in a forum topic.
  const threadId = kind === 'stopped_message_generation' || payload.is_topic_message ? payload.message_thread_id : undefined;
  const group = chat?.type === 'group' || chat?.type === 'supergroup';
  const sessionKey =
    chat?.id !== undefined
      ? conversationKey({ chatId: chat.id, group, forum: chat.is_forum === true, ...(threadId !== undefined ? { threadId } : {}), ...(userId !== undefined ? { userId } : {}) }, scope)
      : `tg:user:${userId ?? 0}`;
  return {
    sessionKey,
    ...(userId !== undefined ? { userId } : {}),
    ...(chat?.id !== undefined ? { chatId: chat.id } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    ...(chat?.type ? { chatType: chat.type } : {}),
    stop: kind === 'stopped_message_generation' || (kind === 'message' && isStopCommand(payload.text, { botUsername, privateChat: chat?.type === 'private' })),
    ...(kind === 'stopped_message_generation' && typeof payload.draft_id === 'number' ? { draftId: payload.draft_id } : {}),
  };
}

/**
 * `/stop`, or `/stop@<this bot>`: in a group `/stop@other_bot` is meant for another bot. Without the bot's username
 * (TELEGRAM_BOT_USERNAME, which `npm run deploy` sets) an addressed stop counts only in a private chat, where no
 * other bot reads it.
 */
function isStopCommand(text: string | undefined, { botUsername, privateChat }: { botUsername: string | undefined; privateChat: boolean }): boolean {
  const match = text === undefined ? null : /^\/stop(?:@(\w+))?(?:\s|$)/.exec(text);
  if (!match) return false;
  const target = match[1];
  if (target === undefined) return true;
  return botUsername ? target.toLowerCase() === botUsername.toLowerCase() : privateChat;
}
