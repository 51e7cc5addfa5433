import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxiedRequest } from './helpers/aws-proxy.ts';
import { instantModel } from '../stand-ins/instant-model.ts';
import { textUpdate } from '../stand-ins/bot-api-server.ts';
import { ALLOWED_USER } from '../stand-ins/lambda-env.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

/**
 * DynamoDB's default reads are eventually consistent: one may "not reflect the results of a recently completed write"
 * (Developer Guide, "Read consistency"). dynalite always reads its latest write, so here the proxy plays the replica
 * that has not caught up: every read of a chat's history that does not ask for consistency finds nothing.
 */
const staleHistoryRead = (request: ProxiedRequest) =>
  (request.operation === 'Query' || request.operation === 'GetItem') && request.body.includes('SESSION#') && !request.body.includes('"ConsistentRead":true');

describe("a chat's next turn reads the one just written", () => {
  let h: WebhookHarness;
  beforeAll(async () => {
    h = await startWebhookHarness();
  });
  afterAll(() => h.close());

  it('sees the exchange before it and /undo removes the newest, even where a replica lags', async () => {
    h.dynamoProxy.addFault({ matches: staleHistoryRead, times: Infinity, reply: { status: 200, body: JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }) } });
    const model = instantModel({ keepPrompts: true });
    await h.useModel(model.model);
    await h.post(messageUpdate('my locker code is 4711', 12_001, { chatId: 1201 }));
    await h.post(messageUpdate('what is my locker code?', 12_002, { chatId: 1201 }));
    expect(JSON.stringify(model.chatRequests.at(-1)!.prompt)).toContain('my locker code is 4711');
    await h.post(textUpdate('/undo', { updateId: 12_003, userId: ALLOWED_USER, chatId: 1201 }));
    expect((await h.turnsOf('tg:1201')).map((turn) => JSON.stringify(turn.messages))).toEqual([expect.stringContaining('my locker code is 4711')]);
  });

  it('counts the tokens the turn before spent against the daily budget, even where a replica lags', async () => {
    const staleUsageRead = (request: ProxiedRequest) => request.operation === 'Query' && request.body.includes('USAGE#') && !request.body.includes('"ConsistentRead":true');
    h.dynamoProxy.addFault({ matches: staleUsageRead, times: Infinity, reply: { status: 200, body: JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }) } });
    // One instant-model turn spends more than this budget, so the next message must be refused.
    h.redeploy({ HERMES_DAILY_TOKEN_BUDGET: '1' });
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(messageUpdate('first question', 12_101, { chatId: 1202 }));
    await h.post(messageUpdate('second question', 12_102, { chatId: 1202 }));
    const replies = h.api.sent(1202).map((message) => message.text);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/daily/i);
  });
});
