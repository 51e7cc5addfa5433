import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../handlers/lambda.ts';
import { lambdaApp, resetLambdaApp } from '../../handlers/lambda-app.ts';
import { FakeBotApi, textUpdate } from '../stand-ins/bot-api-server.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { functionUrlEvent, lambdaContext } from '../stand-ins/lambda-events.ts';
import { deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { startS3rver, type S3rverHarness } from '../stand-ins/s3rver.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { FLOOD_WAIT } from '../stand-ins/bot-api-faults.ts';
import { captureOutput } from '../reliability/helpers/output-capture.ts';
import { lambdaEnv, stubEnvs } from '../stand-ins/lambda-env.ts';

const SECRET = 'webhook_secret-123';
const TOKEN = '123456:LAMBDA-test-token';

const chatReply = (text: string) => ({
  response: deepseekThinkingText(text),
});

describe('Lambda handler: Telegram webhook and cron on DynamoDB + S3', () => {
  let dynamo: DynaliteHarness;
  let s3: S3rverHarness;
  let api: FakeBotApi;
  let model: ReplayModelServer;
  let home: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    [dynamo, s3, api, model, home] = await Promise.all([startDynalite(), startS3rver(), new FakeBotApi().start(), new ReplayModelServer().start(), makeTempDir()]);
    stubEnvs(
      {
        ...lambdaEnv({ dynamoEndpoint: dynamo.endpoint, table: dynamo.tableName, s3Endpoint: s3.endpoint, bucket: s3.bucket, botApiRoot: api.apiRoot, modelUrl: model.url, home: home.path }),
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_BOT_USERNAME: 'hermes_test_bot',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_ALLOWED_USERS: '77,78',
        TELEGRAM_ALLOWED_CHATS: '-100500',
        DEEPSEEK_API_KEY: 'sk-lambda-test',
      },
      vi.stubEnv,
    );
    resetLambdaApp();
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    resetLambdaApp();
    await Promise.all([dynamo.close(), s3.close(), api.close(), model.close(), home.remove()]);
  });

  beforeEach(() => {
    api.calls.length = 0;
    model.requests.length = 0;
    model.failures.length = 0;
  });

  afterEach(() => {
    expect(model.remaining).toBe(0);
  });

  const post = (update: object, options: Partial<Parameters<typeof functionUrlEvent>[0]> = {}) =>
    handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET, ...options }), lambdaContext()) as Promise<{ statusCode: number; body: string }>;

  it('answers a message, storing the turn in DynamoDB', async () => {
    model.enqueue([chatReply('Hello **Ada**!')]);
    const result = await post(textUpdate('hi', { updateId: 100 }));
    expect(result.statusCode).toBe(200);
    expect(api.sent(77)).toEqual([expect.objectContaining({ text: 'Hello <b>Ada</b>!', parse_mode: 'HTML' })]);
    expect(model.requests[0]!.headers.authorization).toBe('Bearer sk-lambda-test');
  });

  it.each([
    ['a wrong secret', { secret: 'nope' }],
    ['no secret', { secret: undefined }],
    ['a wrong secret on another path', { secret: 'nope', path: '/admin' }],
  ])('refuses %s with 401 and processes nothing', async (_name, options) => {
    const result = await handler(functionUrlEvent({ body: JSON.stringify(textUpdate('hi', { updateId: 101 })), ...options }), lambdaContext()) as { statusCode: number };
    expect(result.statusCode).toBe(401);
    expect(api.calls).toEqual([]);
    expect(model.requests).toEqual([]);
  });

  it('takes the secret header however its name is cased, as HTTP names are case-insensitive', async () => {
    model.enqueue([chatReply('Hi')]);
    const event = functionUrlEvent({ body: JSON.stringify(textUpdate('hi', { updateId: 103 })), headers: { 'X-TELEGRAM-BOT-API-SECRET-TOKEN': SECRET } });
    expect(((await handler(event, lambdaContext())) as { statusCode: number }).statusCode).toBe(200);
    expect(api.sent(77)).toEqual([expect.objectContaining({ text: 'Hi' })]);
  });

  it('answers malformed JSON with 400', async () => {
    const result = await handler(functionUrlEvent({ body: '{"update_id": 1, ', secret: SECRET }), lambdaContext()) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error).toMatch(/JSON/);
  });

  it('answers JSON that is not an update with 400', async () => {
    const result = await post({ hello: 'world' });
    expect(result.statusCode).toBe(400);
  });

  it('refuses other methods and oversized bodies', async () => {
    expect((await post(textUpdate('x', { updateId: 102 }), { method: 'GET' })).statusCode).toBe(405);
    const huge = await handler(functionUrlEvent({ body: JSON.stringify({ update_id: 103, pad: 'x'.repeat(1_100_000) }), secret: SECRET }), lambdaContext()) as { statusCode: number };
    expect(huge.statusCode).toBe(413);
  });

  it('decodes base64 bodies', async () => {
    model.enqueue([chatReply('decoded fine')]);
    const result = await post(textUpdate('base64 hi', { updateId: 104 }), { base64: true });
    expect(result.statusCode).toBe(200);
    expect(api.sent(77).map((m) => m.text)).toEqual(['decoded fine']);
  });

  it('processes a redelivered update once', async () => {
    model.enqueue([chatReply('only once')]);
    const update = textUpdate('once please', { updateId: 105 });
    const results = await Promise.all([post(update), post(update), post(update)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect((await post(update)).statusCode).toBe(200);
    expect(api.sent(77).map((m) => m.text)).toEqual(['only once']);
    expect(model.requests).toHaveLength(1);
  });

  it('recognizes an answered update redelivered after its claim lapsed, without calling the model again', async () => {
    model.enqueue([chatReply('answered once')]);
    const update = textUpdate('late redelivery', { updateId: 120 });
    await post(update);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * 60_000 });
    try {
      expect((await post(update)).statusCode).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    expect(api.sent(77).map((m) => m.text)).toEqual(['answered once']);
    expect(model.requests).toHaveLength(1);
  });

  it('refuses users outside TELEGRAM_ALLOWED_USERS', async () => {
    const result = await post(textUpdate('let me in', { updateId: 106, userId: 999 }));
    expect(result.statusCode).toBe(200);
    expect(api.sent(999)[0]!.text).toMatch(/private assistant/);
    expect(model.requests).toEqual([]);
  });

  it("tells a stranger when Telegram redelivers the message whose notice it refused, not a day later", async () => {
    const update = textUpdate('let me in?', { updateId: 131, userId: 998 });
    api.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
    captureOutput();
    expect((await post(update)).statusCode).toBe(500);
    expect((await post(update)).statusCode).toBe(200);
    vi.restoreAllMocks();
    // The refused attempt, then the one that got through.
    expect(api.sent(998).map((m) => m.text)).toEqual([expect.stringMatching(/private assistant/), expect.stringMatching(/private assistant/)]);
  });

  it('handles /start, /help and /new without the model', async () => {
    await post(textUpdate('/start', { updateId: 107 }));
    await post(textUpdate('/help', { updateId: 108 }));
    await post(textUpdate('/new', { updateId: 109 }));
    const texts = api.sent(77).map((m) => m.text);
    expect(texts[0]).toMatch(/^Hello, Ada!/);
    expect(texts[1]).toMatch(/\/new/);
    expect(texts[2]).toMatch(/fresh conversation/);
    expect(model.requests).toEqual([]);
  });

  it('forgets the conversation after /new but keeps other chats and topics apart', async () => {
    model.enqueue([chatReply('first'), chatReply('topic answer'), chatReply('after reset')]);
    await post(textUpdate('remember the word banana', { updateId: 110, userId: 78 }));
    await post(textUpdate('@hermes_test_bot in a topic', { updateId: 111, userId: 78, chatId: -100500, threadId: 7 }));
    await post(textUpdate('/new', { updateId: 112, userId: 78 }));
    await post(textUpdate('what word?', { updateId: 113, userId: 78 }));
    const last = JSON.stringify(model.requests.at(-1)!.body);
    expect(last).not.toContain('banana');
    expect(JSON.stringify(model.requests[1]!.body)).not.toContain('banana');
    expect(api.sent(-100500)[0]).toMatchObject({ text: 'topic answer', message_thread_id: 7 });
  });

  it('splits a long reply into several messages', async () => {
    model.enqueue([chatReply(Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(20)}`).join('\n\n'))]);
    await post(textUpdate('tell me a lot', { updateId: 114 }));
    const sent = api.sent(77);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((m) => m.text.length <= 4096)).toBe(true);
  });

  it('falls back to plain text when Telegram rejects the HTML', async () => {
    model.enqueue([chatReply('**bold** answer')]);
    api.injectFault({ method: 'sendMessage', errorCode: 400, description: "Bad Request: can't parse entities: unexpected end tag" });
    await post(textUpdate('format me', { updateId: 115 }));
    const sent = api.sent(77);
    expect(sent.at(-1)).toEqual(expect.objectContaining({ text: 'bold answer' }));
    expect(sent.at(-1)!.parse_mode).toBeUndefined();
  });

  it('answers 200 when the chat blocked the bot, as a redelivery could not reach it either', async () => {
    model.enqueue([chatReply('never seen')]);
    api.injectFault({ method: 'sendMessage', errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    const result = await post(textUpdate('one last thing', { updateId: 140, userId: 77, chatId: 77 }));
    expect(result.statusCode).toBe(200);
    expect(api.calls.filter((call) => call.method === 'sendMessage' && call.params.chat_id === 77).at(-1)!.params.text).toBe('never seen');
  });

  it("answers 200 when a command's answer finds the chat blocked, instead of 500s Telegram would redeliver in vain", async () => {
    api.injectFault({ method: 'sendMessage', errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    const result = await post(textUpdate('/help', { updateId: 141, userId: 77, chatId: 77 }));
    expect(result.statusCode).toBe(200);
  });

  it('retries after a Bot API 429 and still delivers', async () => {
    model.enqueue([chatReply('after the flood')]);
    api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    await post(textUpdate('busy?', { updateId: 116 }));
    expect(api.sent(77).map((m) => m.text)).toEqual(['after the flood', 'after the flood']);
  });

  it('answers with what it has when the Lambda time limit nears', async () => {
    model.enqueue([{ delayMs: 1_500, ...chatReply('too late') }]);
    const result = (await handler(functionUrlEvent({ body: JSON.stringify(textUpdate('slow one', { updateId: 117 })), secret: SECRET }), lambdaContext(6_500))) as { statusCode: number };
    expect(result.statusCode).toBe(200);
    expect(api.sent(77).at(-1)!.text).toMatch(/ran out of time/);
  });

  it('tells the user clearly when the model fails and keeps their message', async () => {
    model.enqueue([{ status: 500, response: { error: { message: 'boom' } } }, chatReply('second try works')]);
    await post(textUpdate('first try', { updateId: 118, userId: 78, chatId: 4178 }));
    expect(api.sent(4178)[0]!.text).toMatch(/did not answer.*saved; try again in a moment\.$/s);
    await post(textUpdate('second try', { updateId: 119, userId: 78, chatId: 4178 }));
    expect(JSON.stringify(model.requests.at(-1)!.body)).toContain('first try');
  });

  it('does not ask the user to try again when only the owner can end the failure (no balance left)', async () => {
    // DeepSeek "Error Codes" (checked 2026-12-03): 402 Insufficient Balance.
    model.enqueue([{ status: 402, response: { error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' } } }]);
    await post(textUpdate('are you there?', { updateId: 150, userId: 78, chatId: 4179 }));
    expect(api.sent(4179)[0]!.text).toMatch(/no balance left \(HTTP 402\)\.\nYour message is saved; trying again will not help until that is fixed\.$/);
  });

  it('runs a scheduled fire once and delivers it to the job chat', async () => {
    model.enqueue([chatReply('Time to stretch!')]);
    const fire = {
      source: 'hermes.cron',
      scheduledTime: '2026-11-22T10:30:00Z',
      job: { id: 'hermes-p77-abc', name: 'stretch', prompt: 'Remind me to stretch', schedule: { kind: 'interval', minutes: 30, display: 'every 30m' }, completedRuns: 0, state: 'scheduled', delivery: { chatId: 77, userId: '77' }, createdAt: '2026-11-22T10:00:00Z' },
    };
    expect(await handler(fire, lambdaContext())).toMatchObject({ status: 'delivered' });
    expect(await handler(fire, lambdaContext())).toMatchObject({ status: 'duplicate' });
    expect(api.sent(77).map((m) => m.text)).toEqual(['Time to stretch!']);
    expect(JSON.stringify(model.requests[0]!.body)).toContain('Scheduled task \\"stretch\\"');
  });

  it('pauses instead of running the job of an owner no longer in TELEGRAM_ALLOWED_USERS', async () => {
    const { runtime } = await lambdaApp(lambdaContext());
    const job = await runtime.scheduler.create({
      name: 'old reminder',
      prompt: 'Remind me of the thing',
      schedule: { kind: 'interval', minutes: 30, display: 'every 30m' },
      delivery: { chatId: 99, userId: '99' },
    });
    expect(await handler({ source: 'hermes.cron', scheduledTime: '2026-11-22T11:00:00Z', job }, lambdaContext())).toEqual({ status: 'paused' });
    expect(api.sent(99)).toEqual([]);
    expect(model.requests).toEqual([]);
    expect((await runtime.scheduler.get(job.id))?.state).toBe('paused');
  });

  it('rejects a malformed cron payload and an unknown event', async () => {
    await expect(handler({ source: 'hermes.cron', job: { id: 'x' } }, lambdaContext())).rejects.toThrow(/hermes.cron payload/);
    await expect(handler({ hello: 1 }, lambdaContext())).rejects.toThrow(/Unrecognized event/);
  });

  it('never reaches the cron path over HTTP', async () => {
    const body = JSON.stringify({ source: 'hermes.cron', scheduledTime: 'x', job: {} });
    expect(((await handler(functionUrlEvent({ body }), lambdaContext())) as { statusCode: number }).statusCode).toBe(401);
    expect(((await handler(functionUrlEvent({ body, secret: SECRET }), lambdaContext())) as { statusCode: number }).statusCode).toBe(400);
  });
});

describe('Lambda handler start-up', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetLambdaApp();
  });

  it('answers 500 and names the variable when TELEGRAM_WEBHOOK_SECRET is missing', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    vi.stubEnv('TELEGRAM_BOT_TOKEN', TOKEN);
    vi.stubEnv('TELEGRAM_WEBHOOK_SECRET', '');
    vi.stubEnv('DEEPSEEK_API_KEY', 'k');
    resetLambdaApp();
    const result = (await handler(functionUrlEvent({ body: '{}', secret: 'x' }), lambdaContext())) as { statusCode: number };
    expect(result.statusCode).toBe(500);
    expect(errors.join('\n')).toMatch(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('refuses a wrong secret without building the agent', async () => {
    vi.stubEnv('TELEGRAM_WEBHOOK_SECRET', SECRET);
    vi.stubEnv('HERMES_PROVIDER', 'not-a-provider');
    resetLambdaApp();
    const refused = (await handler(functionUrlEvent({ body: JSON.stringify(textUpdate('hi', { updateId: 2 })), secret: 'wrong' }), lambdaContext())) as { statusCode: number };
    expect(refused.statusCode).toBe(401);
  });

  it('refuses local state on Lambda, naming the variable', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'hermes-agent');
    vi.stubEnv('TELEGRAM_BOT_TOKEN', TOKEN);
    vi.stubEnv('TELEGRAM_WEBHOOK_SECRET', SECRET);
    vi.stubEnv('DEEPSEEK_API_KEY', 'k');
    vi.stubEnv('HERMES_SESSION_BACKEND', 'local');
    resetLambdaApp();
    const result = (await handler(functionUrlEvent({ body: JSON.stringify(textUpdate('hi', { updateId: 1 })), secret: SECRET }), lambdaContext())) as { statusCode: number };
    expect(result.statusCode).toBe(500);
    expect(errors.join('\n')).toMatch(/HERMES_SESSION_BACKEND/);
  });
});

