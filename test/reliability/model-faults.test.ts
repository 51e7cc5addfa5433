import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deepseekError, deepseekText } from './helpers/deepseek-replies.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

describe('model failures on the webhook path', () => {
  let h: WebhookHarness;

  beforeAll(async () => {
    h = await startWebhookHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.api.calls.length = 0;
    h.replay.requests.length = 0;
  });

  it('retries an HTTP 500 when HERMES_MODEL_RETRIES allows, and the turn succeeds', async () => {
    h.redeploy({ HERMES_MODEL_RETRIES: '1' });
    h.replay.enqueue([deepseekError(500, 'internal error'), deepseekText('answered on the second try')]);

    expect((await h.post(messageUpdate('please answer', 5_000, { chatId: 801 }))).statusCode).toBe(200);

    expect(h.replay.requests).toHaveLength(2);
    expect(h.api.sent(801).map((message) => message.text)).toEqual(['answered on the second try']);
    expect((await h.turnsOf('tg:801')).map(userTextOf)).toEqual(['please answer']);
  });

  it('without retries, tells the user clearly and keeps their message for the next turn', async () => {
    h.redeploy({ HERMES_MODEL_RETRIES: '0' });
    h.replay.enqueue([deepseekError(500, 'internal error')]);

    expect((await h.post(messageUpdate('remember me', 5_001, { chatId: 802 }))).statusCode).toBe(200);

    expect(h.api.sent(802).map((message) => message.text)).toEqual([expect.stringMatching(/did not answer: the provider answered HTTP 500.*saved/s)]);
    const stored = await h.turnsOf('tg:802');
    expect(stored.map(userTextOf)).toEqual(['remember me']);
    expect(stored[0]!.messages).toHaveLength(1);
  });

  it('stops waiting at the Lambda deadline, answers clearly, and keeps the message', async () => {
    h.redeploy({ HERMES_MODEL_RETRIES: '2' });
    h.replay.enqueue([deepseekText('far too late', 10_000)]);
    const started = Date.now();

    expect((await h.post(messageUpdate('slow question', 5_002, { chatId: 803 }), { budgetMs: 6_500 })).statusCode).toBe(200);

    expect(Date.now() - started).toBeLessThan(4_000);
    expect(h.replay.requests).toHaveLength(1);
    expect(h.api.sent(803).map((message) => message.text)).toEqual([expect.stringMatching(/ran out of time.*saved/s)]);
    expect((await h.turnsOf('tg:803')).map(userTextOf)).toEqual(['slow question']);
  });
});
