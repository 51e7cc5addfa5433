import type { Config } from '../../agent/config.ts';

/**
 * Which configured models take images, checked 2026-12-01:
 * - Bedrock: Anthropic Claude and Amazon Nova Lite/Pro/Premier take images and, through Converse, document blocks (PDF).
 * - DeepSeek: V4.1 Flash (`deepseek-flash`) reads images through `image_url` parts; `deepseek-v4-flash-vision-exp` is
 *   its legacy experimental name, still served by V4.1 Flash. `deepseek-chat`, `deepseek-v4-flash` and
 *   `deepseek-v4-pro` are text-only. DeepSeek takes no PDF input, so PDFs go to it as extracted text.
 * HERMES_VISION=on/off overrides the guess, e.g. for a new model id.
 */
export function acceptsImages(config: Pick<Config, 'provider' | 'model' | 'media'>): boolean {
  if (config.media.vision !== 'auto') return config.media.vision === 'on';
  const model = config.model.toLowerCase();
  if (config.provider === 'bedrock') return isClaudeOrNova(model);
  return model === 'deepseek-flash' || model.includes('vision');
}

/**
 * Bedrock Converse document blocks (PDF, Word, Excel; docs.aws.amazon.com/bedrock, DocumentBlock, read 2026-12-01);
 * everything else gets the text of a PDF, and no Word or Excel file.
 */
export function acceptsDocuments(config: Pick<Config, 'provider' | 'model'>): boolean {
  return config.provider === 'bedrock' && isClaudeOrNova(config.model.toLowerCase());
}

/**
 * Claude reads at most 100 PDF pages in one request, and refuses the request past them ("API restrictions", Amazon
 * Bedrock User Guide, read 2026-12-02). Undefined for a model with no such limit, or one given no PDF files.
 */
export function pdfPagesPerRequest(config: Pick<Config, 'provider' | 'model'>): number | undefined {
  return acceptsDocuments(config) && config.model.toLowerCase().includes('anthropic.claude') ? 100 : undefined;
}

/** Nova 2 (`amazon.nova-2-lite-v1:0`) reads images and documents as Nova 1 does; Nova Micro reads text only. */
function isClaudeOrNova(model: string): boolean {
  return model.includes('anthropic.claude') || /amazon\.nova-(2-)?(lite|pro|premier|omni)/.test(model);
}

/**
 * Bedrock Converse takes images up to 8000 pixels on a side (ImageBlock, Converse API reference, checked 2026-12-02).
 * A photo is shrunk by Telegram well below that; an image sent as a file is not.
 */
export const BEDROCK_IMAGE_MAX_PIXELS = 8000;

/** The most pixels on a side the provider takes, where it documents one. */
export function imageSideLimit(config: Pick<Config, 'provider'>): number | undefined {
  return config.provider === 'bedrock' ? BEDROCK_IMAGE_MAX_PIXELS : undefined;
}

/** Bedrock Converse takes documents up to 4.5 MB each (docs.aws.amazon.com/bedrock, DocumentBlock, read 2026-12-01). */
export const BEDROCK_DOCUMENT_MAX_BYTES = 4.5 * 1024 * 1024;
/** And at most five documents in one message (Converse Message reference, read 2026-12-02); an album may hold ten. */
export const BEDROCK_DOCUMENTS_PER_MESSAGE = 5;
