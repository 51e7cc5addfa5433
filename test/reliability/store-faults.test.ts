import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamoThrottle, type ProxiedRequest } from './helpers/aws-proxy.ts';
import { instantModel, type InstantModel } from '../stand-ins/instant-model.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

const isWindowQuery = (request: ProxiedRequest) => request.operation === 'Query';
const isTurnPut = (request: ProxiedRequest) => request.operation === 'PutItem' && request.body.includes('SESSION#');
const isClaim = (request: ProxiedRequest) => request.operation === 'PutItem' && request.body.includes('DEDUP#');

describe('DynamoDB throttling on the webhook path', () => {
  let h: WebhookHarness;
  let model: InstantModel;

  beforeAll(async () => {
    h = await startWebhookHarness();
    // The SDK's backoff is random up to 2 s per throttled retry; a small fixed jitter keeps every attempt but not the wait.
    vi.spyOn(Math, 'random').mockReturnValue(0.05);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h.close();
  });
  beforeEach(async () => {
    h.dynamoProxy.clearFaults();
    h.dynamoProxy.resetCounts();
    h.api.calls.length = 0;
    model = instantModel();
    await h.useModel(model.model);
  });

  const claimExists = async (updateId: number) =>
    (await h.dynamo.doc.send(new GetCommand({ TableName: h.dynamo.tableName, Key: { pk: `DEDUP#tg:update:${updateId}`, sk: 'DEDUP' } }))).Item !== undefined;

  it('rides out brief throttling: the SDK retries and the turn succeeds', async () => {
    h.dynamoProxy.addFault({ matches: isClaim, times: 1, reply: dynamoThrottle() });
    h.dynamoProxy.addFault({ matches: isWindowQuery, times: 1, reply: dynamoThrottle() });
    h.dynamoProxy.addFault({ matches: isTurnPut, times: 1, reply: dynamoThrottle() });

    expect((await h.post(messageUpdate('hello through the throttle', 4_000, { chatId: 701 }))).statusCode).toBe(200);

    expect(h.api.sent(701).map((message) => message.text)).toEqual(['Noted: hello through the throttle']);
    expect((await h.turnsOf('tg:701')).map(userTextOf)).toEqual(['hello through the throttle']);
    expect(h.dynamoProxy.snapshot()).toMatchObject({ PutItem: 4, Query: 2 });
  });

  it.each([
    ['the window read', isWindowQuery, 0],
    ['the turn write', isTurnPut, 1],
  ])('answers 500 while %s stays throttled, gives the claim back, and the redelivery is answered once', async (_name, matches, modelCalls) => {
    const updateId = modelCalls === 0 ? 4_001 : 4_002;
    const chatId = 710 + modelCalls;
    const update = messageUpdate(`throttled ${updateId}`, updateId, { chatId });
    const fault = h.dynamoProxy.addFault({ matches, times: Infinity, reply: dynamoThrottle() });

    expect((await h.post(update)).statusCode).toBe(500);
    expect(await claimExists(updateId)).toBe(false);
    expect(await h.turnsOf(`tg:${chatId}`)).toEqual([]);
    expect(h.api.sent(chatId)).toEqual([]);
    expect(model.userTexts).toHaveLength(modelCalls);

    fault.times = 0;
    expect((await h.post(update)).statusCode).toBe(200);
    expect((await h.post(update)).statusCode).toBe(200);
    expect(h.api.sent(chatId).map((message) => message.text)).toEqual([`Noted: throttled ${updateId}`]);
    expect((await h.turnsOf(`tg:${chatId}`)).map(userTextOf)).toEqual([`throttled ${updateId}`]);
  });

  it('answers a redelivery after the claim lease when the whole table was throttled right after the claim', async () => {
    const update = messageUpdate('table-wide throttling', 4_003, { chatId: 720 });
    let claimed = false;
    const fault = h.dynamoProxy.addFault({
      matches: (request) => {
        if (isClaim(request) && !claimed) {
          claimed = true;
          return false;
        }
        return claimed;
      },
      times: Infinity,
      reply: dynamoThrottle(),
    });

    expect((await h.post(update)).statusCode).toBe(500);
    fault.times = 0;
    // Giving the claim back was throttled too, so the claim holds until its lease lapses; Telegram keeps
    // redelivering, and the first redelivery after the lease is processed.
    expect((await h.post(update)).statusCode).toBe(200);
    expect(h.api.sent(720)).toEqual([]);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 181_000 });
    try {
      expect((await h.post(update)).statusCode).toBe(200);
    } finally {
      vi.useRealTimers();
    }

    expect(h.api.sent(720).map((message) => message.text)).toEqual(['Noted: table-wide throttling']);
    expect((await h.turnsOf('tg:720')).map(userTextOf)).toEqual(['table-wide throttling']);
  });
});
