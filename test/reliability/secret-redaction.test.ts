import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { functionUrlEvent } from '../stand-ins/lambda-events.ts';
import { deepseekError } from './helpers/deepseek-replies.ts';
import { instantModel } from '../stand-ins/instant-model.ts';
import { SECRETS } from '../stand-ins/lambda-env.ts';
import { captureOutput } from './helpers/output-capture.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

const ALL_SECRETS = Object.values(SECRETS);
/** What a careless upstream might echo: every secret of the deployment in one error text. */
const ECHO = `rejected credentials ${ALL_SECRETS.join(' ')}`;

describe('secrets during a run full of faults', () => {
  let h: WebhookHarness;
  let output: { text: () => string };
  const replies: string[] = [];

  beforeAll(async () => {
    h = await startWebhookHarness();
    output = captureOutput();

    // The provider fails twice (with a retry allowed) and echoes the key each time, as OpenAI-style APIs do.
    h.redeploy({ HERMES_LOG_LEVEL: 'debug', HERMES_MODEL_RETRIES: '1' });
    const keyEcho = deepseekError(500, `Incorrect API key provided: ${SECRETS.deepseekKey}`);
    h.replay.enqueue([keyEcho, keyEcho]);
    await h.post(messageUpdate('model fault', 7_000, { chatId: 1_101 }));

    // DynamoDB fails every window read with an error text that echoes the secrets.
    h.dynamoProxy.addFault({
      matches: (request) => request.operation === 'Query',
      times: Infinity,
      reply: { status: 500, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: ECHO }) },
    });
    await h.post(messageUpdate('store fault', 7_001, { chatId: 1_102 }));
    h.dynamoProxy.clearFaults();

    // The Bot API refuses the reply with a description that echoes the secrets.
    await h.useModel(instantModel().model);
    h.api.injectFault({ method: 'sendMessage', errorCode: 400, description: `Bad Request: ${ECHO}` });
    await h.post(messageUpdate('bot api fault', 7_002, { chatId: 1_103 }));

    // A wrong secret and a broken start: the refused value and the config error are logged too.
    await h.send(functionUrlEvent({ body: JSON.stringify(messageUpdate('intruder', 7_003)), secret: `${SECRETS.webhookSecret}x` }));
    h.redeploy({ HERMES_LOG_LEVEL: 'debug', TELEGRAM_BOT_TOKEN: `${SECRETS.botToken} ${SECRETS.webhookSecret}` });
    await h.post(messageUpdate('misconfigured', 7_004));

    replies.push(...h.api.sent().map((message) => message.text));
    vi.restoreAllMocks();
  });
  afterAll(() => h.close());

  it('wrote the faults to the logs, with the echoed secrets redacted', () => {
    const logged = output.text();
    expect(logged).toContain('model call failed');
    expect(logged).toContain('update processing failed');
    expect(logged).toContain('startup failed');
    expect(logged).toContain('[REDACTED]');
  });

  it("names the provider, the model and the refusal's HTTP status in a model failure's line, for the owner to act on", () => {
    const line = output.text().split('\n').find((candidate) => candidate.includes('"message":"model call failed"'));
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', provider: 'deepseek', model: expect.any(String), error: { statusCode: 500 } });
  });

  it.each(Object.entries(SECRETS))('never logs the %s', (_name, secret) => {
    expect(output.text()).not.toContain(secret);
  });

  it('never sends the DeepSeek key to the chat, where a group would see it', () => {
    expect(replies[0]).toMatch(/did not answer/);
    expect(replies.join('\n')).not.toContain(SECRETS.deepseekKey);
  });
});
