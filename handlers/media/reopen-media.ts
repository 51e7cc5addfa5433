import type { Config } from '../../agent/config.ts';
import { NotFoundError } from '../../tools/errors.ts';
import type { ReopenedMedia } from '../../tools/ports/media-library.ts';
import { MediaError } from './media-error.ts';
import { mediaStoreFor } from './media-store-for.ts';
import { isOfficeMediaType } from './file-types.ts';
import { acceptsDocuments, acceptsImages, BEDROCK_DOCUMENT_MAX_BYTES, pdfPagesPerRequest } from './model-inputs.ts';
import { sliceWhole } from '../../tools/char-count.ts';

/** A stored file as the chat's model can take it, by the same rules as when it arrived (convert-file.ts). */
export async function reopenMedia(config: Config, key: string, { textOnly = false, pdfPagesShown = 0 }: { textOnly?: boolean; pdfPagesShown?: number } = {}): Promise<ReopenedMedia> {
  const store = await mediaStoreFor(config);
  const stored = await store.get(key);
  if (!stored) throw new NotFoundError(`media:${key} is not stored any more (received files expire with the conversation); ask the user to send it again.`);
  const type = stored.contentType.split(';')[0]!.trim().toLowerCase();
  const { content } = stored;
  if (type.startsWith('image/')) {
    if (!acceptsImages(config)) throw new MediaError('The model this chat uses cannot see images, so the photo cannot be shown to it.');
    return { kind: 'file', data: content, mediaType: type };
  }
  if (type === 'application/pdf') {
    const asFile = !textOnly && acceptsDocuments(config) && content.byteLength <= BEDROCK_DOCUMENT_MAX_BYTES;
    const pageLimit = pdfPagesPerRequest(config);
    if (asFile && pageLimit === undefined) return { kind: 'file', data: content, mediaType: type };
    const { readPdf } = await import('./pdf-text.ts');
    const pdf = await readPdf(content, { maxPages: config.media.documentMaxPages, maxChars: config.media.documentMaxChars });
    // Claude reads so many PDF pages in one request, the user's message and the files opened before included.
    if (asFile && pageLimit !== undefined && pdfPagesShown + pdf.pages <= pageLimit) return { kind: 'file', data: content, mediaType: type, pdfPages: pdf.pages };
    return { kind: 'text', text: pdf.truncated ? `${pdf.text}\n[… the rest of the PDF is past the ${config.media.documentMaxChars} characters read]` : pdf.text };
  }
  if (isOfficeMediaType(type)) {
    if (!acceptsDocuments(config)) throw new MediaError('The model this chat uses cannot read Word or Excel files.');
    if (textOnly) throw new MediaError('Five documents are the most I can open in one answer; ask about this one in another message.');
    return { kind: 'file', data: content, mediaType: type };
  }
  if (type.startsWith('text/')) {
    const text = new TextDecoder().decode(content);
    const limit = config.media.documentMaxChars;
    const read = sliceWhole(text, limit);
    return { kind: 'text', text: read.length < text.length ? `${read}\n[… ${text.length - read.length} more characters not read]` : text };
  }
  if (type.startsWith('audio/') || type === 'video/mp4') throw new MediaError('A voice note or video message is kept as its transcript: it is in the note of the message that sent it.');
  throw new MediaError(`media:${key} is a kind of file that cannot be read.`);
}
