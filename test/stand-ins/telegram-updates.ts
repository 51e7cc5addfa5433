import type { Update } from 'grammy/types';
import { ALLOWED_USER } from './lambda-env.ts';

/**
 * A text message from the allowed user in a private chat; update ids double as arrival order. `sentAt` (epoch ms,
 * default now) is when Telegram received it, for conversations paced like real ones.
 */
export function messageUpdate(
  text: string,
  updateId: number,
  { chatId = ALLOWED_USER, sentAt = Date.now() }: { chatId?: number; sentAt?: number } = {},
): Update {
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

export interface AlbumPhoto {
  fileId: string;
  fileUniqueId: string;
  caption?: string;
  /** Entities of the caption (a @mention of the bot, in a group). */
  captionEntities?: Array<{ type: 'mention'; offset: number; length: number }>;
}

/** An album as Telegram sends it: one update per photo, sharing a media_group_id; the caption rides on one of them. */
export function albumUpdates(
  photos: AlbumPhoto[],
  options: { chatId: number; firstUpdateId: number; mediaGroupId?: string; sentAt?: number; chatType?: 'private' | 'supergroup'; userId?: number },
): Update[] {
  return photos.map((photo, index) => ({
    update_id: options.firstUpdateId + index,
    message: {
      message_id: options.firstUpdateId + index,
      date: Math.floor((options.sentAt ?? Date.now()) / 1000),
      chat: options.chatType === 'supergroup' ? { id: options.chatId, type: 'supergroup', title: 'Family' } : { id: options.chatId, type: 'private', first_name: 'Ada' },
      from: { id: options.userId ?? ALLOWED_USER, is_bot: false, first_name: 'Ada' },
      media_group_id: options.mediaGroupId ?? '13867207293917321',
      photo: [{ file_id: photo.fileId, file_unique_id: photo.fileUniqueId, file_size: 180, width: 64, height: 64 }],
      ...(photo.caption ? { caption: photo.caption } : {}),
      ...(photo.captionEntities ? { caption_entities: photo.captionEntities } : {}),
    },
  })) as Update[];
}
