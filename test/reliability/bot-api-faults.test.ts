import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantModel } from '../stand-ins/instant-model.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

describe('Bot API rate limiting', () => {
  let h: WebhookHarness;

  beforeAll(async () => {
    h = await startWebhookHarness();
    await h.useModel(instantModel().model);
  });
  afterAll(() => h.close());

  it('waits out a 429 with retry_after and delivers the reply once', async () => {
    h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const started = Date.now();

    expect((await h.post(messageUpdate('are you there?', 6_000, 901))).statusCode).toBe(200);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const attempts = h.api.calls.filter((call) => call.method === 'sendMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts.map((call) => call.params.text)).toEqual(['Noted: are you there?', 'Noted: are you there?']);
    expect((await h.turnsOf('tg:901')).map(userTextOf)).toEqual(['are you there?']);
  });
});
