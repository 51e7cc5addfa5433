import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNSAVED_NOTE } from '../../agent/agent-loop.ts';
import type { Job } from '../../tools/ports/scheduler.ts';
import { MAX_TURN_BYTES, turnBytes } from '../../agent/turn-size.ts';
import { lambdaApp } from '../../handlers/lambda-app.ts';
import { lambdaContext } from '../stand-ins/lambda-events.ts';
import { dynamoThrottle, type ProxiedRequest } from './helpers/aws-proxy.ts';
import { captureOutput } from './helpers/output-capture.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { toolCallModel, type ToolCallModel } from './helpers/tool-call-model.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';
import { FLOOD_WAIT } from '../stand-ins/bot-api-faults.ts';

const SKILL = '---\nname: big-notes\ndescription: Holds a large reference file.\n---\nRead references/data.md.\n';
const isTurnPut = (request: ProxiedRequest) => request.operation === 'PutItem' && request.body.includes('SESSION#');

/** Finding 1: a ~600 KB skill write_file plus a cron job in one turn, delivered three times as Telegram would. */
function bigTurnScript(chatTag: string) {
  return () => [
    { toolName: 'skill_manage', input: { action: 'create', name: `big-notes-${chatTag}`, content: SKILL.replace('big-notes', `big-notes-${chatTag}`) } },
    { toolName: 'skill_manage', input: { action: 'write_file', name: `big-notes-${chatTag}`, file_path: 'references/data.md', file_content: 'x'.repeat(600_000) } },
    { toolName: 'cronjob', input: { action: 'create', prompt: 'Review the big notes', schedule: 'every 1h' } },
  ];
}

describe('finding 1: a turn too big to store', () => {
  let h: WebhookHarness;
  let model: ToolCallModel;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    h = await startWebhookHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.dynamoProxy.clearFaults();
    h.api.calls.length = 0;
    output = captureOutput();
    // The SDK's backoff is random up to 2 s per throttled retry; a small fixed jitter keeps every attempt but not the wait.
    vi.spyOn(Math, 'random').mockReturnValue(0.05);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const jobsOf = async (chatId: number): Promise<Job[]> => (await lambdaApp(lambdaContext())).runtime.scheduler.list(chatId);

  it('stores the 600 KB turn clipped, answers once and creates one job over three deliveries', async () => {
    model = toolCallModel(bigTurnScript('a'), 'Saved the notes and scheduled a review.');
    await h.useModel(model.model);
    const update = messageUpdate('save these big notes and remind me hourly', 5_001, { chatId: 801 });

    for (let delivery = 0; delivery < 3; delivery++) expect((await h.post(update)).statusCode).toBe(200);

    expect(h.api.sent(801).map((message) => message.text)).toEqual(['Saved the notes and scheduled a review.']);
    expect(model.calls).toBe(2);
    expect(await jobsOf(801)).toHaveLength(1);
    const [turn] = await h.turnsOf('tg:801');
    expect(turnBytes(turn!.messages)).toBeLessThanOrEqual(MAX_TURN_BYTES);
    const assistant = turn!.messages.find((message) => message.role === 'assistant' && Array.isArray(message.content));
    const parts = assistant!.content as Array<{ type: string; text?: string; input?: { file_content?: string } }>;
    // DeepSeek needs a tool-call message's reasoning passed back whole, so it is kept word for word.
    expect(parts.find((part) => part.type === 'reasoning')?.text).toMatch(/^Thinking about it\. (Considering the details\. )+$/);
    expect(parts.filter((part) => part.type === 'tool-call')).toHaveLength(3);
    expect(parts[2]!.input!.file_content).toMatch(/characters clipped\]$/);
  });

  it('still answers when the turn cannot be stored at all, and a redelivery creates no second job', async () => {
    model = toolCallModel(bigTurnScript('b'), 'Done with the notes.');
    await h.useModel(model.model);
    const fault = h.dynamoProxy.addFault({ matches: isTurnPut, times: Infinity, reply: dynamoThrottle() });
    // The first attempt also fails to deliver, so Telegram redelivers after its tools ran and nothing was stored.
    h.api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
    const update = messageUpdate('save big notes again', 5_002, { chatId: 802 });

    expect((await h.post(update)).statusCode).toBe(500);
    expect((await h.post(update)).statusCode).toBe(200);
    fault.times = 0;
    expect((await h.post(update)).statusCode).toBe(200);

    expect(model.calls).toBe(4);
    // The Bot API refused the first send; the redelivery's answer is the one the user got.
    expect(h.api.sent(802).map((message) => message.text)).toEqual([`Done with the notes.\n\n${UNSAVED_NOTE}`, `Done with the notes.\n\n${UNSAVED_NOTE}`]);
    expect(await jobsOf(802)).toHaveLength(1);
    expect(output.text()).toMatch(/could not store the turn; delivering the answer anyway/);
  });

  it('keeps the turn in its last-resort form when only the full form fails to store', async () => {
    model = toolCallModel(bigTurnScript('c'), 'Stored the short way.');
    await h.useModel(model.model);
    h.dynamoProxy.addFault({ matches: isTurnPut, times: 1, reply: { status: 400, body: JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Item size has exceeded the maximum allowed size' }) } });

    expect((await h.post(messageUpdate('one more time', 5_003, { chatId: 803 }))).statusCode).toBe(200);

    expect(h.api.sent(803).map((message) => message.text)).toEqual(['Stored the short way.']);
    const [turn] = await h.turnsOf('tg:803');
    expect(turn!.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(turn!.messages[1]!.content).toMatch(/^Stored the short way\.\n\n\[The tool calls and results/);
    expect(output.text()).toMatch(/trying its last-resort form/);
  });
});
