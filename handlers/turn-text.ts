import type { Context } from 'grammy';
import type { ExternalReplyInfo, Message, MessageOrigin, User } from 'grammy/types';
import { isGroupChat } from './group-policy.ts';
import { senderIdOf } from './sender-id.ts';

/** Enough of the words replied to for the model to know which message is meant, without a second copy of it. */
const QUOTE_CHARS = 300;

/**
 * What the model reads for a message: its text, and what it replies to, in private chats and groups alike. In a group
 * several people talk, so the text also says who wrote it, and the bot's own @mention, which only addressed the
 * message, is taken out. It is built from the message alone, so a retried turn stores the same text.
 */
export function turnText(ctx: Context, text: string): string {
  const reply = ctx.msg ? replyContext(ctx.msg, ctx.me.id) : undefined;
  const forward = ctx.msg ? forwardContext(ctx.msg, ctx.me.id) : undefined;
  if (!isGroupChat(ctx) || !ctx.from) {
    const notes = [forward && `[The user forwarded ${forward}]`, reply && `[The user is replying to ${reply}]`].filter(Boolean);
    return notes.length > 0 ? `${notes.join('\n')}\n${text}` : text;
  }
  const mention = new RegExp(`@${escapeRegExp(ctx.me.username)}\\b`, 'gi');
  const body = text.replace(mention, '').replace(/[ \t]{2,}/g, ' ').trim() || text;
  const context = [forward && `forwarding ${forward}`, reply && `replying to ${reply}`].filter(Boolean).join('; ');
  return `[${speakerName(ctx)}${context ? ` (${context})` : ''}]: ${body}`;
}

/**
 * Whose words a forwarded message carries, and when they were first sent: its text is someone else's, and "remind me
 * of this" means what it says, not what the user said ("MessageOrigin", Bot API docs, read 2026-12-02). The time is
 * in UTC, as Telegram gives it, so it is never read in the wrong zone.
 */
function forwardContext(message: Message, botId: number): string | undefined {
  const origin = message.forward_origin;
  if (!origin) return undefined;
  const sent = new Date(origin.date * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return `${originLabel(origin, { botId, senderId: senderIdOf(message), noun: 'message' })}, first sent ${sent} UTC`;
}

/** Who speaks: the user, or the chat they wrote as (an anonymous admin writes as the group itself). */
function speakerName(ctx: Context): string {
  const as = ctx.msg?.sender_chat;
  if (!as) return senderName(ctx.from!);
  return as.id === ctx.chat?.id ? 'an anonymous admin of this group' : `${as.title ?? 'a chat'} (writing as ${as.type === 'channel' ? 'the channel' : 'the chat'})`;
}

function senderName(user: User): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return user.username ? `${name} (@${user.username})` : name;
}

/**
 * What a message replies to, e.g. `your message: "It is noon."`. The part the user selected (`quote`) says best what
 * they mean; otherwise the replied message's own words. A reply to a message of another chat or topic comes as
 * `external_reply`, which has no text of its own, only the quote ("Message", Bot API docs, checked 2026-12-02).
 * In a private chat a reply to media without words adds nothing here: a photo, file or voice note replied to is
 * attached again with a note saying so (incoming-message.ts). The bot's own message is named too: in a group it may
 * have answered another member, in a conversation that is not this one.
 */
function replyContext(message: Message, botId: number): string | undefined {
  const ids = { botId, senderId: senderIdOf(message) };
  const quote = message.quote?.text;
  // A quote Telegram added by itself (`is_manual` unset) may be the whole text, so only a chosen one is "this part".
  const part = message.quote?.is_manual === true;
  const external = message.external_reply;
  if (external) {
    const whose = originLabel(external.origin, { ...ids, noun: kindOf(external) });
    return withWords(`${whose} in another chat or topic`, { words: quote, part });
  }
  const replied = message.reply_to_message;
  // In a forum every message of a topic replies to the message that created it.
  if (!replied || replied.forum_topic_created) return undefined;
  const words = quote ?? replied.text ?? replied.caption;
  if (!words && message.chat.type === 'private') return undefined;
  // A message sent as a chat has a stand-in `from` shared by every such sender; the chat it was sent as is its author.
  const whose = replied.sender_chat
    ? senderIdOf(replied) === ids.senderId
      ? 'their own message'
      : `a message from ${replied.sender_chat.title ?? 'a chat'}`
    : replied.from
      ? authorLabel(replied.from, { ...ids, noun: 'message' })
      : 'a message from someone';
  return withWords(whose, { words, part });
}

function withWords(whose: string, { words, part }: { words: string | undefined; part: boolean }): string {
  const shown = words === undefined ? '' : bounded(words);
  if (!shown) return whose;
  return `${part ? `this part of ${whose}` : whose}: "${shown}"`;
}

interface Labelling {
  botId: number;
  senderId: number | undefined;
  /** What was replied to: "message", or "photo", "voice note"… for media from elsewhere. */
  noun: string;
}

function authorLabel(user: User, { botId, senderId, noun }: Labelling): string {
  if (user.id === botId) return `your ${noun}`;
  if (user.id === senderId) return `their own ${noun}`;
  return `${article(noun)} from ${senderName(user)}`;
}

function originLabel(origin: MessageOrigin, labelling: Labelling): string {
  const from = (name: string) => `${article(labelling.noun)} from ${name}`;
  switch (origin.type) {
    case 'user':
      return authorLabel(origin.sender_user, labelling);
    case 'hidden_user':
      return from(origin.sender_user_name);
    case 'chat':
      return from(origin.sender_chat.title ?? 'a chat');
    case 'channel':
      return from(`the channel ${origin.chat.title}`);
  }
}

function article(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** What a message from elsewhere was: Telegram passes its media, and its words only as the quote. */
function kindOf(external: ExternalReplyInfo): string {
  const kinds: Array<[keyof ExternalReplyInfo, string]> = [
    ['photo', 'photo'],
    ['video', 'video'],
    ['animation', 'GIF'],
    ['voice', 'voice note'],
    ['audio', 'audio file'],
    ['document', 'file'],
    ['video_note', 'video message'],
    ['sticker', 'sticker'],
    ['poll', 'poll'],
    ['location', 'location'],
    ['venue', 'venue'],
    ['contact', 'contact card'],
  ];
  return kinds.find(([field]) => external[field] !== undefined)?.[1] ?? 'message';
}

/** On one line and at most QUOTE_CHARS characters (whole code points), with an ellipsis where it was cut. */
function bounded(text: string): string {
  const flat = Array.from(text.replace(/\s+/g, ' ').trim());
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS).join('')}…` : flat.join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
