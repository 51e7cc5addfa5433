import type { RepliesExpectation, TextMatcher } from './scenario-schema.ts';
import type { Route, SentMessage } from './step-driver.ts';
import { parseTelegramHtml } from '../test/stand-ins/telegram-html-rules.ts';

/**
 * What the user would see. Replies must always land in the step's chat and topic unless the expectation names
 * another route, because a reply in the wrong place is wrong whatever it says.
 */
export function checkReplies(replies: SentMessage[], expected: RepliesExpectation = {}, { route, messageId }: { route: Route; messageId?: number | undefined }): string[] {
  const failures: string[] = [];
  const chatId = expected.chatId ?? route.chatId;
  const threadId = expected.threadId === undefined ? (route.threadId ?? null) : expected.threadId;
  const shown = replies.map((reply) => preview(reply.text)).join(' | ') || 'none';

  if (expected.count !== undefined && replies.length !== expected.count) failures.push(`expected ${expected.count} replies, got ${replies.length}: ${shown}`);
  if (expected.minCount !== undefined && replies.length < expected.minCount) failures.push(`expected at least ${expected.minCount} replies, got ${replies.length}`);
  if (expected.texts && replies.length !== expected.texts.length) failures.push(`expected ${expected.texts.length} replies, got ${replies.length}: ${shown}`);

  replies.forEach((reply, index) => {
    const where = `reply ${index + 1}`;
    if (reply.chat_id !== chatId) failures.push(`${where} went to chat ${reply.chat_id}, expected ${chatId}`);
    if ((reply.message_thread_id ?? null) !== threadId) failures.push(`${where} has topic ${reply.message_thread_id ?? 'none'}, expected ${threadId ?? 'none'}`);
    if (expected.parseMode !== undefined && (reply.parse_mode ?? null) !== expected.parseMode) {
      failures.push(`${where} has parse_mode ${reply.parse_mode ?? 'none'}, expected ${expected.parseMode ?? 'none'}`);
    }
    const length = shownLength(reply);
    if (expected.maxLength !== undefined && length > expected.maxLength) failures.push(`${where} shows ${length} characters, over ${expected.maxLength}`);
    const matcher = expected.texts?.[index];
    if (matcher !== undefined && !matches(reply.text, matcher)) failures.push(`${where} ${JSON.stringify(preview(reply.text))} does not match ${describe(matcher)}`);
    if (expected.inReply && reply.reply_parameters?.message_id !== messageId) {
      failures.push(`${where} answers ${reply.reply_parameters ? `message ${reply.reply_parameters.message_id}` : 'no message'}, expected a reply to message ${messageId ?? '(none)'}`);
    }
  });
  const joined = replies.map(shownText).join('\n');
  for (const needle of expected.contain ?? []) if (!joined.includes(needle)) failures.push(`the replies lack ${JSON.stringify(preview(needle))}`);
  const total = replies.reduce((sum, reply) => sum + shownLength(reply), 0);
  if (expected.totalLength && (total < expected.totalLength.min || total > expected.totalLength.max)) {
    failures.push(`the replies show ${total} characters together, expected ${expected.totalLength.min} to ${expected.totalLength.max}`);
  }
  return failures;
}

/** The text as the chat shows it: HTML markup taken out. */
function shownText(reply: SentMessage): string {
  if (reply.parse_mode !== 'HTML') return reply.text;
  const parsed = parseTelegramHtml(reply.text);
  return parsed.ok ? parsed.text : reply.text;
}

/** Telegram's limit counts the text after entities parsing (sendMessage, Bot API docs): markup does not count. */
function shownLength(reply: SentMessage): number {
  if (reply.parse_mode !== 'HTML') return reply.text.length;
  const parsed = parseTelegramHtml(reply.text);
  return parsed.ok ? parsed.text.length : reply.text.length;
}

export function matches(text: string, matcher: TextMatcher): boolean {
  return typeof matcher === 'string' ? text === matcher : new RegExp(matcher.regex, matcher.flags).test(text);
}

export function describe(matcher: TextMatcher): string {
  return typeof matcher === 'string' ? JSON.stringify(matcher) : `/${matcher.regex}/${matcher.flags ?? ''}`;
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
