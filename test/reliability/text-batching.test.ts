import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANSWERED_WITH_NEXT } from '../../agent/deferred-text.ts';
import { TIME_STAMP_PREFIX } from '../../agent/turn-rendering.ts';
import { instantModel } from '../stand-ins/instant-model.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startQueueHarness, type QueueHarness } from './helpers/queue-harness.ts';
import { dynamoThrottle } from './helpers/aws-proxy.ts';
import { FLOOD_WAIT } from '../stand-ins/bot-api-faults.ts';
import { textUpdate } from '../stand-ins/bot-api-server.ts';
import { captureOutput } from './helpers/output-capture.ts';

/** A command as Telegram delivers it, marked by its bot_command entity. */
function commandUpdate(command: string, updateId: number, chatId: number) {
  const update = messageUpdate(command, updateId, { chatId });
  return { ...update, message: { ...update.message!, entities: [{ type: 'bot_command' as const, offset: 0, length: command.length }] } };
}

/** The user and assistant texts of a chat request, oldest first, time stamps aside. */
function conversationOf(prompt: LanguageModelV4Prompt): string[] {
  return prompt
    .filter((message) => message.role === 'user' || message.role === 'assistant')
    .map((message) =>
      (typeof message.content === 'string' ? message.content : message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''))
        .replace(TIME_STAMP_PREFIX, '')
        .trim(),
    );
}

describe("a sender's texts in quick succession, through the queue, are answered as one", () => {
  let h: QueueHarness;
  let sqs: SQSClient;
  beforeAll(async () => {
    h = await startQueueHarness();
    sqs = new SQSClient({ region: 'us-east-1', endpoint: h.sqs.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    h.redeploy({ HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0.6', HERMES_TELEGRAM_TEXT_BATCH_SPLIT_DELAY_SECONDS: '2' });
  });
  afterAll(() => h.close());
  afterEach(() => {
    vi.restoreAllMocks();
    h.dynamoProxy.clearFaults();
  });

  it('answers two texts queued together in one turn that reads both, with one reply, and a redelivery of the first sends nothing', async () => {
    const chat = 9_911;
    const model = instantModel({ keepPrompts: true });
    await h.useModel(model.model);
    const first = messageUpdate('I am flying to Lisbon on Friday', 99_911, { chatId: chat });
    await h.post(first);
    await h.post(messageUpdate('remind me to pack the charger the evening before', 99_912, { chatId: chat }));
    await h.drainWorker();

    expect(model.chatRequests).toHaveLength(1);
    expect(conversationOf(model.chatRequests[0]!.prompt)).toEqual(['I am flying to Lisbon on Friday', ANSWERED_WITH_NEXT, 'remind me to pack the charger the evening before']);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Noted: remind me to pack the charger the evening before']);
    expect((await h.turnsOf(`tg:${chat}`)).map(userTextOf)).toEqual(['I am flying to Lisbon on Friday', 'remind me to pack the charger the evening before']);

    // The first update again (SQS delivering a copy): stored already, marked answered; nothing runs or is sent.
    await sqs.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: JSON.stringify(first), MessageGroupId: `tg:${chat}`, MessageDeduplicationId: 'copy-of-99911' }));
    await h.drainWorker();
    expect(model.chatRequests).toHaveLength(1);
    expect(h.api.sent(chat)).toHaveLength(1);
  });

  it('waits out the quiet time after a text the worker takes up at once, so the next part of a split paste joins it', async () => {
    const chat = 9_912;
    const model = instantModel({ keepPrompts: true });
    await h.useModel(model.model);
    // Telegram's apps split a long paste at 4,096 characters; the first part waits 2 s for the next.
    const partOne = `${'The quarterly report says revenue grew. '.repeat(102)}`.slice(0, 4_090);
    await h.post(messageUpdate(partOne, 99_921, { chatId: chat }));
    const working = h.invokeWorker();
    // Past the 0.6 s after a short text, well within the 2 s after a part of a split paste.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await h.post(messageUpdate('and costs fell by a tenth. What do you make of it?', 99_922, { chatId: chat }));
    await working;
    await h.drainWorker();
    expect(model.chatRequests).toHaveLength(1);
    expect(conversationOf(model.chatRequests[0]!.prompt).slice(-3)).toEqual([partOne.trim(), ANSWERED_WITH_NEXT, 'and costs fell by a tenth. What do you make of it?']);
    expect(h.api.sent(chat)).toHaveLength(1);
  });

  it('queues a text whose record for batching the store refuses: it is answered on its own, nothing lost', async () => {
    const chat = 9_914;
    const model = instantModel();
    await h.useModel(model.model);
    const refused = h.dynamoProxy.addFault({ matches: (request) => request.operation === 'UpdateItem' && request.body.includes('TEXT#'), times: 1_000, reply: dynamoThrottle() });
    captureOutput();
    const ack = await h.post(messageUpdate('is the pharmacy open on Sunday?', 99_941, { chatId: chat }));
    expect(JSON.parse(ack.body)).toEqual({ ok: true, outcome: 'queued' });
    expect(refused.times).toBeLessThan(1_000);
    refused.times = 0;
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Noted: is the pharmacy open on Sunday?']);
  });

  it("queues a stranger's private message without a record for batching, so a store refusing records cannot fail its ack", async () => {
    const model = instantModel();
    await h.useModel(model.model);
    const refused = h.dynamoProxy.addFault({ matches: (request) => request.operation === 'UpdateItem' && request.body.includes('TEXT#'), times: 1_000, reply: dynamoThrottle() });
    const ack = await h.post(textUpdate('hello, who are you?', { userId: 9_921, updateId: 99_949 }));
    expect(JSON.parse(ack.body)).toEqual({ ok: true, outcome: 'queued' });
    refused.times = 0;
    captureOutput();
    await h.drainWorker();
    expect(h.api.sent(9_921).map((message) => message.text)).toEqual([expect.stringMatching(/private assistant.*9921.*TELEGRAM_ALLOWED_USERS/s)]);
    expect(model.userTexts).toEqual([]);
  });

  it('answers a text on its own when the record of queued texts cannot be read', async () => {
    const chat = 9_915;
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(messageUpdate('first thought', 99_951, { chatId: chat }));
    await h.post(messageUpdate('second thought', 99_952, { chatId: chat }));
    h.dynamoProxy.addFault({ matches: (request) => request.operation === 'GetItem' && request.body.includes('TEXT#'), times: 1_000, reply: dynamoThrottle() });
    // The SDK's backoff between its retries of a throttled read, kept short.
    vi.spyOn(Math, 'random').mockReturnValue(0.05);
    captureOutput();
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Noted: first thought', 'Noted: second thought']);
  });

  it('sends on the retry a stored answer whose reply Telegram refused, though the sender wrote again meanwhile', async () => {
    const chat = 9_916;
    const model = instantModel();
    await h.useModel(model.model);
    h.api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
    await h.post(messageUpdate('what is the capital of Chile?', 99_961, { chatId: chat }));
    captureOutput();
    await h.invokeWorker();
    // No answer came, so the user asks again before the queue tries the first message once more.
    await h.post(messageUpdate('hello?', 99_962, { chatId: chat }));
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Noted: what is the capital of Chile?', 'Noted: what is the capital of Chile?', 'Noted: hello?']);
    expect(model.userTexts).toEqual(['what is the capital of Chile?', 'hello?']);
  });

  it('answers each text on its own when a command stands between them, so /new never swallows the text before it', async () => {
    const chat = 9_917;
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(messageUpdate('tell me a joke', 99_971, { chatId: chat }));
    await h.post(commandUpdate('/new', 99_972, chat));
    await h.post(messageUpdate('and another one', 99_973, { chatId: chat }));
    await h.drainWorker();
    expect(model.userTexts).toEqual(['tell me a joke', 'and another one']);
    expect(h.api.sent(chat)).toHaveLength(3);
  });

  it('/undo takes out the texts answered together, all of them, quoting them', async () => {
    const chat = 9_918;
    await h.useModel(instantModel().model);
    await h.post(messageUpdate('I am flying to Oslo', 99_981, { chatId: chat }));
    await h.post(messageUpdate('what should I pack?', 99_982, { chatId: chat }));
    await h.drainWorker();
    await h.post(commandUpdate('/undo', 99_983, chat));
    await h.drainWorker();
    expect(h.api.sent(chat).at(-1)!.text).toBe('Removed the last exchange (“I am flying to Oslo what should I pack?”). I no longer see it in this conversation.');
    expect(await h.turnsOf(`tg:${chat}`)).toEqual([]);
  });

  it('fails the ack of a command whose record cannot be kept, so Telegram sends it again, and the text before it is answered on its own', async () => {
    const chat = 9_919;
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(messageUpdate('what is the capital of Peru?', 99_991, { chatId: chat }));
    const command = commandUpdate('/new', 99_992, chat);
    const refused = h.dynamoProxy.addFault({ matches: (request) => request.operation === 'UpdateItem' && request.body.includes('TEXT#'), times: 1_000, reply: dynamoThrottle() });
    vi.spyOn(Math, 'random').mockReturnValue(0.05);
    captureOutput();
    expect((await h.post(command)).statusCode).toBe(500);
    refused.times = 0;
    vi.restoreAllMocks();
    // Telegram's redelivery of the command, then the next text.
    expect(JSON.parse((await h.post(command)).body)).toEqual({ ok: true, outcome: 'queued' });
    await h.post(messageUpdate('and of Chile?', 99_993, { chatId: chat }));
    await h.drainWorker();
    expect(model.userTexts).toEqual(['what is the capital of Peru?', 'and of Chile?']);
  });

  it('does not wait for a text the worker will refuse as too long once its hidden links are written out', async () => {
    const chat = 9_920;
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(messageUpdate('have a look at this newsletter', 99_995, { chatId: chat }));
    // 40 linked words, each hiding a 420-character address: short on screen, over 16,000 characters as read.
    const words = Array.from({ length: 40 }, (_, index) => `story${String(index).padStart(2, '0')}`);
    const text = words.join(' ');
    const entities = words.map((word, index) => ({ type: 'text_link', offset: index * (word.length + 1), length: word.length, url: `https://news.example.com/${'x'.repeat(400)}/${index}` }));
    const linked = messageUpdate(text, 99_996, { chatId: chat });
    await h.post({ ...linked, message: { ...linked.message!, entities } });
    await h.drainWorker();
    expect(model.userTexts).toEqual(['have a look at this newsletter']);
    expect(h.api.sent(chat).map((message) => message.text)[1]).toMatch(/^That message is \d+ characters; I can read up to 16000/);
  });

  it('answers a lone text on its own, and a command never waits for texts', async () => {
    const chat = 9_913;
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(messageUpdate('what is the capital of Peru?', 99_931, { chatId: chat }));
    await h.post(commandUpdate('/status', 99_932, chat));
    await h.drainWorker();
    expect(model.userTexts).toEqual(['what is the capital of Peru?']);
    expect(h.api.sent(chat).map((message) => message.text)[0]).toBe('Noted: what is the capital of Peru?');
    expect(h.api.sent(chat)).toHaveLength(2);
  });
});
