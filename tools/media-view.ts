import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import type { ReopenedMedia } from './ports/media-library.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';
import { asToolResult, type ToolFailure, type ToolSuccess } from './tool-result.ts';

/** What the media store names files: `<chat id>/<Telegram file_unique_id>.<extension>`. */
const MEDIA_KEY = /^(-?\d+)\/[A-Za-z0-9_-]{1,128}\.[a-z0-9]{1,8}$/;

/**
 * Bedrock takes at most 5 documents in a request ("API restrictions", Bedrock User Guide, checked 2026-12-02), and
 * every request of a turn repeats the user's message and the tool results before it; images are held to 20, as a
 * Converse message takes. Counted over the whole turn with the files of the user's message: past them a document
 * comes back as its text, and an image is refused.
 */
const DOCUMENTS_PER_TURN = 5;
const IMAGES_PER_TURN = 20;

const inputSchema = zodSchema(
  z.object({
    key: z.string().max(200).describe('The key from the note of the message that sent the file, e.g. media:77/AQADm1.png.'),
  }),
);

type Opened = { key: string; content?: string; attached?: string; data?: Uint8Array };

/**
 * Hermes' users send a file and ask about it later; the turn that received the file kept only a note naming it, so
 * this tool opens it again. Images and PDFs reach the model as file parts of the tool result: @ai-sdk/deepseek 3
 * sends images there as `image_url` parts of the tool message, @ai-sdk/amazon-bedrock 5 images and documents as
 * blocks of the `toolResult`. Their bytes are never stored with the turn (agent/turn-size.ts).
 */
export function mediaViewTool(deps: Pick<ToolDeps, 'media' | 'log'>, ctx: ToolContext) {
  const shown = { documents: ctx.attached?.documents ?? 0, images: ctx.attached?.images ?? 0, pdfPages: ctx.attached?.pdfPages ?? 0, bytes: ctx.attached?.bytes ?? 0 };
  const bytesLimit = ctx.attached?.bytesLimit ?? Infinity;
  return tool({
    description:
      'Open again a file the user sent earlier in this chat (a photo, a PDF or a text file), to look at it or read it when a question needs more than what was said about it. Give the key from its note (media:...).',
    inputSchema,
    execute: ({ key }): Promise<ToolSuccess<Opened> | ToolFailure> =>
      asToolResult(async () => {
        const mediaKey = key.trim().replace(/^media:/, '');
        const chat = MEDIA_KEY.exec(mediaKey)?.[1];
        if (chat === undefined) throw new ValidationError(`"${key}" is not a media key; keys look like media:77/AQADm1.png.`);
        if (chat !== String(ctx.delivery.chatId)) throw new ValidationError('That file was sent in another chat; only files of this chat can be opened.');
        if (!deps.media) throw new ValidationError('Received files cannot be opened here (a scheduled task has no chat files).');
        let opened = await deps.media.reopen(mediaKey, { textOnly: shown.documents >= DOCUMENTS_PER_TURN, pdfPagesShown: shown.pdfPages });
        if (opened.kind === 'file' && shown.bytes + opened.data.byteLength > bytesLimit) {
          // Every request of the turn carries the files shown so far; past the provider's size the request is refused.
          const tooMuch = `Opening it would put more than the ${Math.round(bytesLimit / 1024 / 1024)} MB of files one request may carry into this answer; answer from what you have seen, or ask the user about this file in a new message.`;
          if (opened.mediaType.startsWith('image/')) throw new ValidationError(tooMuch);
          opened = await deps.media.reopen(mediaKey, { textOnly: true }).catch(() => {
            throw new ValidationError(tooMuch);
          });
        }
        if (opened.kind === 'file') shown.bytes += opened.data.byteLength;
        if (opened.kind === 'file' && opened.mediaType.startsWith('image/')) {
          if (shown.images >= IMAGES_PER_TURN) throw new ValidationError(`${IMAGES_PER_TURN} images are the most I can look at in one answer.`);
          shown.images += 1;
        } else if (opened.kind === 'file') {
          shown.documents += 1;
          shown.pdfPages += opened.pdfPages ?? 0;
        }
        return describe(mediaKey, opened);
      }, { tool: 'media_view', log: deps.log }),
    toModelOutput: ({ output }) => {
      if (!output.success) return { type: 'json', value: output };
      if (output.data === undefined) return { type: 'json', value: { success: true, key: output.key, content: output.content ?? '' } };
      return {
        type: 'content',
        value: [
          { type: 'text', text: `media:${output.key} (${output.attached}) is attached.` },
          { type: 'file', data: { type: 'data', data: output.data }, mediaType: output.attached! },
        ],
      };
    },
  });
}

function describe(key: string, opened: ReopenedMedia): Opened {
  return opened.kind === 'text' ? { key, content: opened.text } : { key, attached: opened.mediaType, data: opened.data };
}
