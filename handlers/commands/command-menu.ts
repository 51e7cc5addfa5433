import type { Api } from 'grammy';
import { menuCommands } from './command-list.ts';

/**
 * Registers the command list with Telegram, for the menu next to the message field, in private chats and groups
 * alike (the default scope). `npm start` does it at start-up; `npm run set-webhook` does it for the deployed bot.
 */
export async function registerCommandMenu(api: Api): Promise<void> {
  await api.setMyCommands(menuCommands());
}
