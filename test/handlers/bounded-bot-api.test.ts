import { Api, HttpError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retryNetworkErrors } from '../../handlers/bounded-bot-api.ts';
import { retryResetConnection } from '../../handlers/retry-reset-connection.ts';
import { createBot } from '../../handlers/telegram-bot.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel } from '../stand-ins/mock-model.ts';

const TOKEN = '123456:TEST-bounded-token';

describe('Bot API calls are bounded', () => {
  let botApi: FakeBotApi;
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    botApi = await new FakeBotApi().start();
  });
  afterEach(async () => {
    await cleanup?.();
    await botApi.close();
  });

  const attempts = () => botApi.calls.filter((call) => call.method === 'sendMessage').length;
  const dropEvery = (times: number) => {
    for (let index = 0; index < times; index++) botApi.injectFault({ method: 'sendMessage', resetConnection: true });
  };

  async function botWith(deadline?: () => number) {
    const local = await makeLocalRuntime({ model: echoModel() });
    cleanup = local.cleanup;
    return createBot(local.runtime, { token: TOKEN, apiRoot: botApi.apiRoot, ...(deadline ? { deadline } : {}) });
  }

  it('gives up on a connection that keeps failing after a fixed number of retries', async () => {
    const api = new Api(TOKEN, { apiRoot: botApi.apiRoot });
    api.config.use(retryNetworkErrors({ maxRetries: 2, firstDelayMs: 5 }));
    dropEvery(10);
    await expect(api.sendMessage(1, 'hello')).rejects.toBeInstanceOf(HttpError);
    expect(attempts()).toBe(3);
  });

  it('recovers when the network comes back within the retries', async () => {
    const api = new Api(TOKEN, { apiRoot: botApi.apiRoot });
    api.config.use(retryResetConnection());
    api.config.use(retryNetworkErrors({ maxRetries: 2, firstDelayMs: 5 }));
    dropEvery(3);
    await expect(api.sendMessage(1, 'hello')).resolves.toMatchObject({ text: 'hello' });
    expect(attempts()).toBe(4);
  });

  it('in the bot, a Telegram that never answers costs a bounded number of attempts, not an endless loop', async () => {
    const bot = await botWith();
    dropEvery(50);
    await expect(bot.api.sendMessage(1, 'hello')).rejects.toBeInstanceOf(HttpError);
    // Each attempt is retried once at once on a new connection (the frozen-container case), then backed off twice.
    expect(attempts()).toBe(6);
  });

  it('in the bot, a rate limit that would outlast the deadline ends at the deadline instead of waiting', async () => {
    // The turn's deadline was 3.7 s ago: the call may use what is left of the 4-second grace, 300 ms.
    const deadline = Date.now() - 3_700;
    const bot = await botWith(() => deadline);
    botApi.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 20', retryAfter: 20 });
    await expect(bot.api.sendMessage(1, 'hello')).rejects.toThrow();
    expect(attempts()).toBe(1);
  });
});
