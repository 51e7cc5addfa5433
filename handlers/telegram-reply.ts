import { GrammyError, type Api } from 'grammy';
import { markdownToTelegramHtml } from './telegram-html.ts';
import { splitMarkdown, TELEGRAM_MAX_CHARS } from './split-message.ts';

export interface ReplyTarget {
  chatId: number;
  threadId?: number;
  replyToMessageId?: number;
}

/** Source chunks leave room for the HTML tags and escapes added when rendering. */
const SOURCE_CHUNK_CHARS = 3500;

/**
 * Sends a Markdown answer as one or more HTML messages within Telegram's limit. When Telegram rejects the HTML
 * (its parser is stricter than ours), that chunk goes out again as plain text rather than being lost.
 */
export async function sendReply(api: Api, target: ReplyTarget, markdown: string): Promise<void> {
  const chunks = renderChunks(markdown);
  for (const [index, chunk] of chunks.entries()) {
    const options = {
      ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
      ...(index === 0 && target.replyToMessageId !== undefined
        ? { reply_parameters: { message_id: target.replyToMessageId, allow_sending_without_reply: true } }
        : {}),
    };
    try {
      await api.sendMessage(target.chatId, chunk.html, { ...options, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    } catch (error) {
      if (!(error instanceof GrammyError && error.error_code === 400 && /parse|entit|tag/i.test(error.description))) throw error;
      await api.sendMessage(target.chatId, chunk.plain, options);
    }
  }
}

export function renderChunks(markdown: string): Array<{ html: string; plain: string }> {
  const result: Array<{ html: string; plain: string }> = [];
  const pending = splitMarkdown(markdown, SOURCE_CHUNK_CHARS);
  while (pending.length > 0) {
    const source = pending.shift()!;
    const html = markdownToTelegramHtml(source);
    if (html.length <= TELEGRAM_MAX_CHARS || source.length < 200) {
      result.push({ html: html.slice(0, TELEGRAM_MAX_CHARS), plain: source.slice(0, TELEGRAM_MAX_CHARS) });
    } else {
      pending.unshift(...splitMarkdown(source, Math.floor(source.length / 2)));
    }
  }
  return result;
}
