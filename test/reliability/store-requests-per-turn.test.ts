import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantModel, type InstantModel } from '../stand-ins/instant-model.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

/** With the default window, compaction runs every few turns; this many cover several compactions. */
const TURNS = 60;
const CHAT = 930;
/** A message a minute, ending now: a conversation whose older turns have settled, so compaction runs as it goes. */
const sentAt = (n: number) => Date.now() - (TURNS - n) * 60_000;

describe('DynamoDB requests per turn on the webhook path', () => {
  let h: WebhookHarness;
  let model: InstantModel;
  const perTurn: Array<Record<string, number>> = [];

  beforeAll(async () => {
    h = await startWebhookHarness();
    model = instantModel();
    await h.useModel(model.model);
    for (let n = 0; n < TURNS; n += 1) {
      h.dynamoProxy.resetCounts();
      const result = await h.post(messageUpdate(`message ${n}`, 9_000 + n, { chatId: CHAT, sentAt: sentAt(n) }));
      expect(result.statusCode).toBe(200);
      perTurn.push(h.dynamoProxy.snapshot());
    }
  });
  afterAll(async () => h.close());

  it('compacts several times over the chat', () => {
    expect(model.summaryInputs.length).toBeGreaterThanOrEqual(3);
  });

  it('costs every turn, compacting ones included, the claim, one window Query, one turn PutItem and the usage count', () => {
    // The usage UpdateItem runs alongside the turn write, so it adds a request but no wait.
    expect(perTurn).toEqual(Array.from({ length: TURNS }, () => ({ PutItem: 2, Query: 1, UpdateItem: 1 })));
  });

  it('keeps every message in order while the summaries replace what they cover', async () => {
    expect((await h.turnsOf(`tg:${CHAT}`)).map(userTextOf)).toEqual(Array.from({ length: TURNS }, (_, n) => `message ${n}`));
    const window = await h.sessions.loadWindow(`tg:${CHAT}`, 20);
    expect(window.summary?.text).toBe(`Summary ${model.summaryInputs.length} of the earlier conversation.`);
    expect(window.turns.at(-1)!.messages[0]).toEqual({ role: 'user', content: `message ${TURNS - 1}` });
  });
});
