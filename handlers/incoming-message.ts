import type { Message } from 'grammy/types';
import { contactText } from './contact-text.ts';
import { diceText } from './dice-text.ts';
import { editIgnoredBecause } from './edit-rules.ts';
import { withLinks } from './linked-text.ts';
import { pollText } from './poll-text.ts';
import { richMessageText } from './rich-message-text.ts';

/** A file Telegram holds for us, to be fetched with getFile when the turn runs. */
export interface IncomingFile {
  kind: 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'video_note' | 'animation';
  fileId: string;
  fileUniqueId: string;
  /** As Telegram reports it; absent for some files. */
  size?: number;
  mimeType?: string;
  fileName?: string;
  durationSeconds?: number;
}

/**
 * What to do with a message, decided without any I/O so that the first text update never loads media code.
 * - `ignore`: service messages and other bots' commands; nothing is sent.
 * - `reply`: a fixed, friendly answer without the model.
 * - `turn`: text for the model (a caption, coordinates, an edit).
 * - `media`: text plus files to fetch and convert first (handlers/media/).
 */
export type IncomingAction =
  | { kind: 'ignore'; reason: string }
  | { kind: 'reply'; text: string }
  | { kind: 'turn'; text: string; edited: boolean }
  | {
      kind: 'media';
      text: string;
      files: IncomingFile[];
      messageId: number;
      mediaGroupId?: string;
      edited: false;
      /** The files belong to an earlier message this one replies to: context for the question, not a new one. */
      fromReply?: true;
    };

export interface ClassifyOptions {
  /** The bot's own username, to tell `/cmd@other_bot` from `/cmd@us`. */
  botUsername: string;
  /** True for an `edited_message` update. */
  edited: boolean;
  /** Edits of messages older than this many seconds (at edit time) are ignored, and edits made longer ago than this. */
  editWindowSeconds: number;
  /**
   * The time now, in Unix seconds as Telegram dates are, to refuse an edit made longer ago than the window. Left out
   * where the webhook already judged that on arrival (the queue's worker, which may run minutes later).
   */
  nowSeconds?: number;
}

/** Kinds a reply brings back; a reply to a video or GIF is just text, as nothing of those can be read. */
const REREADABLE = new Set<IncomingFile['kind']>(['photo', 'document', 'voice', 'audio', 'video_note']);
/** How the note names a file replied to: "a photo", "a file", "a voice note", "an audio file", "a video message". */
const REREAD_NAMES: Partial<Record<IncomingFile['kind'], string>> = { photo: 'a photo', document: 'a file', voice: 'a voice note', audio: 'an audio file', video_note: 'a video message' };

export const EDIT_NOTE = 'The user edited a message they sent a moment ago; answer the corrected version below and say briefly that you are answering the edit.';

const FRIENDLY = {
  other: 'I can\'t open that kind of message. I read text, photos, documents (PDF and text files) and voice notes.',
} as const;

/**
 * Telegram puts each kind of content in its own field (Bot API, Message object, https://core.telegram.org/bots/api#message,
 * read 2026-12-01). Anything not listed here is a service message (a pin, new members, a topic created, write access
 * allowed, video chats, boosts, gifts…) and is ignored: new service kinds appear often, content kinds rarely.
 */
export function classifyMessage(message: Message, options: ClassifyOptions): IncomingAction {
  if (options.edited) return classifyEdit(message, options);
  if (message.text !== undefined) {
    const otherBot = commandForOtherBot(message, options.botUsername);
    if (otherBot) return { kind: 'ignore', reason: `command for @${otherBot}` };
    // Replying to an earlier photo, file or voice note brings it back: its file id stays valid for getFile.
    const earlier = message.reply_to_message ? filesOf(message.reply_to_message).filter((file) => REREADABLE.has(file.kind)) : [];
    const text = withLinks(message.text, message.entities);
    if (earlier.length > 0) {
      const note = `(This message replies to ${REREAD_NAMES[earlier[0]!.kind]} sent earlier, attached again.)\n${text}`;
      return { kind: 'media', text: note, files: earlier, messageId: message.message_id, edited: false, fromReply: true };
    }
    return { kind: 'turn', text, edited: false };
  }
  const media = mediaOf(message);
  if (media) return media;
  if (message.venue) {
    const { location, title, address } = message.venue;
    return { kind: 'turn', text: `${locationText(location)}\nVenue: ${title}, ${address}`, edited: false };
  }
  if (message.location) return { kind: 'turn', text: locationText(message.location), edited: false };
  // Hermes passes a sticker on by its emoji (and set), so 👍 after a question reads as a yes, in the conversation.
  if (message.sticker) return { kind: 'turn', text: stickerText(message.sticker), edited: false };
  // Read like a location: what the user does next ("save her number", "which should I pick?") needs it in the history.
  if (message.contact) return { kind: 'turn', text: contactText(message.contact), edited: false };
  if (message.poll) return { kind: 'turn', text: pollText(message.poll), edited: false };
  if (message.dice) return { kind: 'reply', text: diceText(message.dice) };
  if (message.rich_message) {
    const text = richMessageText(message.rich_message);
    return text ? { kind: 'turn', text, edited: false } : { kind: 'reply', text: FRIENDLY.other };
  }
  // Content the bot cannot read, a forward of another bot's invoice or a channel's giveaway among them: said so.
  if (message.story || message.game || message.paid_media || message.checklist || message.invoice || message.giveaway || message.giveaway_winners) {
    return { kind: 'reply', text: FRIENDLY.other };
  }
  return { kind: 'ignore', reason: 'service message' };
}

/** A message carrying a file: its caption and every file to fetch (an album's leader reads its members with this). */
export function mediaOf(message: Message): Extract<IncomingAction, { kind: 'media' }> | undefined {
  const files = filesOf(message);
  if (files.length === 0) return undefined;
  return { kind: 'media', text: withLinks(message.caption ?? '', message.caption_entities), files, messageId: message.message_id, ...(message.media_group_id ? { mediaGroupId: message.media_group_id } : {}), edited: false };
}

/** An edit is answered as the corrected message, while it is fresh (edit-rules.ts). */
function classifyEdit(message: Message, options: ClassifyOptions): IncomingAction {
  const ignored = editIgnoredBecause(message, options);
  if (ignored) return { kind: 'ignore', reason: ignored };
  const text = withLinks(message.text ?? message.caption ?? '', message.text === undefined ? message.caption_entities : message.entities);
  const attachment = message.text === undefined ? `\n(It is the caption of a ${filesOf(message)[0]?.kind ?? 'file'} sent earlier.)` : '';
  return { kind: 'turn', text: `[${EDIT_NOTE}]${attachment}\n\n${text}`, edited: true };
}

/** `/start@other_bot` is meant for another bot in the group; Telegram delivers it to every bot that can read it. */
function commandForOtherBot(message: Message, botUsername: string): string | undefined {
  const entity = message.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity || !message.text) return undefined;
  const command = message.text.slice(0, entity.length);
  const at = command.indexOf('@');
  if (at < 0) return undefined;
  const target = command.slice(at + 1);
  return target.toLowerCase() === botUsername.toLowerCase() ? undefined : target;
}

function locationText(location: { latitude: number; longitude: number; horizontal_accuracy?: number }): string {
  const accuracy = location.horizontal_accuracy ? ` (accurate to about ${Math.round(location.horizontal_accuracy)} m)` : '';
  return `[The user shared a location: latitude ${location.latitude}, longitude ${location.longitude}${accuracy}.]`;
}

function filesOf(message: Message): IncomingFile[] {
  const base = (kind: IncomingFile['kind'], file: { file_id: string; file_unique_id: string; file_size?: number }) => ({
    kind,
    fileId: file.file_id,
    fileUniqueId: file.file_unique_id,
    ...(file.file_size !== undefined ? { size: file.file_size } : {}),
  });
  if (message.photo?.length) {
    // Every size of the photo is listed, smallest first; media/ picks the largest within the byte limit.
    return message.photo.map((size) => base('photo', size));
  }
  const single =
    (message.animation && { ...base('animation', message.animation), mimeType: message.animation.mime_type, fileName: message.animation.file_name }) ||
    (message.document && { ...base('document', message.document), mimeType: message.document.mime_type, fileName: message.document.file_name }) ||
    (message.voice && { ...base('voice', message.voice), mimeType: message.voice.mime_type, durationSeconds: message.voice.duration }) ||
    (message.audio && { ...base('audio', message.audio), mimeType: message.audio.mime_type, fileName: message.audio.file_name, durationSeconds: message.audio.duration }) ||
    (message.video && { ...base('video', message.video), mimeType: message.video.mime_type, fileName: message.video.file_name, durationSeconds: message.video.duration }) ||
    (message.video_note && { ...base('video_note', message.video_note), durationSeconds: message.video_note.duration });
  if (!single) return [];
  return [Object.fromEntries(Object.entries(single).filter(([, value]) => value !== undefined)) as unknown as IncomingFile];
}

/** A sticker as the model reads it: what the sender meant by it, as far as its emoji tells; the picture is not seen. */
function stickerText(sticker: NonNullable<Message['sticker']>): string {
  const set = sticker.set_name ? ` from the "${sticker.set_name}" set` : '';
  return sticker.emoji ? `[The user sent a sticker ${sticker.emoji}${set}; only its emoji is known, not the picture]` : `[The user sent a sticker${set}; its picture cannot be seen]`;
}
