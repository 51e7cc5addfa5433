import type { Update } from 'grammy/types';
import { ALLOWED_USER } from './lambda-env.ts';

/**
 * A text message from the allowed user in a private chat; update ids double as arrival order. `sentAt` (epoch ms,
 * default now) is when Telegram received it, for conversations paced like real ones.
 */
export function messageUpdate(text: string, updateId: number, chatId = ALLOWED_USER, sentAt = Date.now()): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(sentAt / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Ada' },
      from: { id: ALLOWED_USER, is_bot: false, first_name: 'Ada' },
      text,
    },
  } as Update;
}
