import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantModel, type InstantModel } from '../stand-ins/instant-model.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

const MESSAGES = 20;
const CHAT = 601;

describe('concurrent messages in one chat', () => {
  let h: WebhookHarness;
  let model: InstantModel;

  beforeAll(async () => {
    h = await startWebhookHarness();
    model = instantModel();
    await h.useModel(model.model);
  });
  afterAll(() => h.close());

  it(`stores all ${MESSAGES} turns in the order Telegram numbered them; the context keeps every one, in order`, async () => {
    const updates = Array.from({ length: MESSAGES }, (_, index) => messageUpdate(`message ${index}`, 3_000 + index, { chatId: CHAT }));
    const results = await Promise.all(updates.map((update) => h.post(update)));
    expect(results.map((result) => result.statusCode)).toEqual(updates.map(() => 200));

    const expected = updates.map((update) => update.message!.text!);
    expect((await h.turnsOf(`tg:${CHAT}`)).map(userTextOf)).toEqual(expected);
    const window = await h.sessions.loadWindow(`tg:${CHAT}`, 40);
    const shown = window.turns.map(userTextOf);
    expect(shown).toEqual(expected.slice(MESSAGES - shown.length));
    // What compaction took out of the window went into a summary: nothing is dropped from the context.
    const summarized = new Set(model.summaryInputs.flatMap((input) => [...input.matchAll(/message \d+\b/g)].map((match) => match[0])));
    expect(expected.filter((text) => !shown.includes(text) && !summarized.has(text))).toEqual([]);
    expect(h.api.sent(CHAT)).toHaveLength(MESSAGES);
  });
});
