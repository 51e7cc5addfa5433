import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { TurnInput } from '../../agent/agent-loop.ts';
import type { Runtime } from '../../agent/runtime.ts';
import type { IncomingAction, IncomingFile } from '../incoming-message.ts';
import { MediaError } from './media-error.ts';
import { mediaStoreFor } from './media-store-for.ts';
import { downloadTelegramFile, megabytes } from './telegram-file.ts';

/** What every converter of a received file shares: the request, the result, and fetching and keeping the bytes. */
export interface MediaTurnRequest {
  runtime: Runtime;
  api: Api;
  token: string;
  apiRoot?: string;
  chatId: number;
  /** Aborts downloads and transcription in time for the model to answer (agent/deadlines.ts). */
  abortSignal?: AbortSignal;
  /** Set where the bot answers only messages addressed to it (a group): an album is answered if any message is. */
  addressesBot?: (message: Message) => boolean;
  /**
   * Called when this album message turns out to answer the album, before its files are fetched; the other members
   * end silently, so a "typing…" or a draft started for them would promise an answer that never comes.
   */
  onAlbumLead?: () => void;
  /** The message as Telegram sent it; an album records it for the member that answers the album. */
  message: Message;
  action: Extract<IncomingAction, { kind: 'media' }>;
}

/** What one received file became. */
export interface Conversion {
  /** Kept in the stored turn: what was sent and its media key, so later turns know of it without its bytes. */
  note: string;
  /** For this model call only. */
  parts: NonNullable<TurnInput['parts']>;
  /** Stands in for a missing caption. */
  defaultCaption?: string;
  /** Shown to the user before the answer (a transcript, a truncation notice): plain text, shown as written. */
  replyPrefix?: string;
  /**
   * A PDF given as a file to a model that reads only so many PDF pages in one request: its pages, and the limit, and
   * its text to send instead when the message's PDFs together would pass the limit.
   */
  pdfPages?: { pages: number; limit: number; asText: Pick<Conversion, 'parts' | 'replyPrefix'> };
}

export type FileRequest = MediaTurnRequest & { file: IncomingFile };

export function labelOf(file: IncomingFile): string {
  if (file.kind === 'document') return file.fileName ? `file "${file.fileName}"` : 'file';
  return { photo: 'photo', voice: 'voice note', audio: 'audio file', video: 'video', video_note: 'video message', animation: 'GIF' }[file.kind];
}

/** One received file and its caption, converted or refused. */
export interface MediaItem {
  caption: string;
  label: string;
  result: { ok: Conversion } | { error: string };
}

/** Downloads a file within `maxBytes`, refusing before the download when Telegram already reports it larger. */
export async function fetchFile(request: FileRequest, maxBytes: number): Promise<Uint8Array> {
  const { file } = request;
  const label = labelOf(file);
  if (file.size !== undefined && file.size > maxBytes) throw new MediaError(`That ${label} is ${megabytes(file.size)}; I can read up to ${megabytes(maxBytes)}.`);
  return downloadTelegramFile({
    api: request.api,
    token: request.token,
    ...(request.apiRoot ? { apiRoot: request.apiRoot } : {}),
    ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
    fileId: file.fileId,
    label,
    maxBytes,
  });
}

/** Keeps the file under `<chat>/<file_unique_id>.<ext>`: the same file sent twice is stored once. */
export async function storeFile(request: FileRequest, { content, extension, contentType }: { content: Uint8Array; extension: string; contentType: string }): Promise<string> {
  const store = await mediaStoreFor(request.runtime.config);
  const key = `${request.chatId}/${request.file.fileUniqueId.replace(/[^\w-]/g, '_')}.${extension}`;
  await store.put(key, content, contentType);
  return key;
}
