import type { TurnInput } from '../../agent/agent-loop.ts';
import type { IncomingFile } from '../incoming-message.ts';
import { convertFile } from './convert-file.ts';
import { labelOf, type MediaItem, type MediaTurnRequest } from './media-file.ts';
import { MediaError } from './media-error.ts';
import { BEDROCK_DOCUMENTS_PER_MESSAGE } from './model-inputs.ts';
import { MEDIA_BYTES_PER_REQUEST } from '../../agent/providers.ts';
import { filePartBytes } from '../../agent/file-part-bytes.ts';

/** `skip`: another message of the same album answers for this one. */
export type MediaTurn =
  | { kind: 'turn'; text: string; parts?: TurnInput['parts']; replyPrefix?: string; pdfPages?: number }
  | { kind: 'reply'; text: string }
  | { kind: 'skip' };

/**
 * Turns a media message into model input. The caption always reaches the model. When a file cannot be used
 * (too large, an unsupported kind, a model without vision) the user is told why, and the caption is still answered.
 * Messages of one album are gathered into one turn (album.ts).
 */
export async function prepareMediaTurn(request: MediaTurnRequest): Promise<MediaTurn> {
  const limits = { mediaBytes: MEDIA_BYTES_PER_REQUEST[request.runtime.config.provider] };
  if (request.action.mediaGroupId === undefined) return turnFromItems([await convertItem(request)], limits);
  const { gatherAlbum } = await import('./album.ts');
  const items = await gatherAlbum(request, convertItem);
  return items ? turnFromItems(items, limits) : { kind: 'skip' };
}

async function convertItem(request: MediaTurnRequest): Promise<MediaItem> {
  const { action } = request;
  const file = chooseFile(action.files, request.runtime.config.media.imageMaxBytes);
  const label = labelOf(file);
  try {
    return { caption: action.text, label, result: { ok: await convertFile({ ...request, file }) } };
  } catch (error) {
    if (!(error instanceof MediaError)) throw error;
    request.runtime.log.info('received file not used', { kind: file.kind, reason: error.message, cause: error.cause });
    return { caption: action.text, label, result: { error: error.message } };
  }
}

export function turnFromItems(received: MediaItem[], { mediaBytes }: { mediaBytes: number }): MediaTurn {
  const items = withinByteLimit(withinPdfPageLimit(withinDocumentLimit(received)), mediaBytes);
  const usable = items.flatMap((item) => ('ok' in item.result ? [item.result.ok] : []));
  const errors = [...new Set(items.flatMap((item) => ('error' in item.result ? [item.result.error] : [])))];
  const caption = items.map((item) => item.caption).filter(Boolean).join('\n');
  if (usable.length === 0 && !caption) return { kind: 'reply', text: errors.join('\n') };
  const refused = items.flatMap((item) =>
    'error' in item.result ? [`[The user sent a ${item.label} that could not be used: ${item.result.error} They were told so.]`] : [],
  );
  const fallbackCaption = usable.length === 1 ? usable[0]!.defaultCaption : usable.length > 1 ? '(No caption: describe these briefly and ask what they would like to know.)' : undefined;
  const replyPrefix = [...errors.map((error) => `${error}\n\n`), ...usable.map((conversion) => conversion.replyPrefix ?? '')].join('');
  const parts = usable.flatMap((conversion) => conversion.parts);
  const pdfPages = usable.reduce((pages, conversion) => pages + (conversion.pdfPages?.pages ?? 0), 0);
  return {
    kind: 'turn',
    text: [...usable.map((conversion) => conversion.note), ...refused, caption || fallbackCaption].filter(Boolean).join('\n\n'),
    ...(parts.length ? { parts } : {}),
    ...(replyPrefix ? { replyPrefix } : {}),
    ...(pdfPages > 0 ? { pdfPages } : {}),
  };
}

/** Documents past the provider's per-message limit are refused, in the order they were sent, with a note saying so. */
function withinDocumentLimit(items: MediaItem[]): MediaItem[] {
  let documents = 0;
  return items.map((item) => {
    if (!('ok' in item.result)) return item;
    const count = item.result.ok.parts.filter((part) => part.type === 'file' && !part.mediaType.startsWith('image/')).length;
    if (count === 0) return item;
    documents += count;
    if (documents <= BEDROCK_DOCUMENTS_PER_MESSAGE) return item;
    return { ...item, result: { error: `I can read up to ${BEDROCK_DOCUMENTS_PER_MESSAGE} documents in one message; please send the others in another message.` } };
  });
}

/** PDFs past the pages the model reads in one request go as their text, in the order they were sent. */
function withinPdfPageLimit(items: MediaItem[]): MediaItem[] {
  let pages = 0;
  return items.map((item) => {
    if (!('ok' in item.result) || !item.result.ok.pdfPages) return item;
    const { pdfPages, ...conversion } = item.result.ok;
    if (pages + pdfPages.pages > pdfPages.limit) return { ...item, result: { ok: { ...conversion, ...pdfPages.asText } } };
    pages += pdfPages.pages;
    return item;
  });
}

/**
 * Files past the bytes one request may carry are refused, in the order they were sent, with a note saying so: ten
 * images of 3 MB sent as files would make a request the provider refuses, and the user could never get an answer.
 */
function withinByteLimit(items: MediaItem[], limit: number): MediaItem[] {
  let bytes = 0;
  return items.map((item) => {
    if (!('ok' in item.result)) return item;
    const size = filePartBytes(item.result.ok.parts);
    if (bytes + size > limit) {
      return { ...item, result: { error: `Together these files are more than the ${Math.round(limit / 1024 / 1024)} MB I can look at in one message; please send the others in another message.` } };
    }
    bytes += size;
    return item;
  });
}

/**
 * A photo comes in several sizes, smallest first. The largest that fits the image limit keeps the most detail
 * the model accepts; a size Telegram did not measure is tried only if no measured one fits.
 */
function chooseFile(files: IncomingFile[], imageMaxBytes: number): IncomingFile {
  if (files[0]?.kind !== 'photo') return files[0]!;
  const fitting = files.filter((file) => file.size !== undefined && file.size <= imageMaxBytes);
  // When none fits, the smallest is the one to report: even it is too large.
  return fitting.at(-1) ?? files.find((file) => file.size === undefined) ?? files[0]!;
}
