import type { Message } from 'grammy/types';

/**
 * A message another bot wrote. Telegram delivers one to a bot when it replies to the bot's message and either bot has
 * Bot-to-Bot Communication Mode on (core.telegram.org/api/bots/bot-to-bot, read 2026-12-03), so the other bot's
 * setting alone pulls this one in: answered, two assistants would answer each other without end, a model call each.
 * Hermes keeps a loop guard for it; here such messages are never answered. Telegram's own stand-ins for a person are
 * not other bots: an anonymous admin (GroupAnonymousBot) and a channel posting in a group (Channel_Bot) come with
 * `sender_chat`, which names who wrote.
 */
export function isFromAnotherBot(update: { message?: unknown; edited_message?: unknown }): boolean {
  const message = (update.message ?? update.edited_message) as Pick<Message, 'from' | 'sender_chat'> | undefined;
  return message?.from?.is_bot === true && message.sender_chat === undefined;
}
