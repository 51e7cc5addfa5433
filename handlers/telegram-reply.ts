import { GrammyError, type Api } from 'grammy';
import { findError, RecipientGoneError } from '../tools/errors.ts';
import { escapeHtml, markdownToTelegramHtml } from './markdown-to-telegram-html.ts';
import { splitTelegramHtml, TELEGRAM_MAX_CHARS, visibleText } from './split-message.ts';

export interface ReplyTarget {
  chatId: number;
  threadId?: number;
  replyToMessageId?: number;
}

/** One message of a reply, as a ledger of sent messages names it. */
export interface ReplyChunk {
  index: number;
  /** How many messages the whole reply takes. */
  total: number;
  html: string;
}

/** Which messages of a reply went out, so the retry of an attempt that failed halfway sends only the rest. */
export interface ReplyProgress {
  wasSent(chunk: ReplyChunk): Promise<boolean>;
  markSent(chunk: ReplyChunk): Promise<void>;
}

export interface RenderedChunk {
  html: string;
  plain: string;
}

/**
 * Sends a Markdown answer as one or more HTML messages within Telegram's limit. When Telegram rejects the HTML
 * (it refuses a message it "can't parse"), that chunk goes out again as plain text rather than being lost.
 */
export async function sendReply(api: Api, target: ReplyTarget, markdown: string): Promise<void> {
  await sendChunks(api, target, { chunks: renderChunks(markdown) });
}

/** The same, skipping the messages `progress` says went out already and recording each one that goes out. */
export async function sendTrackedReply(api: Api, target: ReplyTarget, reply: { markdown: string; progress: ReplyProgress }): Promise<void> {
  await sendChunks(api, target, { chunks: renderChunks(reply.markdown), progress: reply.progress });
}

export async function sendChunks(api: Api, target: ReplyTarget, { chunks, progress, from = 0 }: { chunks: RenderedChunk[]; progress?: ReplyProgress; from?: number }): Promise<void> {
  for (const [index, chunk] of chunks.entries()) {
    if (index < from) continue;
    const named = { index, total: chunks.length, html: chunk.html };
    if (progress && (await progress.wasSent(named))) continue;
    const options = {
      ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
      ...(index === 0 && target.replyToMessageId !== undefined
        ? { reply_parameters: { message_id: target.replyToMessageId, allow_sending_without_reply: true } }
        : {}),
    };
    try {
      await sendOne(api, target, { chunk, options });
    } catch (error) {
      const movedTo = error instanceof RecipientGoneError ? error.movedToChatId : undefined;
      if (movedTo === undefined || movedTo === target.chatId) throw error;
      // The group became a supergroup while the answer was on its way: the old id takes nothing more, and the answer
      // goes on where the group is now (Bot API, ResponseParameters.migrate_to_chat_id), from the message refused.
      await sendChunks(api, { chatId: movedTo }, { chunks, ...(progress ? { progress } : {}), from: index });
      return;
    }
    await progress?.markSent(named);
  }
}

async function sendOne(api: Api, target: ReplyTarget, { chunk, options }: { chunk: RenderedChunk; options: Record<string, unknown> }): Promise<void> {
  try {
    await api.sendMessage(target.chatId, chunk.html, { ...options, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  } catch (error) {
    if (!(error instanceof GrammyError && error.error_code === 400 && /parse|entit|tag/i.test(error.description))) throw goneOr(error, target.chatId);
    await api.sendMessage(target.chatId, chunk.plain, { ...options, link_preview_options: { is_disabled: true } }).catch((plainError: unknown) => {
      throw goneOr(plainError, target.chatId);
    });
  }
}

/**
 * Refusals that stay the same however often the message is sent again ("ResponseParameters", Bot API docs, checked
 * 2026-12-02): 403 (blocked by the user, removed from the chat), a group that migrated to a supergroup, and the 400s
 * of a chat the bot may no longer write to (a closed or deleted topic, lost rights, a chat that is gone), as
 * Telegram words them. A deleted topic, or one archived once a forum passes a million messages, answers "message
 * thread not found" (tdlib/telegram-bot-api issues 596 and 854); the bot names a thread only for a topic message. Anything else is passed on as it is, to be retried.
 */
const NO_LONGER_WRITABLE = /chat not found|message thread not found|TOPIC_CLOSED|TOPIC_DELETED|not enough rights to send|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED|need administrator rights/i;

/**
 * Whether a failure is the chat refusing the bot for good, however the send was made: a reply of this module, or a
 * command's or a notice's plain `ctx.reply`, whose refusal arrives as grammY's error. Retrying such an update only
 * fills the dead-letter queue (and wakes the owner) for a chat that will not take it.
 */
export function chatRefusesBot(error: unknown): RecipientGoneError | undefined {
  const gone = findError(error, RecipientGoneError);
  if (gone) return gone;
  const refused = findError(error, GrammyError);
  const chatId = Number(refused?.payload?.chat_id);
  const converted = refused ? goneOr(refused, chatId) : undefined;
  return converted instanceof RecipientGoneError ? converted : undefined;
}

function goneOr(error: unknown, chatId: number): unknown {
  if (!(error instanceof GrammyError)) return error;
  const movedTo = error.parameters.migrate_to_chat_id;
  if (error.error_code === 403 || movedTo !== undefined || (error.error_code === 400 && NO_LONGER_WRITABLE.test(error.description))) {
    return new RecipientGoneError(`Telegram will not deliver to chat ${chatId}: ${error.description}`, movedTo, { cause: error });
  }
  return error;
}

/** The reply as Telegram messages: each chunk's HTML, and the same text without markup for the fallback. */
export function renderChunks(markdown: string): RenderedChunk[] {
  const chunks = splitTelegramHtml(markdownToTelegramHtml(markdown));
  // Markup with no visible text (an empty code fence, say) still says something: its source, as it was written.
  const shown = chunks.length > 0 || markdown.trim() === '' ? chunks : splitTelegramHtml(escapeHtml(markdown.trim()));
  return shown.map((html) => ({ html, plain: plainText(html) }));
}

/**
 * The chunk without markup, for when Telegram refuses its HTML. A link keeps its address after its text, as the text
 * alone would lose where it points, unless that would make the message longer than Telegram takes.
 */
function plainText(html: string): string {
  const withAddresses = visibleText(
    html.replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/g, (_link, href: string, inner: string) => (visibleText(inner) === visibleText(href) ? inner : `${inner} (${href})`)),
  );
  // Telegram counts UTF-16 code units, as the splitter does (split-message.ts).
  return withAddresses.length <= TELEGRAM_MAX_CHARS ? withAddresses : visibleText(html);
}
