import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import type { FakeBotApi } from '../test/stand-ins/bot-api-server.ts';
import type { FakeTranscribe } from '../test/stand-ins/transcribe-server.ts';
import type { MessageStep } from './scenario-schema.ts';
import { textEntities } from '../test/stand-ins/bot-api-server.ts';

const MEDIA_DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'media');
/** Message ids follow the step index, so an edit can name the message it changes. */
const FIRST_MESSAGE_ID = 500;

export interface UpdateContext {
  bot: FakeBotApi;
  transcribe: FakeTranscribe;
  /** When the scenario started: every message of a scenario is dated from it, so edits have a fixed distance. */
  startedAt: number;
  /** Updates already sent, by update_id: a step repeating one redelivers it unchanged, as Telegram does. */
  posted: Map<number, Update>;
}

export interface StepMessage {
  message: MessageStep['message'];
  index: number;
  updateId: number;
}

/**
 * The update Telegram would send for a step: a text message, a photo, document or voice note (hosted on the Bot
 * API stand-in for getFile), or an `edited_message` of an earlier step's message, in the Bot API's shapes.
 */
export function messageUpdate(step: StepMessage, context: UpdateContext): Update {
  const earlier = context.posted.get(step.updateId);
  if (earlier) return earlier;
  const update = buildUpdate(step, context);
  context.posted.set(step.updateId, update);
  return update;
}

function buildUpdate({ message, index, updateId }: StepMessage, context: UpdateContext): Update {
  const { text, userId, firstName = 'Ada', chatId = userId, threadId, attachment, edits } = message;
  const messageIndex = edits?.step ?? index;
  const date = Math.floor(context.startedAt / 1000) + messageIndex;
  const chat = chatId < 0 ? { id: chatId, type: 'supergroup', title: 'Group', ...(threadId !== undefined ? { is_forum: true } : {}) } : { id: chatId, type: 'private', first_name: firstName };
  const body: Record<string, unknown> = {
    message_id: FIRST_MESSAGE_ID + messageIndex,
    from: { id: userId, is_bot: false, first_name: firstName, language_code: 'en' },
    chat,
    date,
    ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
    ...(edits ? { edit_date: date + edits.secondsLater } : {}),
  };
  if (attachment) {
    const content = readFileSync(join(MEDIA_DIR, attachment.file));
    const fileId = `eval-${index}-${attachment.file}`;
    const fileUniqueId = `AgADeval${index}`;
    context.bot.hostFile(fileId, content, { filePath: `${attachment.kind}s/file_${index}`, fileUniqueId });
    const file = { file_id: fileId, file_unique_id: fileUniqueId, file_size: content.length };
    if (attachment.kind === 'photo') body.photo = [{ ...file, width: 64, height: 64 }];
    if (attachment.kind === 'document') body.document = { ...file, file_name: attachment.fileName ?? attachment.file, mime_type: attachment.mimeType ?? 'application/octet-stream' };
    if (attachment.kind === 'voice') body.voice = { ...file, duration: attachment.duration ?? 3, mime_type: 'audio/ogg' };
    // A round video as the Bot API sends it: no MIME type, its diameter as `length` (VideoNote, checked 2026-12-02).
    if (attachment.kind === 'video_note') body.video_note = { ...file, duration: attachment.duration ?? 3, length: 240 };
    if (attachment.heard !== undefined) context.transcribe.hears(attachment.heard);
    if (text) body.caption = text;
  } else if (text) {
    body.text = text;
    const entities = textEntities(text);
    if (entities.length > 0) body.entities = entities;
  }
  return { update_id: updateId, ...(edits ? { edited_message: body } : { message: body }) } as unknown as Update;
}
