import { Api, HttpError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryResetConnection } from '../../handlers/retry-reset-connection.ts';
import { createBot } from '../../handlers/telegram-bot.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel } from '../stand-ins/mock-model.ts';

const TOKEN = '123456:TEST-reset-token';

describe('a Bot API connection dropped by Telegram', () => {
  let botApi: FakeBotApi;
  beforeEach(async () => {
    botApi = await new FakeBotApi().start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await botApi.close();
  });

  const attempts = () => botApi.calls.filter((call) => call.method === 'sendMessage').length;
  const dropNext = () => botApi.injectFault({ method: 'sendMessage', resetConnection: true });

  it('fails the call when nothing retries it', async () => {
    const api = new Api(TOKEN, { apiRoot: botApi.apiRoot });
    await api.sendMessage(1, 'warm up the connection');
    dropNext();
    await expect(api.sendMessage(1, 'hello')).rejects.toBeInstanceOf(HttpError);
  });

  it('is retried once at once, on a new connection', async () => {
    const api = new Api(TOKEN, { apiRoot: botApi.apiRoot });
    api.config.use(retryResetConnection());
    await api.sendMessage(1, 'warm up the connection');
    dropNext();
    await expect(api.sendMessage(1, 'hello')).resolves.toMatchObject({ text: 'hello' });
    expect(attempts()).toBe(3);
  });

  it('is retried only once: a second drop is left to the caller', async () => {
    const api = new Api(TOKEN, { apiRoot: botApi.apiRoot });
    api.config.use(retryResetConnection());
    dropNext();
    dropNext();
    await expect(api.sendMessage(1, 'hello')).rejects.toBeInstanceOf(HttpError);
    expect(attempts()).toBe(2);
  });

  it('leaves Telegram error answers alone', async () => {
    const api = new Api(TOKEN, { apiRoot: botApi.apiRoot });
    api.config.use(retryResetConnection());
    botApi.injectFault({ method: 'sendMessage', errorCode: 400, description: 'Bad Request: chat not found' });
    await expect(api.sendMessage(1, 'hello')).rejects.toThrow('chat not found');
    expect(attempts()).toBe(1);
  });

  it("in the bot, is retried before auto-retry's backoff, which would wait on a timer", async () => {
    const { runtime, cleanup } = await makeLocalRuntime({ model: echoModel() });
    try {
      const bot = createBot(runtime, { token: TOKEN, apiRoot: botApi.apiRoot });
      // With timers frozen, a call that went through auto-retry's 3-second pause would never settle.
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      dropNext();
      await expect(bot.api.sendMessage(1, 'hello')).resolves.toMatchObject({ text: 'hello' });
      expect(attempts()).toBe(2);
    } finally {
      vi.useRealTimers();
      await cleanup();
    }
  });
});
