/** What the bot needs to know of itself to tell whether a group message addresses it. */
export interface BotIdentity {
  id: number;
  username: string;
}

/**
 * The bot's identity without asking Telegram: a bot token is `<bot id>:<secret>` (BotFather's format; getMe returns
 * the same id), and the username comes from TELEGRAM_BOT_USERNAME, which `npm run deploy` sets. Undefined where
 * either is missing, so callers fall back to what getMe tells the bot.
 */
export function botIdentity(token: string | undefined, username: string | undefined): BotIdentity | undefined {
  const id = /^(\d+):/.exec(token ?? '')?.[1];
  return id !== undefined && username ? { id: Number(id), username } : undefined;
}
