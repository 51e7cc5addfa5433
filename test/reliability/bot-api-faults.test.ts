import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MockLanguageModelV4 } from 'ai/test';
import { instantModel } from '../stand-ins/instant-model.ts';
import { captureOutput } from './helpers/output-capture.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';
import { FLOOD_WAIT } from '../stand-ins/bot-api-faults.ts';

const failingModel = () =>
  new MockLanguageModelV4({
    doGenerate: async () => {
      throw new Error('upstream exploded');
    },
  });

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

    expect((await h.post(messageUpdate('are you there?', 6_000, { chatId: 901 }))).statusCode).toBe(200);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const attempts = h.api.calls.filter((call) => call.method === 'sendMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts.map((call) => call.params.text)).toEqual(['Noted: are you there?', 'Noted: are you there?']);
    expect((await h.turnsOf('tg:901')).map(userTextOf)).toEqual(['are you there?']);
  });

  it("sends, when Telegram redelivers the update, only the rest of a long answer whose second message was refused", async () => {
    const chat = 904;
    const briefing = ['A', 'B', 'C'].map((letter, index) => `Part ${index + 1}: ${letter.repeat(3_000)}`).join('\n\n');
    await h.useModel(new MockLanguageModelV4({ doGenerate: async () => ({ content: [{ type: 'text', text: briefing }], finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } }, warnings: [] }) }));
    try {
      h.api.whenCalled('sendMessage', async () => h.api.whenCalled('sendMessage', async () => h.api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT })));
      const update = messageUpdate('brief me', 6_004, { chatId: chat });
      captureOutput();
      expect((await h.post(update)).statusCode).toBe(500);
      vi.restoreAllMocks();
      expect((await h.post(update)).statusCode).toBe(200);
      // Part 1, Part 2 (refused), then on the redelivery Part 2 and Part 3: nothing twice, nothing lost.
      expect(h.api.sent(chat).map((message) => message.text.slice(0, 7))).toEqual(['Part 1:', 'Part 2:', 'Part 2:', 'Part 3:']);
    } finally {
      vi.restoreAllMocks();
      await h.useModel(instantModel().model);
    }
  });

  it('sends a stored answer whose reply was lost when Telegram redelivers the update, and only once', async () => {
    h.api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
    const update = messageUpdate('did you get this?', 6_001, { chatId: 902 });
    const output = captureOutput();

    try {
      expect((await h.post(update)).statusCode).toBe(500);
    } finally {
      vi.restoreAllMocks();
    }
    expect(output.text()).toMatch(/429: Too Many Requests: retry after 45/);
    expect((await h.turnsOf('tg:902')).map(userTextOf)).toEqual(['did you get this?']);
    expect((await h.post(update)).statusCode).toBe(200);
    expect((await h.post(update)).statusCode).toBe(200);

    // The first send failed; the redelivery sent the stored answer; the next redelivery sent nothing.
    expect(h.api.sent(902).map((message) => message.text)).toEqual(['Noted: did you get this?', 'Noted: did you get this?']);
  });

  it("sends, when Telegram redelivers the update, the notice that the model did not answer if that notice was lost", async () => {
    await h.useModel(failingModel());
    try {
      h.api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
      const update = messageUpdate('still there?', 6_002, { chatId: 903 });
      captureOutput();
      expect((await h.post(update)).statusCode).toBe(500);
      vi.restoreAllMocks();
      expect((await h.post(update)).statusCode).toBe(200);
      expect((await h.post(update)).statusCode).toBe(200);
      expect(h.api.sent(903).map((message) => message.text)).toEqual([
        expect.stringMatching(/^⚠️ The model did not answer: .*\nYour message is saved; try again in a moment\.$/),
        '⚠️ The model did not answer this message.\nYour message is saved; try again in a moment.',
      ]);
    } finally {
      vi.restoreAllMocks();
      await h.useModel(instantModel().model);
    }
  });
});
