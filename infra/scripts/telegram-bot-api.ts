import type { BotApiRequest } from './telegram-webhook-requests.ts';

/**
 * Sends one Bot API request and returns its `result`. Errors name the method, never the URL, because the
 * URL carries the bot token.
 */
export async function callBotApi(request: BotApiRequest, fetchImpl: typeof fetch = fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, request.init);
  } catch (error) {
    throw new Error(`Telegram ${request.method} could not be reached: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => undefined)) as { ok?: boolean; result?: unknown; description?: string } | undefined;
  if (!response.ok || body?.ok !== true) {
    const reason = body?.description ?? `HTTP ${response.status}`;
    throw new Error(`Telegram ${request.method} failed: ${reason}${response.status === 401 || response.status === 404 ? ' (is TELEGRAM_BOT_TOKEN right?)' : ''}`);
  }
  return body.result;
}
