import { SECRET_KEYS } from '../../agent/secret-keys.ts';
import { BotSecretStore } from './bot-secret-store.ts';
import type { HermesOutputs } from './stack-outputs.ts';
import { callBotApi } from './telegram-bot-api.ts';
import { menuCommands } from '../../handlers/commands/command-list.ts';
import { buildGetWebhookInfoRequest, buildSetMyCommandsRequest, buildSetWebhookRequest } from './telegram-webhook-requests.ts';

/**
 * Points the bot at the Function URL with the webhook secret from Secrets Manager, registers the command menu,
 * then returns Telegram's view of the webhook. Token and secret are read from the secret, so this works without any local env.
 */
export async function registerWebhook(outputs: HermesOutputs, apiRoot = process.env.TELEGRAM_API_ROOT): Promise<unknown> {
  const values = await new BotSecretStore(outputs.secretArn).read();
  const token = values[SECRET_KEYS.botToken];
  const secretToken = values[SECRET_KEYS.webhookSecret];
  if (!token) throw new Error(`The bot secret has no ${SECRET_KEYS.botToken} yet. Run npm run deploy with TELEGRAM_BOT_TOKEN set.`);
  if (!secretToken) throw new Error(`The bot secret has no ${SECRET_KEYS.webhookSecret}; redeploy the stack to generate one.`);

  await callBotApi(buildSetWebhookRequest({ token, functionUrl: outputs.functionUrl, secretToken, ...(apiRoot ? { apiRoot } : {}) }));
  await callBotApi(buildSetMyCommandsRequest(token, menuCommands(), apiRoot));
  return callBotApi(buildGetWebhookInfoRequest(token, apiRoot));
}
