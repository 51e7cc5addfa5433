import { ALLOWED_UPDATES } from '../../handlers/allowed-updates.ts';
import { WEBHOOK_CONCURRENCY } from '../deployment-contract.ts';

/** Requests to the Telegram Bot API that point the bot at the Function URL. */

export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';


export interface BotApiRequest {
  method: string;
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body: string };
}

export interface WebhookTarget {
  token: string;
  functionUrl: string;
  secretToken: string;
  apiRoot?: string;
}

export function buildSetWebhookRequest(target: WebhookTarget): BotApiRequest {
  return botApiRequest(target, 'setWebhook', {
    url: target.functionUrl,
    secret_token: target.secretToken,
    allowed_updates: ALLOWED_UPDATES,
    // As many connections as the webhook function takes at once: more would be throttled and redelivered.
    max_connections: WEBHOOK_CONCURRENCY,
    // Messages sent while the webhook was being (re)pointed are still answered.
    drop_pending_updates: false,
  });
}

/** The command menu, from the same list the bot's handlers and /help use. */
export function buildSetMyCommandsRequest(token: string, commands: Array<{ command: string; description: string }>, apiRoot?: string): BotApiRequest {
  return botApiRequest({ apiRoot, token }, 'setMyCommands', { commands });
}

export function buildGetMeRequest(token: string, apiRoot?: string): BotApiRequest {
  return botApiRequest({ apiRoot, token }, 'getMe', {});
}

export function buildGetWebhookInfoRequest(token: string, apiRoot?: string): BotApiRequest {
  return botApiRequest({ apiRoot, token }, 'getWebhookInfo', {});
}

function botApiRequest({ apiRoot, token }: { apiRoot?: string | undefined; token: string }, method: string, params: object): BotApiRequest {
  const root = (apiRoot ?? DEFAULT_TELEGRAM_API_ROOT).replace(/\/+$/, '');
  return {
    method,
    url: `${root}/bot${token}/${method}`,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) },
  };
}
