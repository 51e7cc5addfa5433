import type { DeployInputs } from './deploy-inputs.ts';
import { callBotApi } from './telegram-bot-api.ts';
import { buildGetMeRequest } from './telegram-webhook-requests.ts';

/**
 * The bot's username, asked of Telegram once at deploy time and given to the function (TELEGRAM_BOT_USERNAME), so
 * no cold start waits for getMe. Asking first also refuses a wrong token before the stack is deployed, not after.
 */
export async function withBotUsername(inputs: DeployInputs, options: { apiRoot?: string; fetchImpl?: typeof fetch } = {}): Promise<DeployInputs> {
  if (inputs.limits?.TELEGRAM_BOT_USERNAME) return inputs;
  const me = (await callBotApi(buildGetMeRequest(inputs.botToken, options.apiRoot), options.fetchImpl)) as { username?: unknown };
  if (typeof me.username !== 'string') throw new Error('Telegram getMe returned no username for this bot token.');
  return { ...inputs, limits: { ...inputs.limits, TELEGRAM_BOT_USERNAME: me.username } };
}
