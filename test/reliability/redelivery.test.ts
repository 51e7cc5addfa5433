import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instantModel, type InstantModel } from '../stand-ins/instant-model.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

const UPDATES = 10;
const DELIVERIES = 5;

describe('Telegram redelivers the same updates: each is processed once', () => {
  let h: WebhookHarness;
  let model: InstantModel;

  beforeAll(async () => {
    h = await startWebhookHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.api.calls.length = 0;
    model = instantModel();
    await h.useModel(model.model);
  });

  const updatesFrom = (firstId: number, chatId: number) =>
    Array.from({ length: UPDATES }, (_, index) => messageUpdate(`message ${index}`, firstId + index, { chatId }));

  it(`answers ${UPDATES} updates once each when all ${UPDATES * DELIVERIES} deliveries arrive at the same time`, async () => {
    const updates = updatesFrom(1_000, 501);
    const deliveries = Array.from({ length: DELIVERIES }, () => updates).flat();
    const results = await Promise.all(deliveries.map((update) => h.post(update)));

    expect(results.map((result) => result.statusCode)).toEqual(deliveries.map(() => 200));
    expect(model.userTexts.toSorted()).toEqual(updates.map((update) => update.message!.text).toSorted());
    expect(h.api.sent(501)).toHaveLength(UPDATES);
    expect(await h.turnsOf('tg:501')).toHaveLength(UPDATES);
  });

  it(`answers ${UPDATES} updates once each when the ${UPDATES * DELIVERIES} deliveries come one after another`, async () => {
    const updates = updatesFrom(2_000, 502);
    for (let round = 0; round < DELIVERIES; round += 1) {
      for (const update of updates) expect((await h.post(update)).statusCode).toBe(200);
    }

    expect(model.userTexts).toEqual(updates.map((update) => update.message!.text));
    expect(h.api.sent(502).map((message) => message.text)).toEqual(updates.map((update) => `Noted: ${update.message!.text}`));
    expect(await h.turnsOf('tg:502')).toHaveLength(UPDATES);
  });
});
