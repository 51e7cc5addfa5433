import type { Update } from 'grammy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbDedupStore } from '../../agent/aws/dynamodb-dedup-store.ts';
import { dynamoThrottle } from '../reliability/helpers/aws-proxy.ts';
import { captureOutput } from '../reliability/helpers/output-capture.ts';
import { instantModel } from '../stand-ins/instant-model.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startQueueHarness, type QueueHarness } from '../reliability/helpers/queue-harness.ts';

const CHAT = 77;

describe('the webhook acking updates onto the turn queue', () => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await startQueueHarness();
  });
  afterAll(() => h.close());
  afterEach(() => {
    vi.restoreAllMocks();
    h.dynamoProxy.clearFaults();
  });

  const outcomeOf = async (update: object) => (JSON.parse((await h.post(update)).body) as { outcome: string }).outcome;

  it('queues an edit once when a reaction makes Telegram send it again with its edit date, and queues a later edit', async () => {
    const model = instantModel();
    await h.useModel(model.model);
    const sent = messageUpdate('what is 2 + 3?', 99_301, { chatId: CHAT }).message!;
    const edited = { ...sent, edit_date: sent.date + 5, text: 'what is 2 + 4?' } as NonNullable<Update['edited_message']>;
    expect(await outcomeOf({ update_id: 99_302, edited_message: edited })).toBe('queued');
    await h.drainWorker();
    // The same chat, message and edit date under a new update id: what Telegram sends when someone reacts to it.
    expect(await outcomeOf({ update_id: 99_303, edited_message: edited })).toBe('duplicate');
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
    expect(await outcomeOf({ update_id: 99_304, edited_message: { ...edited, edit_date: sent.date + 9, text: 'what is 2 + 5?' } })).toBe('queued');
    await h.drainWorker();
    expect(h.api.sent(CHAT).map((message) => message.text)).toEqual([
      expect.stringMatching(/^✏️ .*\n\nNoted: .*what is 2 \+ 4\?/s),
      expect.stringMatching(/^✏️ .*\n\nNoted: .*what is 2 \+ 5\?/s),
    ]);
  });

  it("neither claims nor queues another bot's message, which the worker would not answer", async () => {
    const sent = messageUpdate('@hermes_test_bot and dinner?', 99_305, { chatId: CHAT }).message!;
    const fromBot = { ...sent, from: { id: 999, is_bot: true, first_name: 'Other', username: 'other_ai_bot' } };
    expect(await outcomeOf({ update_id: 99_305, message: fromBot })).toBe('ignored');
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
  });

  it("neither claims nor queues a live location's moves or an edit of an old message, which the worker would not answer", async () => {
    const now = Math.floor(Date.now() / 1000);
    const shared = { ...messageUpdate('', 99_311, { chatId: CHAT }).message!, date: now - 3 * 3_600 };
    const { text: _text, ...withoutText } = shared;
    const live = { ...withoutText, location: { latitude: 38.72, longitude: -9.14, live_period: 28_800 } };
    for (const [updateId, moved] of [[99_312, 38.73], [99_313, 38.74]] as const) {
      expect(await outcomeOf({ update_id: updateId, edited_message: { ...live, edit_date: now, location: { ...live.location, latitude: moved } } })).toBe('ignored');
    }
    expect(await outcomeOf({ update_id: 99_314, edited_message: { ...shared, text: 'what is 2 + 2?', edit_date: now } })).toBe('ignored');
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
  });

  it("answers Telegram's redelivery of an edit whose ack died after claiming it, and still drops a reaction's repeat of it", async () => {
    const sent = messageUpdate('what is 3 + 3?', 99_306, { chatId: CHAT }).message!;
    const edited = { ...sent, edit_date: sent.date + 5, text: 'what is 3 + 4?' } as NonNullable<Update['edited_message']>;
    // What a function killed between the claims and the enqueue leaves: the edit claimed by update 99,307, whose own
    // 60-second lease has lapsed by the time Telegram delivers it again.
    const dedup = new DynamoDbDedupStore(h.dynamo.doc, h.dynamo.tableName);
    expect(await dedup.claim(`tg:edit:${CHAT}:${sent.message_id}:${edited.edit_date}`, 3_600, 'tg:update:99307')).toBe(true);
    expect(await outcomeOf({ update_id: 99_307, edited_message: edited })).toBe('queued');
    expect(await outcomeOf({ update_id: 99_308, edited_message: edited })).toBe('duplicate');
    await h.useModel(instantModel().model);
    await h.drainWorker();
    expect(h.api.sent(CHAT).at(-1)?.text).toMatch(/what is 3 \+ 4\?/);
  });

  it("gives the update's claim back when the edit's claim cannot be written, so Telegram's redelivery is queued", async () => {
    const sent = messageUpdate('what is 4 + 4?', 99_309, { chatId: CHAT }).message!;
    const edited = { ...sent, edit_date: sent.date + 5, text: 'what is 4 + 5?' } as NonNullable<Update['edited_message']>;
    h.dynamoProxy.addFault({ matches: (request) => request.operation === 'PutItem' && request.body.includes('tg:edit:'), times: Infinity, reply: dynamoThrottle() });
    captureOutput();
    expect((await h.post({ update_id: 99_310, edited_message: edited })).statusCode).toBe(500);
    h.dynamoProxy.clearFaults();
    expect(await outcomeOf({ update_id: 99_310, edited_message: edited })).toBe('queued');
    await h.useModel(instantModel().model);
    await h.drainWorker();
    expect(h.api.sent(CHAT).at(-1)?.text).toMatch(/what is 4 \+ 5\?/);
  });

  it('claims an ordinary message with one store request: only edits are claimed twice', async () => {
    h.dynamoProxy.resetCounts();
    expect(await outcomeOf(messageUpdate('hello', 99_305, { chatId: CHAT }))).toBe('queued');
    expect(h.dynamoProxy.snapshot()).toEqual({ PutItem: 1 });
    await h.useModel(instantModel().model);
    await h.drainWorker();
  });
});
