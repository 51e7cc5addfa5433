import { extractText, getDocumentProxy } from 'unpdf';
import { MediaError } from './media-error.ts';
import { sliceWhole } from '../../tools/char-count.ts';

export interface PdfText {
  pages: number;
  /** The text of every page, each headed by its number, cut at `maxChars`. */
  text: string;
  truncated: boolean;
  /** Whether any page holds text; a scan without OCR holds none, though `text` still has the page headings. */
  hasText: boolean;
}

/**
 * Reads a PDF with unpdf (pdf.js built for servers, no worker or canvas). Loaded only when a PDF arrives: the
 * library is the largest part of the media code.
 */
export async function readPdf(content: Uint8Array, limits: { maxPages: number; maxChars: number }): Promise<PdfText> {
  let document;
  try {
    // pdf.js takes ownership of the buffer it is given, so it gets a copy and the caller keeps the bytes.
    document = await getDocumentProxy(new Uint8Array(content));
  } catch (error) {
    throw new MediaError('I couldn\'t open that PDF; it may be damaged or password-protected.', { cause: error });
  }
  try {
    if (document.numPages > limits.maxPages) {
      throw new MediaError(`That PDF has ${document.numPages} pages; I can read up to ${limits.maxPages}. Send the part you need as a shorter PDF.`);
    }
    const { text: pages } = await extractText(document, { mergePages: false });
    const text = pages.map((page, index) => `--- page ${index + 1} ---\n${page.trim()}`).join('\n\n');
    const truncated = text.length > limits.maxChars;
    return { pages: document.numPages, text: truncated ? sliceWhole(text, limits.maxChars) : text, truncated, hasText: pages.some((page) => page.trim() !== '') };
  } finally {
    await document.cleanup();
  }
}
