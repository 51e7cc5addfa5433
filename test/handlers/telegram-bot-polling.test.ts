import { join } from 'node:path';
import type { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../agent/runtime.ts';
import { createBot, type HermesContext } from '../../handlers/telegram-bot.ts';
import { FakeBotApi, textUpdate } from '../stand-ins/bot-api-server.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'models');
const TOKEN = '123456:TEST-polling-token';

describe('the bot by long polling (npm start with TELEGRAM_BOT_TOKEN)', () => {
  let api: FakeBotApi;
  let model: ReplayModelServer;
  let bot: Bot<HermesContext>;
  let runtime: Runtime;
  let cleanup: () => Promise<void>;

  afterEach(async () => {
    await bot?.stop();
    await api?.close();
    await model?.close();
    await cleanup?.();
  });

  async function startBot(allowedUsers = '77') {
    api = await new FakeBotApi().start();
    ({ runtime, cleanup } = await makeLocalRuntime({ modelUrl: model.url, env: { TELEGRAM_ALLOWED_USERS: allowedUsers } }));
    bot = createBot(runtime, { token: TOKEN, apiRoot: api.apiRoot });
    void bot.start({ timeout: 1 });
  }

  it('answers an allowed user through the agent loop and schedules the reminder for that chat', async () => {
    model = await ReplayModelServer.fromFiles(join(fixtures, 'deepseek-cron-create.json'));
    await startBot();
    api.pushUpdate(textUpdate('remind me to stretch in 30 minutes', { userId: 77 }));
    await api.waitFor(() => api.sent().length > 0);
    expect(api.sent()[0]).toMatchObject({ chat_id: 77, parse_mode: 'HTML', text: "Done — I'll remind you to <b>stretch</b> in 30 minutes." });
    expect(api.calls.some((call) => call.method === 'sendChatAction')).toBe(true);
    expect((await runtime.scheduler.list(77)).map((job) => job.name)).toEqual(['stretch']);
  });

  it('refuses a user outside TELEGRAM_ALLOWED_USERS without calling the model', async () => {
    model = await new ReplayModelServer().start();
    await startBot('1');
    api.pushUpdate(textUpdate('hello', { userId: 999 }));
    await api.waitFor(() => api.sent().length > 0);
    expect(api.sent()[0]!.text).toMatch(/private assistant.*999.*TELEGRAM_ALLOWED_USERS/s);
    // Told once a day: a second message, and a third, get nothing.
    api.pushUpdate(textUpdate('hello?', { userId: 999 }));
    api.pushUpdate(textUpdate('anyone?', { userId: 999, updateId: 2 }));
    api.pushUpdate(textUpdate('hi', { userId: 77 }));
    await api.waitFor(() => api.calls.filter((call) => call.method === 'getUpdates').length > 3);
    expect(api.sent(999)).toHaveLength(1);
    expect(model.requests).toHaveLength(0);
  });
});
