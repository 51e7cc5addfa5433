import { APICallError } from '@ai-sdk/provider';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scriptedModel, textResult, thinkingUntilCutOff } from '../stand-ins/mock-model.ts';
import { ALLOWED_GROUP, ALLOWED_USER } from '../stand-ins/lambda-env.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { textUpdate } from '../stand-ins/bot-api-server.ts';
import { handler } from '../../handlers/lambda.ts';
import { lambdaContext } from '../stand-ins/lambda-events.ts';
import { captureOutput } from './helpers/output-capture.ts';
import { MAX_RECEIVES, startQueueHarness, type QueueHarness } from './helpers/queue-harness.ts';

/** DeepSeek's answer to too many requests, as the provider package reports it. */
const rateLimited = () =>
  new APICallError({ message: 'Rate Limit Reached', url: 'https://api.deepseek.com/chat/completions', requestBodyValues: {}, statusCode: 429, isRetryable: true });

/** What EventBridge Scheduler puts on the queue for a one-time reminder (SqsParameters.MessageGroupId set to the chat). */
function fireOf(chat: number, scheduledTime: string, place: { forum?: true } = {}) {
  return {
    source: 'hermes.cron',
    scheduledTime,
    job: {
      id: `hermes-p${chat}-dentist`,
      name: 'dentist',
      prompt: 'Remind me to bring my insurance card to the dentist',
      schedule: { kind: 'once', at: scheduledTime, display: `once at ${scheduledTime}` },
      completedRuns: 0,
      state: 'scheduled',
      delivery: { chatId: chat, userId: String(ALLOWED_USER), ...place },
      createdAt: '2026-12-01T08:00:00Z',
    },
  };
}

describe('a scheduled fire that fails for a while, through the queue', () => {
  let h: QueueHarness;
  let sqs: SQSClient;
  beforeAll(async () => {
    h = await startQueueHarness();
    sqs = new SQSClient({ region: 'us-east-1', endpoint: h.sqs.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });
  afterAll(() => h.close());
  afterEach(() => vi.restoreAllMocks());

  const queueFireIn = (fire: ReturnType<typeof fireOf>) =>
    sqs.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: JSON.stringify(fire), MessageGroupId: `tg:${fire.job.delivery.chatId}` }));
  const queueFire = (chat: number, scheduledTime: string) => queueFireIn(fireOf(chat, scheduledTime));

  it("tells the chat at once, with the job's words, when the model did not answer, and holds none of the chat's messages behind retries", async () => {
    const chat = 7_801;
    const model = scriptedModel(async (_call, index) => {
      if (index === 0) throw rateLimited();
      return textResult('Here you are.');
    });
    await h.useModel(model.model);
    await queueFire(chat, '2026-12-02T09:00:00Z');
    await h.post(messageUpdate('are you there?', 99_501, { chatId: chat }));
    const output = captureOutput();
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual([
      '⚠️ Scheduled task "dentist" failed: The model did not answer: the provider\'s rate limit was reached (HTTP 429).\nIt was to do: Remind me to bring my insurance card to the dentist\nThat was its last run; ask me to set it again if it is still needed.',
      'Here you are.',
    ]);
    expect(model.calls()).toBe(2);
    expect(h.sqs.deadLetters(h.queueUrl)).toEqual([]);
    expect(output.text()).toMatch(/cron job failed/);
  });

  it('sends on the retry an answer Telegram would not take for a while, without running the model again', async () => {
    const chat = 7_802;
    const model = scriptedModel(async () => textResult('Time for the dentist.'));
    await h.useModel(model.model);
    // Longer than the bot waits out itself (auto-retry's 30 s), so the attempt fails and the queue tries again.
    h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 });
    await queueFire(chat, '2026-12-02T09:05:00Z');
    captureOutput();
    await h.drainWorker();
    // The first is the call Telegram refused; the retry sends the stored answer, and nothing runs the model again.
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Time for the dentist.', 'Time for the dentist.']);
    expect(model.calls()).toBe(1);
  });

  it('sends on the retry only the rest of a long answer whose second message Telegram would not take for a while', async () => {
    const chat = 7_807;
    const briefing = ['A', 'B', 'C'].map((letter, index) => `Part ${index + 1}: ${letter.repeat(3_000)}`).join('\n\n');
    const model = scriptedModel(async () => textResult(briefing));
    await h.useModel(model.model);
    h.api.whenCalled('sendMessage', async () =>
      h.api.whenCalled('sendMessage', async () => h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 })),
    );
    await queueFire(chat, '2026-12-02T09:07:00Z');
    captureOutput();
    await h.drainWorker();
    // Part 1, Part 2 (refused), then on the retry Part 2 and Part 3: nothing twice, nothing lost.
    expect(h.api.sent(chat).map((message) => message.text.slice(0, 7))).toEqual(['Part 1:', 'Part 2:', 'Part 2:', 'Part 3:']);
    expect(model.calls()).toBe(1);
  });

  it('tells the chat, once, what the job was to do when Telegram refused its answer at every attempt', async () => {
    const chat = 7_803;
    const model = scriptedModel(async () => textResult('Dentist at ten.'));
    await h.useModel(model.model);
    for (let refusal = 0; refusal < MAX_RECEIVES; refusal++) {
      h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 });
    }
    await queueFire(chat, '2026-12-02T09:10:00Z');
    const output = captureOutput();
    await h.drainWorker();
    expect(model.calls()).toBe(1);
    // Each attempt's refused answer, then the notice of the last attempt, which Telegram took.
    expect(h.api.sent(chat).map((message) => message.text)).toEqual([
      ...Array.from({ length: MAX_RECEIVES }, () => 'Dentist at ten.'),
      '⚠️ Scheduled task "dentist" could not be run and delivered, even after retrying.\nIt was to do: Remind me to bring my insurance card to the dentist',
    ]);
    expect(output.text()).toMatch(/queued event failed/);
  });

  it('sends its answer when the owner replays it from the dead-letter queue once Telegram is back, as docs/deploy.md says, and only once', async () => {
    const chat = 7_808;
    const model = scriptedModel(async () => textResult('Dentist at ten.'));
    await h.useModel(model.model);
    // Every attempt's answer and the last one's notice refused: an outage longer than the queue's retries.
    for (let refusal = 0; refusal <= MAX_RECEIVES; refusal++) {
      h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 });
    }
    await queueFire(chat, '2026-12-02T09:12:00Z');
    captureOutput();
    await h.drainWorker();
    const dead = h.sqs.deadLetters(h.queueUrl).find((message) => message.groupId === `tg:${chat}`);
    expect(dead).toBeDefined();
    const sentBefore = h.api.sent(chat).length;
    // "Start DLQ redrive": SQS sends the message again as a new one, whose first receive is attempt 1.
    const replay = () => sqs.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: dead!.body, MessageGroupId: dead!.groupId, MessageDeduplicationId: `replay-${Date.now()}` }));
    await replay();
    await h.drainWorker();
    expect(h.api.sent(chat).slice(sentBefore).map((message) => message.text)).toEqual(['Dentist at ten.']);
    await replay();
    await h.drainWorker();
    expect(h.api.sent(chat)).toHaveLength(sentBefore + 1);
    expect(model.calls()).toBe(1);
  });

  it('sends only the rest of a long answer when replayed from the dead-letter queue, not its first message again', async () => {
    const chat = 7_809;
    const briefing = ['A', 'B', 'C'].map((letter, index) => `Part ${index + 1}: ${letter.repeat(3_000)}`).join('\n\n');
    const model = scriptedModel(async () => textResult(briefing));
    await h.useModel(model.model);
    // Part 1 goes out; Part 2 is refused at every attempt, through a flood wait longer than the queue's retries.
    h.api.whenCalled('sendMessage', async () =>
      h.api.whenCalled('sendMessage', async () => {
        for (let refusal = 0; refusal < MAX_RECEIVES; refusal++) h.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 });
      }),
    );
    await queueFire(chat, '2026-12-02T09:14:00Z');
    captureOutput();
    await h.drainWorker();
    const dead = h.sqs.deadLetters(h.queueUrl).find((message) => message.groupId === `tg:${chat}`);
    expect(h.api.sent(chat).map((message) => message.text.slice(0, 7))).toEqual(['Part 1:', 'Part 2:', 'Part 2:', 'Part 2:', '⚠️ Sche']);
    const sentBefore = h.api.sent(chat).length;
    await sqs.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: dead!.body, MessageGroupId: dead!.groupId, MessageDeduplicationId: `replay-${Date.now()}` }));
    await h.drainWorker();
    expect(h.api.sent(chat).slice(sentBefore).map((message) => message.text.slice(0, 7))).toEqual(['Part 2:', 'Part 3:']);
    expect(model.calls()).toBe(1);
  });

  it("is stopped by a /stop in its chat, as a turn of the chat's own is, and the /stop adds nothing", async () => {
    const chat = 7_804;
    const model = scriptedModel(async (call) => {
      await h.post(textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 99_502 }));
      return thinkingUntilCutOff(call, 'The long briefing nobody wants any more.');
    });
    await h.useModel(model.model);
    await queueFire(chat, '2026-12-02T09:15:00Z');
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Stopped, as you asked.']);
  });

  it("is stopped by a /stop in a forum's General topic, whose messages carry no topic id, when it was made there", async () => {
    const model = scriptedModel(async (call) => {
      const stop = textUpdate('/stop@hermes_reliability_bot', { userId: ALLOWED_USER, chatId: ALLOWED_GROUP, updateId: 99_503 });
      await h.post({ ...stop, message: { ...stop.message!, chat: { ...stop.message!.chat, is_forum: true } } });
      return thinkingUntilCutOff(call, 'The weekly digest nobody wants any more.');
    });
    await h.useModel(model.model);
    await queueFireIn(fireOf(ALLOWED_GROUP, '2026-12-02T09:30:00Z', { forum: true }));
    await h.drainWorker();
    expect(h.api.sent(ALLOWED_GROUP).map((message) => message.text)).toEqual(['Stopped, as you asked.']);
  });

  describe('of a schedule made before the queue existed, which still invokes the function directly', () => {
    it("is handed to the queue, not run in the webhook's own slots, and runs once however often Lambda delivers it", async () => {
      const chat = 7_805;
      const model = scriptedModel(async () => textResult('Insurance card, dentist, today.'));
      await h.useModel(model.model);
      const fire = fireOf(chat, '2026-12-02T09:20:00Z');
      expect(await handler(fire, lambdaContext())).toEqual({ status: 'queued' });
      // Lambda's own retry of an asynchronous invocation whose answer it did not see.
      expect(await handler(fire, lambdaContext())).toEqual({ status: 'queued' });
      expect(model.calls()).toBe(0);
      expect(h.sqs.messages(h.queueUrl).map((message) => message.groupId)).toEqual([`tg:${chat}`]);
      await h.drainWorker();
      expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Insurance card, dentist, today.']);
      expect(model.calls()).toBe(1);
    });

    it('fails the invocation, so Lambda tries it again, while the queue refuses it, and then runs it', async () => {
      const chat = 7_806;
      const model = scriptedModel(async () => textResult('Dentist at eleven.'));
      const fire = fireOf(chat, '2026-12-02T09:25:00Z');
      h.redeploy({ HERMES_TURN_QUEUE_URL: `${h.queueUrl.slice(0, -'hermes-turns.fifo'.length)}gone.fifo` });
      await expect(handler(fire, lambdaContext())).rejects.toThrow();
      h.redeploy();
      await h.useModel(model.model);
      expect(h.api.sent(chat)).toEqual([]);
      expect(await handler(fire, lambdaContext())).toEqual({ status: 'queued' });
      await h.drainWorker();
      expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Dentist at eleven.']);
      expect(model.calls()).toBe(1);
    });
  });
});
