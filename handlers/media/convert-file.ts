import { EXTENSION_OF, isImageDocument, isPdf, isTextLike, officeType, sniffImageType, type OfficeType } from './file-types.ts';
import { MediaError } from './media-error.ts';
import { fetchFile, labelOf, storeFile, type Conversion, type FileRequest } from './media-file.ts';
import { acceptsImages, acceptsDocuments, BEDROCK_DOCUMENT_MAX_BYTES, imageSideLimit, pdfPagesPerRequest } from './model-inputs.ts';
import { megabytes } from './telegram-file.ts';
import { sliceWhole } from '../../tools/char-count.ts';

export async function convertFile(request: FileRequest): Promise<Conversion> {
  const { file } = request;
  switch (file.kind) {
    case 'photo':
      return convertImage(request);
    case 'document': {
      if (isImageDocument(file.mimeType)) return convertImage(request);
      if (isPdf(file.mimeType, file.fileName)) return convertPdf(request);
      if (isTextLike(file.mimeType, file.fileName)) return convertText(request);
      const office = officeType(file.mimeType, file.fileName);
      if (office) return convertOffice(request, office);
      // A voice memo or recording shared as a file (an .m4a from the phone's recorder, an .opus) is speech all the same.
      if (file.mimeType?.startsWith('audio/')) {
        const { convertSpeech } = await import('./convert-speech.ts');
        return convertSpeech(request);
      }
      // Telegram turns a photo into a JPEG only when it is sent as a photo; as a file, an iPhone's stays HEIC.
      if (file.mimeType?.startsWith('image/')) throw new MediaError(`I can't read that kind of image (${file.mimeType}) as a file. Send it as a photo instead, and Telegram converts it.`);
      throw new MediaError(`I can't read that kind of file${file.mimeType ? ` (${file.mimeType})` : ''}. I read PDFs, text files (txt, md, csv, json, code), images and audio.`);
    }
    case 'voice':
    case 'audio':
    case 'video_note': {
      const { convertSpeech } = await import('./convert-speech.ts');
      return convertSpeech(request);
    }
    default:
      throw new MediaError(`I can't watch ${file.kind === 'animation' ? 'GIFs' : 'videos'}; I read text, photos, documents, voice notes and what is said in video messages.`);
  }
}

async function convertImage(request: FileRequest): Promise<Conversion> {
  const { config } = request.runtime;
  if (!acceptsImages(config)) {
    throw new MediaError(`I can't see images with the current model (${config.model}), so I only read the words sent with them.`);
  }
  const { size } = request.file;
  if (request.file.kind === 'document' && size !== undefined && size > config.media.imageMaxBytes) {
    // A phone camera's JPEG sent "as File" is often larger than a model takes; sent as a photo, Telegram shrinks it.
    throw new MediaError(`That image file is ${megabytes(size)}; the model takes images up to ${megabytes(config.media.imageMaxBytes)}. Send it as a photo instead (Telegram shrinks it).`);
  }
  const content = await fetchFile(request, config.media.imageMaxBytes);
  const mediaType = sniffImageType(content);
  if (!mediaType) throw new MediaError('That image is in a format I can\'t read; send a JPEG, PNG, GIF or WebP.');
  await assertImageSides(content, imageSideLimit(config));
  const key = await storeFile(request, { content, extension: EXTENSION_OF[mediaType], contentType: mediaType });
  return {
    note: `[${request.file.kind === 'photo' ? 'Photo' : 'Image'} attached, kept as media:${key}]`,
    parts: [{ type: 'file', data: content, mediaType }],
    defaultCaption: '(No caption: describe the image briefly and ask what they would like to know.)',
  };
}

/** An image larger than the model takes would fail the whole turn, and every turn that opens it again. */
async function assertImageSides(content: Uint8Array, limit: number | undefined): Promise<void> {
  if (limit === undefined) return;
  const { imageSize } = await import('image-size');
  let width: number;
  let height: number;
  try {
    ({ width, height } = imageSize(content));
  } catch {
    throw new MediaError("That image is damaged or cut short, so I can't read it.");
  }
  if (width > limit || height > limit) {
    throw new MediaError(`That image is ${width} × ${height} pixels; the model takes at most ${limit} on a side. Send it as a photo (Telegram shrinks it) or crop it.`);
  }
}

async function convertText(request: FileRequest): Promise<Conversion> {
  const { config } = request.runtime;
  const content = await fetchFile(request, config.media.maxBytes);
  const text = decodeText(content);
  if (text.includes('\u0000')) throw new MediaError(`${capitalized(labelOf(request.file))} looks binary, not like text, so I can't read it.`);
  // Kept as UTF-8, as it is labelled, so the file opened again later reads the same.
  const key = await storeFile(request, { content: new TextEncoder().encode(text), extension: 'txt', contentType: 'text/plain; charset=utf-8' });
  const limit = config.media.documentMaxChars;
  const truncated = text.length > limit;
  const name = request.file.fileName ?? 'file';
  return {
    note: `[File "${name}" attached (${text.length} characters), kept as media:${key}]`,
    parts: [{ type: 'text', text: documentText(name, truncated ? sliceWhole(text, limit) : text) }],
    defaultCaption: '(No message with the file: summarize it briefly and ask what they would like done with it.)',
    ...(truncated ? { replyPrefix: `(The file is long: I read its first ${limit.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters.)\n\n` } : {}),
  };
}

/**
 * Text as phones and spreadsheets save it: UTF-8; UTF-16 behind its byte-order mark (Excel's "Unicode text"); else
 * Windows-1252, which Excel on Windows uses for CSV and which, unlike UTF-8, decodes any byte.
 */
function decodeText(content: Uint8Array): string {
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content);
  if (content[0] === 0xfe && content[1] === 0xff) return new TextDecoder('utf-16be').decode(content);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('windows-1252').decode(content);
  }
}

async function convertPdf(request: FileRequest): Promise<Conversion> {
  const { config } = request.runtime;
  const content = await fetchFile(request, config.media.maxBytes);
  const { readPdf } = await import('./pdf-text.ts');
  const pdf = await readPdf(content, { maxPages: config.media.documentMaxPages, maxChars: config.media.documentMaxChars });
  const key = await storeFile(request, { content, extension: 'pdf', contentType: 'application/pdf' });
  const name = request.file.fileName ?? 'document.pdf';
  const note = `[PDF "${name}" attached (${pdf.pages} page${pdf.pages === 1 ? '' : 's'}), kept as media:${key}]`;
  const defaultCaption = '(No message with the PDF: summarize it briefly and ask what they would like done with it.)';
  // Through Converse, Claude reads a PDF's text, not its page images: those need citations turned on, at about seven
  // times the tokens ("PDF support", Claude docs, Amazon Bedrock section, checked 2026-12-02). So a scanned PDF with no
  // text reads as empty on every model, and the user is asked for photos of the pages instead.
  if (!pdf.hasText) throw new MediaError('That PDF has no text I can read; it may be scanned pages. Send the pages as photos instead.');
  const asText = {
    parts: [{ type: 'text' as const, text: documentText(name, pdf.text) }],
    ...(pdf.truncated ? { replyPrefix: `(The PDF is long: I read its first ${config.media.documentMaxChars.toLocaleString('en-US')} characters.)\n\n` } : {}),
  };
  // Bedrock gets the file itself as a Converse document block, and keeps its structure (headings, tables); a PDF longer
  // than the model reads in one request goes as its text.
  const pageLimit = pdfPagesPerRequest(config);
  if (acceptsDocuments(config) && content.byteLength <= BEDROCK_DOCUMENT_MAX_BYTES && (pageLimit === undefined || pdf.pages <= pageLimit)) {
    const file = { type: 'file' as const, data: content, mediaType: 'application/pdf' };
    return { note, parts: [file], defaultCaption, ...(pageLimit !== undefined ? { pdfPages: { pages: pdf.pages, limit: pageLimit, asText } } : {}) };
  }
  return { note, defaultCaption, ...asText };
}

/** A model that reads documents gets the file itself; the bytes never have to be parsed here. */
async function convertOffice(request: FileRequest, type: OfficeType): Promise<Conversion> {
  const { config } = request.runtime;
  if (!acceptsDocuments(config)) {
    throw new MediaError(`I can't read a ${type.label} with the model this chat uses. Send it as a PDF, or paste the text.`);
  }
  const content = await fetchFile(request, Math.min(config.media.maxBytes, BEDROCK_DOCUMENT_MAX_BYTES));
  const key = await storeFile(request, { content, extension: type.extension, contentType: type.mediaType });
  const name = request.file.fileName ?? `document.${type.extension}`;
  return {
    note: `[${type.label} "${name}" attached, kept as media:${key}]`,
    // No filename: Bedrock document names allow no dots, so the provider's own numbered names are used.
    parts: [{ type: 'file', data: content, mediaType: type.mediaType }],
    defaultCaption: '(No message with the file: summarize it briefly and ask what they would like done with it.)',
  };
}

/** Set apart by blank lines: DeepSeek's provider joins text parts with nothing between them. */
function documentText(name: string, content: string): string {
  return `\n\n<document name="${name.replace(/"/g, "'")}">\n${content}\n</document>`;
}

function capitalized(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}
