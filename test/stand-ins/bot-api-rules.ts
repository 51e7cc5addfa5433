import { parseTelegramHtml } from './telegram-html-rules.ts';

/** The Bot API's limit on a message's text after entity parsing. */
const MAX_TEXT_CHARS = 4096;

/** ReactionTypeEmoji.emoji: the only emoji a bot may react with (Bot API, checked 2026-12-01). */
export const REACTION_EMOJI = new Set(["👍", "👎", "❤", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢", "🎉", "🤩", "🤮", "💩", "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳", "❤‍🔥", "🌚", "🌭", "💯", "🤣", "⚡", "🍌", "🏆", "💔", "🤨", "😐", "🍓", "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻", "👨‍💻", "👀", "🎃", "🙈", "😇", "😨", "🤝", "✍", "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿", "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊", "😎", "👾", "🤷‍♂", "🤷", "🤷‍♀", "😡"]);

/**
 * What the Bot API refuses with 400, for the methods the bot calls: texts that are empty, too long or not parseable
 * in their parse_mode, malformed command lists (setMyCommands), reactions outside the allowed set and webhooks
 * Telegram cannot deliver to.
 * Returns the error description, or undefined when the request is acceptable.
 */
export function checkBotApiRequest(method: string, params: Record<string, unknown>): string | undefined {
  switch (method) {
    case 'sendMessage':
      return checkText(params);
    case 'setMyCommands':
      return checkCommands(params.commands);
    case 'setMessageReaction':
      return checkReaction(params);
    case 'setWebhook':
      return checkWebhook(params);
    default:
      return undefined;
  }
}

function checkText(params: Record<string, unknown>): string | undefined {
  if (typeof params.text !== 'string' || params.text.trim() === '') return 'Bad Request: message text is empty';
  // Half a surrogate pair arrives as an unpaired "\ud83c" escape in the JSON; TDLib refuses the string first.
  if (!params.text.isWellFormed()) return 'Bad Request: strings must be encoded in UTF-8';
  let text = params.text;
  if (params.parse_mode === 'HTML') {
    const parsed = parseTelegramHtml(params.text);
    if (!parsed.ok) return parsed.description;
    text = parsed.text;
  } else if (params.parse_mode !== undefined) {
    return `Bad Request: unsupported parse_mode "${String(params.parse_mode)}" in this stand-in`;
  }
  if (text.trim() === '') return 'Bad Request: message text is empty';
  if (text.length > MAX_TEXT_CHARS) return 'Bad Request: message is too long';
  return undefined;
}

/** BotCommand: command of 1-32 lowercase letters, digits and underscores; description of 1-256 characters; at most 100. */
function checkCommands(commands: unknown): string | undefined {
  if (!Array.isArray(commands)) return 'Bad Request: parameter "commands" is required';
  if (commands.length > 100) return 'Bad Request: too many commands specified';
  for (const entry of commands as Array<{ command?: unknown; description?: unknown }>) {
    if (typeof entry.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(entry.command)) return 'Bad Request: BOT_COMMAND_INVALID';
    if (typeof entry.description !== 'string' || entry.description.length < 1 || entry.description.length > 256) {
      return 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID';
    }
  }
  const names = (commands as Array<{ command: string }>).map((entry) => entry.command);
  if (new Set(names).size !== names.length) return 'Bad Request: BOT_COMMAND_DUPLICATE';
  return undefined;
}

function checkReaction(params: Record<string, unknown>): string | undefined {
  if (typeof params.message_id !== 'number') return 'Bad Request: message_id is required';
  const reactions = (params.reaction ?? []) as Array<{ type?: string; emoji?: string }>;
  if (reactions.length > 1) return 'Bad Request: REACTIONS_TOO_MANY';
  for (const reaction of reactions) {
    if (reaction.type !== 'emoji' || !REACTION_EMOJI.has(reaction.emoji ?? '')) return 'Bad Request: REACTION_INVALID';
  }
  return undefined;
}

/** The ports Telegram delivers webhooks to (setWebhook notes, Bot API, read 2026-12-02). */
const WEBHOOK_PORTS = new Set(['443', '80', '88', '8443']);

/**
 * setWebhook: an HTTPS URL on one of those ports (an empty one removes the webhook); secret_token of 1-256
 * characters A-Z, a-z, 0-9, _ and - (the descriptions are the server's, as bot libraries match them).
 */
function checkWebhook(params: Record<string, unknown>): string | undefined {
  if (typeof params.url !== 'string') return 'Bad Request: parameter "url" is required';
  if (params.url !== '') {
    const url = URL.parse(params.url);
    if (url?.protocol !== 'https:') return 'Bad Request: bad webhook: HTTPS url must be provided for webhook';
    if (!WEBHOOK_PORTS.has(url.port || '443')) return 'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443';
  }
  if (params.secret_token !== undefined && (typeof params.secret_token !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(params.secret_token))) {
    return 'Bad Request: secret token contains unallowed characters';
  }
  return undefined;
}
