import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { TIME_STAMP_PREFIX } from '../../agent/turn-rendering.ts';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../handlers/lambda.ts';
import { lambdaContext } from '../stand-ins/lambda-events.ts';
import { scriptedModel, textResult, thinkingUntilCutOff } from '../stand-ins/mock-model.ts';
import { captureOutput } from './helpers/output-capture.ts';
import { dynamoThrottle } from './helpers/aws-proxy.ts';
import { instantModel } from '../stand-ins/instant-model.ts';
import { MAX_RECEIVES, startQueueHarness, type QueueHarness } from './helpers/queue-harness.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { albumUpdates, messageUpdate } from '../stand-ins/telegram-updates.ts';
import { DynamoDbAlbumRoster } from '../../agent/aws/dynamodb-album-roster.ts';
import { dedupKey } from '../../agent/aws/table-keys.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ALLOWED_GROUP, ALLOWED_USER } from '../stand-ins/lambda-env.ts';
import { textUpdate } from '../stand-ins/bot-api-server.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOOD_WAIT } from '../stand-ins/bot-api-faults.ts';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

function toolStep(id: string): LanguageModelV4GenerateResult {
  return {
    content: [{ type: 'tool-call', toolCallId: id, toolName: 'skills_list', input: '{}' }],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage,
    warnings: [],
  };
}

describe('turns through the queue (SQS FIFO + worker)', () => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await startQueueHarness();
  });
  afterAll(() => h.close());
  afterEach(() => {
    vi.restoreAllMocks();
    h.dynamoProxy.clearFaults();
  });

  it('acks at once without running the turn; a redelivered update is not queued twice; the worker answers once', async () => {
    const model = instantModel();
    await h.useModel(model.model);
    const update = messageUpdate('hello queue', 10_001, { chatId: 701 });
    const first = await h.post(update);
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ ok: true, outcome: 'queued' });
    expect(model.userTexts).toEqual([]);
    expect(h.sqs.messages(h.queueUrl)).toMatchObject([{ groupId: 'tg:701', deduplicationId: 'tg:update:10001', body: JSON.stringify(update) }]);

    expect(JSON.parse((await h.post(update)).body)).toEqual({ ok: true, outcome: 'duplicate' });
    expect(h.sqs.messages(h.queueUrl)).toHaveLength(1);

    await h.drainWorker();
    expect(h.api.sent(701).map((message) => message.text)).toEqual(['Noted: hello queue']);
    expect((await h.turnsOf('tg:701')).map(userTextOf)).toEqual(['hello queue']);
  });

  it('runs 50 messages of one chat one at a time in order: each turn sees the answer before it', async () => {
    const chat = 702;
    const seen: string[][] = [];
    const { model } = scriptedModel(async (call) => {
      const users = call.prompt.filter((message) => message.role === 'user').map((message) => (message.content[0] as { text: string }).text.replace(TIME_STAMP_PREFIX, ''));
      seen.push(users);
      return textResult(`answer to ${users.at(-1)}`);
    });
    await h.useModel(model);
    const updates = Array.from({ length: 50 }, (_, index) => messageUpdate(`m${index}`, 20_000 + index, { chatId: chat }));
    // Telegram sends a chat's updates one after another; the queue keeps the order they arrived in.
    for (const update of updates) expect((await h.post(update)).statusCode).toBe(200);
    await h.drainWorker();
    const texts = updates.map((update) => update.message!.text!);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(texts.map((text) => `answer to ${text}`));
    expect((await h.turnsOf(`tg:${chat}`)).map(userTextOf)).toEqual(texts);
    // The second message's prompt holds the first one, answered: turns never overlapped.
    expect(seen[1]).toEqual(['m0', 'm1']);
  });

  it('lets a 5-minute turn finish with one delivery: the worker limit, not Telegram’s 60 s, bounds it', async () => {
    const chat = 703;
    const realNow = Date.now.bind(Date);
    let skew = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    const { model, calls } = scriptedModel(async (_call, index) => {
      // Each model step "takes" a minute of the function's clock.
      skew += 60_000;
      return index < 5 ? toolStep(`call-${index}`) : textResult('Finished after five minutes of work.');
    });
    await h.useModel(model);
    expect((await h.post(messageUpdate('a long task', 30_001, { chatId: chat }))).statusCode).toBe(200);
    await h.drainWorker();
    expect(calls()).toBe(6);
    expect(skew).toBe(6 * 60_000);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Finished after five minutes of work.']);
    // The same turn under a 5-minute worker limit stops at its deadline and says so, still with one delivery.
    h.redeploy({ HERMES_WORKER_TIMEOUT_SECONDS: '300' });
    const again = scriptedModel(async (_call, index) => {
      // 58 s a step: the fifth ends past the soft deadline (8 s before the function's), so no sixth starts.
      skew += 58_000;
      return index < 5 ? toolStep(`again-${index}`) : textResult('Finished after five minutes of work.');
    });
    await h.useModel(again.model);
    await h.post(messageUpdate('another long task', 30_002, { chatId: chat }));
    await h.drainWorker();
    expect(h.api.sent(chat).at(-1)!.text).toMatch(/ran out of time/);
    expect(h.api.sent(chat)).toHaveLength(2);
    h.redeploy();
  });

  it('retries a worker killed mid-turn, and the retry answers once', async () => {
    const chat = 704;
    let hung = false;
    const { model } = scriptedModel(async (_call, index) => {
      if (index === 0) {
        hung = true;
        // The first invocation dies here: its promise never settles, as a killed process never answers.
        return new Promise<never>(() => undefined);
      }
      return textResult('answered after the crash');
    });
    await h.useModel(model);
    await h.post(messageUpdate('survive a crash', 40_001, { chatId: chat }));
    const records = h.sqs.receiveBatch(h.queueUrl);
    void handler({ Records: records }, lambdaContext());
    await vi.waitFor(() => expect(hung).toBe(true));
    // Lambda timed out: the batch goes back to the queue once its visibility timeout ends.
    h.sqs.settle(h.queueUrl, records, 'all');
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['answered after the crash']);
    expect((await h.turnsOf(`tg:${chat}`)).map(userTextOf)).toEqual(['survive a crash']);
  });

  it('sends a stored reply once when the attempt that stored the turn failed to send it', async () => {
    const chat = 705;
    await h.useModel(instantModel().model);
    h.api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
    await h.post(messageUpdate('stored but not sent', 50_001, { chatId: chat }));
    const output = captureOutput();
    await h.drainWorker();
    expect(output.text()).toMatch(/queued event failed/);
    const sent = h.api.sent(chat).map((message) => message.text);
    // The first call is the faulted one; the retry sends the stored answer, and nothing runs the model again.
    expect(sent).toEqual(['Noted: stored but not sent', 'Noted: stored but not sent']);
    expect((await h.turnsOf(`tg:${chat}`)).map(userTextOf)).toEqual(['stored but not sent']);
    await h.post(messageUpdate('stored but not sent', 50_001, { chatId: chat }));
    await h.drainWorker();
    expect(h.api.sent(chat)).toHaveLength(2);
  });

  it('tells the chat again that the model failed when that notice was lost, not an empty answer, and runs the model once', async () => {
    const chat = 716;
    const { model, calls } = scriptedModel(async () => {
      throw new Error('model offline');
    });
    await h.useModel(model);
    h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 60', retryAfter: 60 });
    await h.post(messageUpdate('are you there?', 73_001, { chatId: chat }));
    captureOutput();
    await h.drainWorker();
    const notice = '⚠️ The model did not answer this message.\nYour message is saved; try again in a moment.';
    // The first call is the refused notice with its reason; the retry finds the request stored without an answer.
    expect(h.api.sent(chat).map((message) => message.text)).toEqual([expect.stringMatching(/^⚠️ The model did not answer: .*\nYour message is saved; try again in a moment\.$/), notice]);
    expect(calls()).toBe(1);
  });

  it('tells the chat again that the model failed after its tools ran, not the note kept with their results', async () => {
    const chat = 718;
    const { model, calls } = scriptedModel(async (_call, index) => {
      if (index === 0) return toolStep('look-718');
      throw new Error('model offline');
    });
    await h.useModel(model);
    h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 60', retryAfter: 60 });
    await h.post(messageUpdate('which skills?', 73_101, { chatId: chat }));
    captureOutput();
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual([
      expect.stringMatching(/^⚠️ The model did not answer: .*\nYour message is saved; try again in a moment\.$/),
      '⚠️ The model did not answer this message.\nYour message is saved; try again in a moment.',
    ]);
    expect(calls()).toBe(2);
  });

  it('sends a long reply whose second message was refused from that message on when retried, not whole again', async () => {
    const chat = 713;
    const recipe = Array.from({ length: 60 }, (_, index) => `Step ${index + 1}: ${'stir the rice gently, '.repeat(4)}then wait.`).join('\n\n');
    const { model, calls } = scriptedModel(async () => textResult(recipe));
    await h.useModel(model);
    // Telegram asks for a pause longer than the bot waits in place, so the attempt fails and the queue retries it.
    h.api.whenCalled('sendMessage', async () =>
      h.api.whenCalled('sendMessage', async () => h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 60', retryAfter: 60 })),
    );
    await h.post(messageUpdate('how do I make risotto?', 72_001, { chatId: chat }));
    captureOutput();
    await h.drainWorker();
    const sent = h.api.sent(chat).map((message) => message.text);
    // The first message, the second (refused), and on the retry the second alone.
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^Step 1: /);
    expect(sent[2]).toBe(sent[1]);
    expect(sent[1]).not.toBe(sent[0]);
    expect(calls()).toBe(1);
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
  });

  it('does not retry a reply to a chat that blocked the bot: the turn is kept and the message leaves the queue at once', async () => {
    const chat = 707;
    const model = instantModel();
    await h.useModel(model.model);
    h.api.injectFault({ method: 'sendMessage', errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    await h.post(messageUpdate('goodbye bot', 71_001, { chatId: chat }));
    await h.drainWorker();
    expect(h.api.calls.filter((call) => call.method === 'sendMessage' && call.params.chat_id === chat)).toHaveLength(1);
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
    expect(h.sqs.deadLetters(h.queueUrl)).toEqual([]);
    expect((await h.turnsOf(`tg:${chat}`)).map(userTextOf)).toEqual(['goodbye bot']);
  });

  it('does not retry a reply into a forum topic deleted while the turn ran: the turn is kept and the message leaves the queue', async () => {
    const model = instantModel();
    await h.useModel(model.model);
    await h.post(textUpdate('@hermes_reliability_bot sum up the thread', { userId: ALLOWED_USER, chatId: ALLOWED_GROUP, threadId: 44, updateId: 71_101 }));
    h.api.deleteTopic(ALLOWED_GROUP, 44);
    captureOutput();
    await h.drainWorker();
    expect(h.api.calls.filter((call) => call.method === 'sendMessage' && call.params.chat_id === ALLOWED_GROUP)).toHaveLength(1);
    expect(model.userTexts).toHaveLength(1);
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
    expect(h.sqs.deadLetters(h.queueUrl)).toEqual([]);
  });

  it("does not retry a command's answer into a forum topic that was deleted: no dead letter, no alarm", async () => {
    h.api.deleteTopic(ALLOWED_GROUP, 45);
    await h.post(textUpdate('/help@hermes_reliability_bot', { userId: ALLOWED_USER, chatId: ALLOWED_GROUP, threadId: 45, updateId: 71_102 }));
    captureOutput();
    await h.drainWorker();
    expect(h.api.calls.filter((call) => call.method === 'sendMessage' && call.params.message_thread_id === 45)).toHaveLength(1);
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
    expect(h.sqs.deadLetters(h.queueUrl)).toEqual([]);
  });

  it('sends a reply once when the store refuses to mark it sent: the mark is only a guard against sending it again', async () => {
    const chat = 7_904;
    const model = instantModel();
    await h.useModel(model.model);
    const replied = h.dynamoProxy.addFault({ matches: (request) => request.operation === 'PutItem' && request.body.includes('tg:replied:'), times: 1_000, reply: dynamoThrottle() });
    await h.post(messageUpdate('question', 99_801, { chatId: chat }));
    captureOutput();
    await h.drainWorker();
    expect(replied.times).toBeLessThan(1_000);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Noted: question']);
    expect(model.userTexts).toEqual(['question']);
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
  });

  it('moves a poison update to the dead-letter queue after its retries, tells the user, and goes on with the chat', async () => {
    const chat = 706;
    await h.useModel(instantModel().model);
    h.dynamoProxy.addFault({
      matches: (request) => request.operation === 'PutItem' && request.body.includes('poison pill'),
      times: Infinity,
      reply: { status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Item size has exceeded the maximum allowed size' }) },
    });
    await h.post(messageUpdate('poison pill', 60_001, { chatId: chat }));
    await h.post(messageUpdate('after the poison', 60_002, { chatId: chat }));
    captureOutput();
    await h.drainWorker();
    expect(h.sqs.deadLetters(h.queueUrl).map((message) => message.deduplicationId)).toEqual(['tg:update:60001']);
    expect(h.sqs.deadLetters(h.queueUrl)[0]!.receiveCount).toBe(MAX_RECEIVES);
    const sent = h.api.sent(chat).map((message) => message.text);
    expect(sent[0]).toMatch(/could not process your last message, even after retrying/);
    expect(sent.slice(1)).toEqual(['Noted: after the poison']);
  });

  it('ends a running turn at the next step when the draft’s stop button is pressed, keeping the partial answer', async () => {
    // A private chat's id is the user's.
    const chat = ALLOWED_USER;
    const { model, calls } = scriptedModel(async (_call, index) => {
      if (index === 1) {
        // The user presses stop while the second step runs; the webhook records it without queueing.
        // The draft is named by the update it answers (turn-progress.ts), as Telegram then names it back.
        const ack = await h.post({ update_id: 70_099, stopped_message_generation: { chat: { id: chat, type: 'private', first_name: 'Ada' }, draft_id: 70_001 } });
        expect(JSON.parse(ack.body)).toEqual({ ok: true, outcome: 'stop-recorded' });
      }
      if (index >= 3) throw new Error('the turn went on after the stop');
      return { ...toolStep(`call-${index}`), content: [{ type: 'text', text: `Partial result ${index}.` }, ...toolStep(`call-${index}`).content] };
    });
    await h.useModel(model);
    await h.post(messageUpdate('do a long search', 70_001, { chatId: chat }));
    await h.drainWorker();
    expect(calls()).toBe(2);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Partial result 1.\n\nStopped, as you asked. Here is where I got to.']);
    expect(h.sqs.messages(h.queueUrl)).toEqual([]);
  });

  it('counts a stop pressed while a file is still being fetched, before the model starts', async () => {
    const chat = ALLOWED_USER;
    h.api.hostFile('stop-photo', readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', 'red-square.png')), { fileUniqueId: 'AQADstop' });
    // The draft with its stop button shows while the photo is fetched; the user presses stop then.
    h.api.whenCalled('getFile', async () => {
      const ack = await h.post({ update_id: 70_199, stopped_message_generation: { chat: { id: chat, type: 'private', first_name: 'Ada' }, draft_id: 70_101 } });
      expect(JSON.parse(ack.body)).toEqual({ ok: true, outcome: 'stop-recorded' });
    });
    const { model, calls } = scriptedModel(async (_call, index) => ({ ...toolStep(`call-${index}`), content: [{ type: 'text', text: `Looked ${index}.` }, ...toolStep(`call-${index}`).content] }));
    await h.useModel(model);
    const date = Math.floor(Date.now() / 1000);
    const photo = [{ file_id: 'stop-photo', file_unique_id: 'AQADstop', width: 64, height: 64, file_size: 200 }];
    await h.post({ update_id: 70_101, message: { message_id: 70_101, date, chat: { id: chat, type: 'private', first_name: 'Ada' }, from: { id: ALLOWED_USER, is_bot: false, first_name: 'Ada' }, photo, caption: 'look closely' } });
    await h.drainWorker();
    expect(calls()).toBe(1);
    expect(h.api.sent(chat).map((message) => message.text).at(-1)).toMatch(/Stopped, as you asked\./);
  });

  it('stops only the answer whose draft’s stop button was pressed: a message queued behind it still runs', async () => {
    const chat = ALLOWED_USER;
    const { model, calls } = scriptedModel(async (_call, index) => {
      if (index === 1) {
        // The user sent another message while the first answer ran, then pressed stop on the first one's draft.
        await h.post(messageUpdate('and what about tomorrow?', 70_302, { chatId: chat }));
        await h.post({ update_id: 70_399, stopped_message_generation: { chat: { id: chat, type: 'private', first_name: 'Ada' }, draft_id: 70_301 } });
      }
      // The second message's answer looks something up first, so its turn checks for a stop between its steps.
      if (index === 3) return textResult('Tomorrow looks sunny.');
      return { ...toolStep(`call-${index}`), content: [{ type: 'text', text: `Checked ${index}.` }, ...toolStep(`call-${index}`).content] };
    });
    await h.useModel(model);
    await h.post(messageUpdate('what is the weather today?', 70_301, { chatId: chat }));
    await h.drainWorker();
    expect(calls()).toBe(4);
    expect(h.api.sent(chat).map((message) => message.text).slice(-2)).toEqual(['Checked 1.\n\nStopped, as you asked. Here is where I got to.', 'Tomorrow looks sunny.']);
  });

  it('takes /stop the same way; the queued command adds nothing to the stopped answer, and says so when nothing ran', async () => {
    const chat = 708;
    const { model, calls } = scriptedModel(async (_call, index) => {
      if (index === 0) await h.post(textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 80_002 }));
      return toolStep(`call-${index}`);
    });
    await h.useModel(model);
    await h.post(messageUpdate('another long search', 80_001, { chatId: chat }));
    await h.drainWorker();
    expect(calls()).toBe(1);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Stopped, as you asked.']);
    // Sent a minute later, when no answer runs: Telegram dates it, and SQS stamps it, a minute on.
    const late = textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 80_003 });
    await h.post({ ...late, message: { ...late.message!, date: late.message!.date + 60 } });
    h.sqs.messages(h.queueUrl).at(-1)!.sentAt += 60_000;
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text).at(-1)).toBe('Nothing to stop: no answer of yours is running now.');
  });

  it('counts a /stop sent while the message still waits in the queue, and the /stop adds nothing to the stopped answer', async () => {
    const chat = 714;
    const { model, calls } = scriptedModel(async (_call, index) => {
      if (index >= 1) throw new Error('the turn went on after a stop sent before it began');
      return toolStep(`queued-${index}`);
    });
    await h.useModel(model);
    await h.post(messageUpdate('look everything up', 80_201, { chatId: chat }));
    // Sent before the worker takes the message up (a cold start, another turn ahead of it).
    await h.post(textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 80_202 }));
    await h.drainWorker();
    expect(calls()).toBe(1);
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Stopped, as you asked.']);
  });

  it('cuts off the model call in flight on /stop, so a one-step answer that was still thinking is not sent', async () => {
    const chat = 715;
    const { model, calls } = scriptedModel(async (call) => {
      await h.post(textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 80_302 }));
      return thinkingUntilCutOff(call, 'The long answer nobody wants any more.');
    });
    await h.useModel(model);
    await h.post(messageUpdate('think hard about everything', 80_301, { chatId: chat }));
    await h.drainWorker();
    expect(calls()).toBe(1);
    // The stopped turn says so, and the /stop that stopped it adds nothing.
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Stopped, as you asked.']);
  });

  it('does not let the same /stop, delivered again later, stop a message sent after it', async () => {
    const chat = 717;
    // A step of tools first: a stop requested since the message was queued would end the turn after it.
    const { model } = scriptedModel(async (_call, index) => (index === 0 ? toolStep('look-717') : textResult('Here is the answer.')));
    await h.useModel(model);
    const stop = textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 80_401 });
    await h.post(stop);
    // Past the second Telegram dated the /stop in.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await h.post(messageUpdate('a new question', 80_402, { chatId: chat }));
    expect(JSON.parse((await h.post(stop)).body)).toMatchObject({ outcome: 'duplicate' });
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Nothing to stop: no answer of yours is running now.', 'Here is the answer.']);
  });

  it('in a group, runs each member’s turns in a queue of their own, and a member’s /stop stops only their own turn', async () => {
    const group = { chatId: ALLOWED_GROUP, chatType: 'supergroup' as const };
    const { model, calls } = scriptedModel(async (_call, index) => {
      // Eve's stop while Bob's turn runs is hers: Bob's turn goes on. Bob's own stop ends it.
      if (index === 0) await h.post(textUpdate('/stop', { ...group, userId: 4_302, firstName: 'Eve', updateId: 80_102 }));
      if (index === 1) await h.post(textUpdate('/stop', { ...group, userId: 4_301, firstName: 'Bob', updateId: 80_103 }));
      if (index >= 2) throw new Error('the turn went on after its member’s stop');
      return toolStep(`group-${index}`);
    });
    await h.useModel(model);
    await h.post(textUpdate('@hermes_reliability_bot a long search', { ...group, userId: 4_301, firstName: 'Bob', updateId: 80_101 }));
    const queued = h.sqs.messages(h.queueUrl);
    expect(queued.at(-1)!.groupId).toBe(`tg:${ALLOWED_GROUP}:u4301`);
    await h.drainWorker();
    expect(calls()).toBe(2);
    // Eve's queue does not wait for Bob's turn, so her answer may come first. (Other tests write in the group's topics.)
    expect(h.api.sent(ALLOWED_GROUP).filter((message) => message.message_thread_id === undefined).map((message) => message.text).sort()).toEqual([
      'Nothing to stop: no answer of yours is running now.',
      'Stopped, as you asked.',
    ]);
  });

  it('runs a fire EventBridge Scheduler put on the queue in order with the chat, once however often it is sent', async () => {
    const chat = 709;
    await h.useModel(instantModel().model);
    const fire = {
      source: 'hermes.cron',
      scheduledTime: '2026-12-01T09:00:00Z',
      job: {
        id: 'water',
        name: 'water',
        prompt: 'remind me to drink water',
        schedule: { kind: 'interval', minutes: 60, display: 'every 60m' },
        completedRuns: 0,
        state: 'scheduled',
        delivery: { chatId: chat, userId: String(ALLOWED_USER) },
        createdAt: '2026-12-01T08:00:00Z',
      },
    };
    await h.post(messageUpdate('before the fire', 90_001, { chatId: chat }));
    // What Scheduler sends for SqsParameters.MessageGroupId: no deduplication id (the queue's content-based one applies).
    const client = new SQSClient({ region: 'us-east-1', endpoint: h.sqs.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    for (let send = 0; send < 2; send++) {
      await client.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: JSON.stringify(fire), MessageGroupId: `tg:${chat}` }));
    }
    await h.post(messageUpdate('after the fire', 90_002, { chatId: chat }));
    expect(h.sqs.messages(h.queueUrl)).toHaveLength(3);
    await h.drainWorker();
    const sent = h.api.sent(chat).map((message) => message.text);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toBe('Noted: before the fire');
    expect(sent[1]).toMatch(/^Noted: \[SYSTEM: You are running as a scheduled cron job\./);
    expect(sent[2]).toBe('Noted: after the fire');
  });

  it('shows progress while the turn runs: typing, and in a private chat a stoppable draft naming the step, then the answer', async () => {
    const chat = ALLOWED_USER;
    const { model } = scriptedModel(async (_call, index) => (index < 2 ? toolStep(`call-${index}`) : textResult('Here are your skills.')));
    await h.useModel(model);
    const before = h.api.calls.length;
    await h.post(messageUpdate('which skills do you have?', 95_001, { chatId: chat }));
    await h.drainWorker();
    const calls = h.api.calls.slice(before);
    const drafts = calls.filter((call) => call.method === 'sendMessageDraft').map((call) => call.params);
    expect(drafts[0]).toEqual({ chat_id: chat, draft_id: 95_001, text: '', can_stop: true });
    expect(drafts.map((draft) => draft.text)).toContain('Looking through my skills…');
    expect(calls.some((call) => call.method === 'sendChatAction')).toBe(true);
    const lastDraft = calls.findLastIndex((call) => call.method === 'sendMessageDraft');
    const answer = calls.findIndex((call) => call.method === 'sendMessage' && call.params.text === 'Here are your skills.');
    expect(answer).toBeGreaterThan(lastDraft);
  });

  it('shows a group only the typing action: drafts are for private chats', async () => {
    const group = ALLOWED_GROUP;
    await h.useModel(instantModel().model);
    const before = h.api.calls.length;
    const sentBefore = h.api.sent(group).length;
    await h.post(textUpdate('@hermes_reliability_bot hello group', { userId: ALLOWED_USER, chatId: group, updateId: 96_001, chatType: 'supergroup' }));
    await h.drainWorker();
    const methods = h.api.calls.slice(before).map((call) => call.method);
    expect(methods).toContain('sendChatAction');
    expect(methods).not.toContain('sendMessageDraft');
    expect(h.api.sent(group).slice(sentBefore).map((message) => message.text)).toEqual(['Noted: [Ada]: hello group']);
  });

  it('tells the chat when the last attempt is about to be killed by the Lambda timeout, and the update goes to the dead-letter queue', async () => {
    const chat = 710;
    // Every attempt hangs: a model call that never returns, past every deadline.
    const { model, calls } = scriptedModel(() => new Promise<never>(() => undefined));
    await h.useModel(model);
    await h.post(messageUpdate('hang forever', 97_001, { chatId: chat }));
    for (let attempt = 1; attempt <= MAX_RECEIVES; attempt++) {
      const records = h.sqs.receiveBatch(h.queueUrl);
      void handler({ Records: records }, lambdaContext(3_000));
      await vi.waitFor(() => expect(calls()).toBe(attempt));
      if (attempt === MAX_RECEIVES) await vi.waitFor(() => expect(h.api.sent(chat)).toHaveLength(1), { timeout: 5_000 });
      // Lambda killed the invocation at its timeout: the message comes back, or goes to the dead-letter queue.
      h.sqs.settle(h.queueUrl, records, 'all');
    }
    expect(h.api.sent(chat).map((message) => message.text)).toEqual([expect.stringMatching(/could not process your last message/)]);
    expect(h.sqs.deadLetters(h.queueUrl).at(-1)).toMatchObject({ deduplicationId: 'tg:update:97001', receiveCount: MAX_RECEIVES });
  });

  it('queues a message of anyone in an allowed group, as the bot answers everyone there, and nothing of other groups', async () => {
    const model = instantModel();
    await h.useModel(model.model);
    const member = textUpdate('@hermes_reliability_bot what time is the call?', { userId: 4_242, chatId: ALLOWED_GROUP, updateId: 97_601, chatType: 'supergroup' });
    expect(JSON.parse((await h.post(member)).body)).toEqual({ ok: true, outcome: 'queued' });
    const elsewhere = textUpdate('@hermes_reliability_bot hi', { userId: 4_242, chatId: -100_778, updateId: 97_602, chatType: 'supergroup' });
    expect(JSON.parse((await h.post(elsewhere)).body)).toEqual({ ok: true, outcome: 'ignored' });
    await h.drainWorker();
    expect(model.userTexts).toEqual([expect.stringMatching(/\]: what time is the call\?$/)]);
    expect(h.api.sent(ALLOWED_GROUP).at(-1)!.text).toMatch(/^Noted: \[.*\]: what time is the call\?$/);
  });

  it('drops at the webhook the edit Telegram sends for a reaction (no edit date): no claim, no SQS message, no worker run', async () => {
    const queuedBefore = h.sqs.messages(h.queueUrl).length;
    const message = messageUpdate('what is 2 + 3?', 97_601, { chatId: ALLOWED_USER }).message!;
    const reacted = { update_id: 97_602, edited_message: message };
    expect(JSON.parse((await h.post(reacted)).body)).toEqual({ ok: true, outcome: 'ignored' });
    expect(h.sqs.messages(h.queueUrl)).toHaveLength(queuedBefore);
    const claim = await h.dynamo.doc.send(new GetCommand({ TableName: h.dynamo.tableName, Key: dedupKey('tg:update:97602') }));
    expect(claim.Item).toBeUndefined();
    // An edit made longer ago than the window is judged stale here, on arrival, and the worker does not judge it again.
    const stale = { update_id: 97_604, edited_message: { ...message, date: message.date - 900, edit_date: message.date - 700, text: 'what is 2 + 5?' } };
    expect(JSON.parse((await h.post(stale)).body)).toEqual({ ok: true, outcome: 'ignored' });
    const edited = { update_id: 97_603, edited_message: { ...message, edit_date: message.date + 5, text: 'what is 2 + 4?' } };
    expect(JSON.parse((await h.post(edited)).body)).toEqual({ ok: true, outcome: 'queued' });
    await h.useModel(instantModel().model);
    await h.drainWorker();
  });

  it('drops at the webhook a group message that does not address the bot: no claim, no SQS message, no worker run', async () => {
    const queuedBefore = h.sqs.messages(h.queueUrl).length;
    const group = { userId: 4_242, chatId: ALLOWED_GROUP, chatType: 'supergroup' as const };
    const chatter = textUpdate('anyone up for lunch?', { ...group, updateId: 97_701 });
    const forOtherBot = textUpdate('/stop@some_other_bot', { ...group, updateId: 97_702 });
    const edited = { update_id: 97_703, edited_message: { ...chatter.message!, edit_date: chatter.message!.date + 5, text: 'anyone up for dinner?' } };
    for (const update of [chatter, forOtherBot, edited]) expect(JSON.parse((await h.post(update)).body)).toEqual({ ok: true, outcome: 'not-addressed' });
    expect(h.sqs.messages(h.queueUrl)).toHaveLength(queuedBefore);
    const claim = await h.dynamo.doc.send(new GetCommand({ TableName: h.dynamo.tableName, Key: dedupKey('tg:update:97701') }));
    expect(claim.Item).toBeUndefined();

    // What addresses it still goes through: a reply to the bot (its id is the token's first part) and a bare command.
    const reply = textUpdate('and tomorrow?', { ...group, updateId: 97_704, replyTo: { fromId: 123_456, isBot: true, text: 'It is noon.' } });
    const command = textUpdate('/help', { ...group, updateId: 97_705 });
    for (const update of [reply, command]) expect(JSON.parse((await h.post(update)).body)).toEqual({ ok: true, outcome: 'queued' });
    const model = instantModel();
    await h.useModel(model.model);
    await h.drainWorker();
    expect(model.userTexts).toEqual([expect.stringMatching(/\]: and tomorrow\?$/)]);

    // With TELEGRAM_REQUIRE_MENTION off the bot answers every message of the group, so every message is queued.
    h.redeploy({ TELEGRAM_REQUIRE_MENTION: 'false' });
    try {
      const tea = textUpdate('anyone up for tea?', { ...group, updateId: 97_706 });
      expect(JSON.parse((await h.post(tea)).body)).toEqual({ ok: true, outcome: 'queued' });
      await h.useModel(model.model);
      await h.drainWorker();
      expect(model.userTexts.at(-1)).toMatch(/\]: anyone up for tea\?$/);
    } finally {
      h.redeploy();
    }
  });

  it('logs the id of a group that is not allowed yet when the owner writes there, and queues nothing of it', async () => {
    h.redeploy({ HERMES_LOG_LEVEL: 'warn' });
    try {
      const output = captureOutput();
      const queuedBefore = h.sqs.messages(h.queueUrl).length;
      const owner = textUpdate('@hermes_reliability_bot hello', { userId: ALLOWED_USER, chatId: -100_779, updateId: 97_801, chatType: 'supergroup' });
      expect(JSON.parse((await h.post(owner)).body)).toEqual({ ok: true, outcome: 'ignored' });
      expect(h.sqs.messages(h.queueUrl)).toHaveLength(queuedBefore);
      expect(output.text()).toMatch(/"message":"message in a group not in TELEGRAM_ALLOWED_CHATS ignored","chatId":-100779,"userId":77/);
      // An owner who writes as an anonymous admin is the group itself to Telegram; a stranger is not logged.
      const anonymous = textUpdate('@hermes_reliability_bot hello', { userId: 1_087_968_824, chatId: -100_780, updateId: 97_802, chatType: 'supergroup' });
      const asGroup = { ...anonymous.message!, from: { id: 1_087_968_824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' }, sender_chat: anonymous.message!.chat };
      expect(JSON.parse((await h.post({ ...anonymous, message: asGroup } as never)).body)).toEqual({ ok: true, outcome: 'ignored' });
      expect(output.text()).toMatch(/"message":"message in a group not in TELEGRAM_ALLOWED_CHATS ignored","chatId":-100780/);
      await h.post(textUpdate('@hermes_reliability_bot hello', { userId: 4_402, chatId: -100_781, updateId: 97_803, chatType: 'supergroup' }));
      expect(output.text()).not.toMatch(/"chatId":-100781/);
    } finally {
      h.redeploy();
    }
  });

  it("does not queue a message of a channel's direct-messages chat, even an allowed one, and logs why (replies there need a topic it cannot name yet)", async () => {
    h.redeploy({ HERMES_LOG_LEVEL: 'warn' });
    try {
      const output = captureOutput();
      const queuedBefore = h.sqs.messages(h.queueUrl).length;
      const subscriber = textUpdate('@hermes_reliability_bot do you ship to Canada?', { userId: 4_401, chatId: ALLOWED_GROUP, updateId: 97_811, chatType: 'supergroup' });
      const message = { ...subscriber.message!, chat: { ...subscriber.message!.chat, is_direct_messages: true }, direct_messages_topic: { topic_id: 4_401 } };
      expect(JSON.parse((await h.post({ ...subscriber, message } as never)).body)).toEqual({ ok: true, outcome: 'ignored' });
      expect(h.sqs.messages(h.queueUrl)).toHaveLength(queuedBefore);
      expect(output.text()).toMatch(/direct-messages chat is in TELEGRAM_ALLOWED_CHATS, but Hermes does not answer there yet/);
    } finally {
      h.redeploy();
    }
  });

  it('queues unaddressed group messages for the worker to judge when the bot does not know its username', async () => {
    h.redeploy({ TELEGRAM_BOT_USERNAME: undefined });
    try {
      const chatter = textUpdate('anyone up for cake?', { userId: 4_242, chatId: ALLOWED_GROUP, updateId: 97_901, chatType: 'supergroup' });
      expect(JSON.parse((await h.post(chatter)).body)).toEqual({ ok: true, outcome: 'queued' });
      const model = instantModel();
      await h.useModel(model.model);
      await h.drainWorker();
      expect(model.userTexts).toEqual([]);
    } finally {
      h.redeploy();
    }
  });

  it('answers a group album whose mention rides on a later photo, all photos in one turn, and ignores an album that mentions nobody', async () => {
    const media = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', name));
    const model = instantModel({ keepPrompts: true, reply: () => 'Both squares are from the same set.' });
    await h.useModel(model.model);
    h.api.hostFile('group-red', media('red-square.png'), { fileUniqueId: 'AQADgred' });
    h.api.hostFile('group-blue', media('blue-square.png'), { fileUniqueId: 'AQADgblue' });
    const caption = '@hermes_reliability_bot are these the same set?';
    const photos = [
      { fileId: 'group-red', fileUniqueId: 'AQADgred' },
      { fileId: 'group-blue', fileUniqueId: 'AQADgblue', caption, captionEntities: [{ type: 'mention' as const, offset: 0, length: 23 }] },
    ];
    const before = h.api.sent(ALLOWED_GROUP).length;
    const addressed = albumUpdates(photos, { chatId: ALLOWED_GROUP, chatType: 'supergroup', userId: 4_242, firstUpdateId: 99_201, mediaGroupId: '13867207293917400' });
    const unaddressed = albumUpdates(photos.map(({ fileId, fileUniqueId }) => ({ fileId, fileUniqueId })), { chatId: ALLOWED_GROUP, chatType: 'supergroup', userId: 4_242, firstUpdateId: 99_211, mediaGroupId: '13867207293917401' });
    for (const update of addressed) expect(JSON.parse((await h.post(update)).body)).toEqual({ ok: true, outcome: 'queued' });
    await h.drainWorker();
    expect(model.chatRequests).toHaveLength(1);
    const user = model.chatRequests[0]!.prompt.filter((message) => message.role === 'user').at(-1)!;
    expect((user.content as Array<{ type: string }>).filter((part) => part.type === 'file')).toHaveLength(2);
    expect(model.userTexts[0]).toContain('are these the same set?');
    expect(h.api.sent(ALLOWED_GROUP).slice(before).map((message) => message.text)).toEqual(['Both squares are from the same set.']);

    const callsBefore = h.api.calls.length;
    for (const update of unaddressed) expect(JSON.parse((await h.post(update)).body)).toEqual({ ok: true, outcome: 'queued' });
    await h.drainWorker();
    expect(model.chatRequests).toHaveLength(1);
    // Not even "typing…": the group never sees the bot react to an album that was not meant for it.
    expect(h.api.calls.slice(callsBefore).filter((call) => call.params.chat_id === ALLOWED_GROUP)).toEqual([]);
  });

  it('records an album message only once it is queued, so one SQS refused never leads its album', async () => {
    const [update] = albumUpdates([{ fileId: 'never-fetched', fileUniqueId: 'AQADnf' }], { chatId: 712, firstUpdateId: 99_301, mediaGroupId: '13867207293917700' });
    const roster = new DynamoDbAlbumRoster(h.dynamo.doc, h.dynamo.tableName);
    h.sqs.throttleNextSends = 10;
    captureOutput();
    expect((await h.post(update!)).statusCode).toBeGreaterThanOrEqual(500);
    h.sqs.throttleNextSends = 0;
    expect(await roster.members('712:13867207293917700')).toEqual([]);
    // Telegram delivers it again; now it is queued, and recorded.
    expect(JSON.parse((await h.post(update!)).body)).toEqual({ ok: true, outcome: 'queued' });
    expect((await roster.members('712:13867207293917700')).map((member) => member.messageId)).toEqual([99_301]);
    await h.drainWorker();
    expect(h.api.sent(712).map((message) => message.text)).toEqual([expect.stringMatching(/^I couldn't download that photo from Telegram/)]);
  });

  it('queues nothing for strangers, except a private message, which gets the access notice and no model call', async () => {
    const model = instantModel();
    await h.useModel(model.model);
    const queuedBefore = h.sqs.messages(h.queueUrl).length;
    const inGroup = textUpdate('hi all', { userId: 999, chatId: -100_777, updateId: 98_001, chatType: 'supergroup' });
    expect(JSON.parse((await h.post(inGroup)).body)).toEqual({ ok: true, outcome: 'ignored' });
    const stop = { update_id: 98_002, stopped_message_generation: { chat: { id: 999, type: 'private', first_name: 'X' }, draft_id: 1 } };
    expect(JSON.parse((await h.post(stop)).body)).toEqual({ ok: true, outcome: 'ignored' });
    expect(h.sqs.messages(h.queueUrl)).toHaveLength(queuedBefore);

    expect(JSON.parse((await h.post(textUpdate('hello?', { userId: 999, updateId: 98_003 }))).body)).toEqual({ ok: true, outcome: 'queued' });
    captureOutput();
    await h.drainWorker();
    expect(h.api.sent(999).map((message) => message.text)).toEqual([expect.stringMatching(/private assistant.*999.*TELEGRAM_ALLOWED_USERS/s)]);
    expect(model.userTexts).toEqual([]);
  });
  it('answers an album in one turn, though the queue runs its messages one after another: the first leads, the rest are taken', async () => {
    const chat = 711;
    const media = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', name));
    const model = instantModel({ keepPrompts: true, reply: () => 'Three squares: red, blue, red.' });
    await h.useModel(model.model);
    h.api.hostFile('album-red', media('red-square.png'), { fileUniqueId: 'AQADred' });
    h.api.hostFile('album-blue', media('blue-square.png'), { fileUniqueId: 'AQADblue' });
    h.api.hostFile('album-red-2', media('red-square.png'), { fileUniqueId: 'AQADred2' });
    const album = albumUpdates(
      [
        { fileId: 'album-red', fileUniqueId: 'AQADred', caption: 'What colours are these?' },
        { fileId: 'album-blue', fileUniqueId: 'AQADblue' },
        { fileId: 'album-red-2', fileUniqueId: 'AQADred2' },
      ],
      { chatId: chat, firstUpdateId: 99_101 },
    );
    for (const update of album) expect(JSON.parse((await h.post(update)).body)).toEqual({ ok: true, outcome: 'queued' });
    // Batch size 1, as deployed: each album message gets an invocation of its own, in order.
    expect(await h.drainWorker()).toBe(3);

    expect(model.chatRequests).toHaveLength(1);
    const user = model.chatRequests[0]!.prompt.filter((message) => message.role === 'user').at(-1)!;
    const files = (user.content as Array<{ type: string; data?: { type: string; data: Uint8Array | string } }>).filter((part) => part.type === 'file');
    expect(files.map((part) => Buffer.from(part.data!.data as Uint8Array))).toEqual([media('red-square.png'), media('blue-square.png'), media('red-square.png')]);
    expect(model.userTexts[0]).toContain('What colours are these?');
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Three squares: red, blue, red.']);
    expect((await h.turnsOf(`tg:${chat}`)).map(userTextOf)).toEqual([expect.stringContaining('What colours are these?')]);
  });
});
