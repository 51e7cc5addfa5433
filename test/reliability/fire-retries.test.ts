import { APICallError } from '@ai-sdk/provider';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scriptedModel, textResult } from '../stand-ins/mock-model.ts';
import { ALLOWED_USER } from '../stand-ins/lambda-env.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { textUpdate } from '../stand-ins/bot-api-server.ts';
import { captureOutput } from './helpers/output-capture.ts';
import { MAX_RECEIVES, startQueueHarness, type QueueHarness } from './helpers/queue-harness.ts';

/** DeepSeek's answer to too many requests, as the provider package reports it. */
const rateLimited = () =>
  new APICallError({ message: 'Rate Limit Reached', url: 'https://api.deepseek.com/chat/completions', requestBodyValues: {}, statusCode: 429, isRetryable: true });

/** What EventBridge Scheduler puts on the queue for a one-time reminder (SqsParameters.MessageGroupId set to the chat). */
function fireOf(chat: number, scheduledTime: string) {
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
      delivery: { chatId: chat, userId: String(ALLOWED_USER) },
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

  const queueFire = (chat: number, scheduledTime: string) =>
    sqs.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: JSON.stringify(fireOf(chat, scheduledTime)), MessageGroupId: `tg:${chat}` }));

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

  it("is stopped by a /stop in its chat, as a turn of the chat's own is, and the /stop adds nothing", async () => {
    const chat = 7_804;
    const model = scriptedModel(async (call) => {
      await h.post(textUpdate('/stop', { userId: ALLOWED_USER, chatId: chat, updateId: 99_502 }));
      // A briefing that would think for a minute, unless something cuts the request off first.
      await new Promise<void>((resolve) => {
        const minute = setTimeout(resolve, 20_000);
        call.abortSignal?.addEventListener('abort', () => (clearTimeout(minute), resolve()), { once: true });
      });
      call.abortSignal?.throwIfAborted();
      return textResult('The long briefing nobody wants any more.');
    });
    await h.useModel(model.model);
    await queueFire(chat, '2026-12-02T09:15:00Z');
    await h.drainWorker();
    expect(h.api.sent(chat).map((message) => message.text)).toEqual(['Stopped, as you asked.']);
  });
});
