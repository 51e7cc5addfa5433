import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantModel } from './helpers/instant-model.ts';
import { userTextOf } from './helpers/stored-turns.ts';
import { messageUpdate } from './helpers/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

const MESSAGES = 20;
const CHAT = 601;

describe('concurrent messages in one chat', () => {
  let h: WebhookHarness;

  beforeAll(async () => {
    h = await startWebhookHarness();
    await h.useModel(instantModel().model);
  });
  afterAll(() => h.close());

  it(`stores all ${MESSAGES} turns, in the order Telegram numbered them, and the window shows them so`, async () => {
    const updates = Array.from({ length: MESSAGES }, (_, index) => messageUpdate(`message ${index}`, 3_000 + index, CHAT));
    const results = await Promise.all(updates.map((update) => h.post(update)));
    expect(results.map((result) => result.statusCode)).toEqual(updates.map(() => 200));

    const expected = updates.map((update) => update.message!.text);
    expect((await h.turnsOf(`tg:${CHAT}`)).map(userTextOf)).toEqual(expected);
    const window = await h.sessions.loadWindow(`tg:${CHAT}`, 40);
    expect(window.turns.map(userTextOf)).toEqual(expected);
    expect(h.api.sent(CHAT)).toHaveLength(MESSAGES);
  });
});
