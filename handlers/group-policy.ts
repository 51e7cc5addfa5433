import type { Context, NextFunction } from 'grammy';
import type { Message, Update } from 'grammy/types';
import type { Config } from '../agent/config.ts';
import type { Logger } from '../agent/logger.ts';
import type { BotIdentity } from './bot-identity.ts';
import { COMMANDS } from './commands/command-list.ts';

type GroupSettings = Pick<Config['telegram'], 'allowedChats' | 'requireMention'>;

export function isGroupChat(ctx: Context): boolean {
  return ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';
}

/**
 * The group rules, ahead of everything else, so a message the bot must not answer costs no claim, no store read
 * and no model call. A group must be listed in TELEGRAM_ALLOWED_CHATS, or anyone could add the bot to a group
 * and spend its budget. In an allowed group, with TELEGRAM_REQUIRE_MENTION on (the default), only messages that
 * mention the bot, reply to it or are commands for it get through: with privacy mode on, those are also the only
 * group messages Telegram delivers to a bot.
 */
export function groupGate(settings: GroupSettings, log: Logger) {
  const allowedChats = new Set(settings.allowedChats ?? []);
  return async (ctx: Context, next: NextFunction): Promise<void> => {
    if (!isGroupChat(ctx)) return next();
    if (!allowedChats.has(String(ctx.chat!.id))) {
      log.warn('message in a group not in TELEGRAM_ALLOWED_CHATS ignored', { chatId: ctx.chat!.id, title: ctx.chat!.title, userId: ctx.from?.id });
      return;
    }
    if (isChannelDirectMessages(ctx.chat!)) {
      log.warn(CHANNEL_DIRECT_MESSAGES_UNSUPPORTED, { chatId: ctx.chat!.id });
      return;
    }
    if (settings.requireMention && !updatePassesMentionRule(ctx.update, ctx.me)) return;
    return next();
  };
}

/**
 * A channel's direct-messages chat (Bot API 9.2) keeps each subscriber's messages in a topic of their own, and every
 * reply must name it (`direct_messages_topic_id`, or Telegram refuses it), as must the conversation, or subscribers
 * would share one history. Neither is built, so such a chat is not answered, even when allowed, and the log says why.
 */
export function isChannelDirectMessages(chat: { is_direct_messages?: boolean | undefined }): boolean {
  return chat.is_direct_messages === true;
}

export const CHANNEL_DIRECT_MESSAGES_UNSUPPORTED = "a channel's direct-messages chat is in TELEGRAM_ALLOWED_CHATS, but Hermes does not answer there yet; message ignored";

/** Where only messages addressed to the bot are answered (a group, with TELEGRAM_REQUIRE_MENTION): the test for that. */
export function mustAddressBot(ctx: Context, settings: Pick<GroupSettings, 'requireMention'>): ((message: Message) => boolean) | undefined {
  return isGroupChat(ctx) && settings.requireMention ? (message) => addressesBot(message, ctx.me) : undefined;
}

/**
 * The rule where a mention is required, for a new or edited group message; other updates (a button press on one of
 * the bot's messages, a reaction) pass. An album's mention may sit on any of its messages, so a new album message
 * passes and album.ts decides for all of them; an edit passes only when it addresses the bot itself. The webhook's
 * ack applies the same rule to the raw update before grammY is loaded, so what the gate would drop is never queued.
 */
export function updatePassesMentionRule(update: Pick<Update, 'message' | 'edited_message'>, me: BotIdentity): boolean {
  // The group's move to a new id concerns the bot's own state: its jobs there (group-migration.ts).
  if (update.message?.migrate_to_chat_id !== undefined) return true;
  if (update.message) return update.message.media_group_id !== undefined || addressesBot(update.message, me);
  if (update.edited_message) return addressesBot(update.edited_message, me);
  return true;
}

const BOT_COMMANDS = new Set(['start', ...COMMANDS.flatMap(({ command, aliases }) => [command, ...(aliases ?? [])])]);

/**
 * Every bot in a group gets every /command (BotFather's privacy mode lets those through), so one without a @name is
 * this bot's only when it is one of its commands: `/weather` is for another bot.
 */
function isOwnCommand(command: string, username: string): boolean {
  const [name, target] = command.toLowerCase().slice(1).split('@');
  return target === username || (target === undefined && BOT_COMMANDS.has(name!));
}

/** A group message that starts with another bot's command; not answered, even where the bot hears every message. */
export function isOtherBotsCommand(message: Message, me: BotIdentity): boolean {
  const text = message.text ?? '';
  const entity = message.entities?.find((candidate) => candidate.type === 'bot_command' && candidate.offset === 0);
  return entity !== undefined && !isOwnCommand(text.slice(0, entity.length), me.username.toLowerCase());
}

/** A mention of the bot (@username, or a text mention of its user), a reply to one of its messages, or a command for it. */
export function addressesBot(message: Message, me: BotIdentity): boolean {
  const text = message.text ?? message.caption ?? '';
  const username = me.username.toLowerCase();
  for (const entity of message.entities ?? message.caption_entities ?? []) {
    const span = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (entity.type === 'mention' && span === `@${username}`) return true;
    if (entity.type === 'text_mention' && entity.user.id === me.id) return true;
    if (entity.type === 'bot_command' && entity.offset === 0 && isOwnCommand(span, username)) return true;
  }
  return message.reply_to_message?.from?.id === me.id;
}
