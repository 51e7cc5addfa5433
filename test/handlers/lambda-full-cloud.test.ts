import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetLambdaApp } from '../../handlers/lambda-app.ts';
import { handler } from '../../handlers/lambda.ts';
import { FakeAgentCore } from '../stand-ins/agentcore-server.ts';
import { FakeBotApi, textUpdate } from '../stand-ins/bot-api-server.ts';
import { FakeScheduler } from '../stand-ins/scheduler-server.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { FUNCTION_ARN, functionUrlEvent, lambdaContext } from '../stand-ins/lambda-events.ts';
import { deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { startS3rver, type S3rverHarness } from '../stand-ins/s3rver.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'models');
const SECRET = 'full-cloud-secret';
const MEMORY_ID = 'hermes_memory-a1B2c3D4e5';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/hermes-scheduler';

/**
 * The deployed shape with every piece of state in a managed service: DynamoDB (dynalite), S3 (s3rver),
 * EventBridge Scheduler and AgentCore Memory (local endpoints that check the serialized requests). Nothing
 * may touch local disk, as on Lambda.
 */
describe('Lambda with all state in AWS services', () => {
  let dynamo: DynaliteHarness;
  let s3: S3rverHarness;
  let scheduler: FakeScheduler;
  let agentCore: FakeAgentCore;
  let api: FakeBotApi;
  let model: ReplayModelServer;

  beforeAll(async () => {
    scheduler = new FakeScheduler({ groups: ['hermes'] });
    agentCore = new FakeAgentCore({ memoryId: MEMORY_ID, strategies: [{ memoryStrategyId: 'facts-a1B2c3D4e5', namespaceTemplate: '/users/{actorId}/facts' }] });
    [dynamo, s3, api, model] = await Promise.all([startDynalite(), startS3rver(), new FakeBotApi().start(), new ReplayModelServer().start(), scheduler.start(), agentCore.start()]);
    const env: Record<string, string> = {
      AWS_LAMBDA_FUNCTION_NAME: 'hermes-agent',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: agentCore.endpoint,
      HERMES_SESSION_BACKEND: 'dynamodb',
      HERMES_SESSION_TABLE: dynamo.tableName,
      HERMES_SKILLS_S3_BUCKET: s3.bucket,
      HERMES_SCHEDULER_ROLE_ARN: ROLE_ARN,
      HERMES_SCHEDULER_GROUP: 'hermes',
      HERMES_AGENTCORE_MEMORY_ID: MEMORY_ID,
      HERMES_HOME: '/nonexistent/never-written',
      TELEGRAM_BOT_TOKEN: '123456:FULL-cloud-token',
      TELEGRAM_BOT_USERNAME: 'hermes_test_bot',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_ALLOWED_USERS: '77',
      TELEGRAM_API_ROOT: api.apiRoot,
      DEEPSEEK_API_KEY: 'sk-cloud',
      DEEPSEEK_BASE_URL: model.url,
      HERMES_MODEL_RETRIES: '0',
      HERMES_LOG_LEVEL: 'error',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    resetLambdaApp();
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    resetLambdaApp();
    await Promise.all([dynamo.close(), s3.close(), api.close(), model.close(), scheduler.close(), agentCore.close()]);
  });

  const post = (text: string, updateId: number) =>
    handler(functionUrlEvent({ body: JSON.stringify(textUpdate(text, { updateId })), secret: SECRET }), lambdaContext()) as Promise<{ statusCode: number }>;

  it('creates the reminder as an EventBridge schedule that invokes this function, then runs its fire', async () => {
    model.enqueue((await import(join(fixtures, 'deepseek-cron-create.json'), { with: { type: 'json' } })).default);
    expect((await post('remind me to stretch in 30 minutes', 1)).statusCode).toBe(200);
    expect(model.failures).toEqual([]);
    expect(api.sent(77).at(-1)!.text).toContain('stretch');

    const [name] = scheduler.names('hermes');
    const schedule = scheduler.schedule(name!, 'hermes')!;
    expect(schedule).toMatchObject({ ActionAfterCompletion: 'DELETE', Target: { Arn: FUNCTION_ARN, RoleArn: ROLE_ARN } });
    expect(schedule.ScheduleExpression).toMatch(/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/);

    // EventBridge fills in the context attribute and invokes the function with the Input as the event.
    const slot = `${/^at\((.*)\)$/.exec(schedule.ScheduleExpression)![1]}Z`;
    const input = schedule.Target.Input!.replace('<aws.scheduler.scheduled-time>', slot);
    model.enqueue([{ requestContains: ['Remind the user to stretch.'], response: deepseekThinkingText('Stretch time! 🧘') }]);
    expect(await handler(JSON.parse(input), lambdaContext())).toMatchObject({ status: 'delivered' });
    expect(api.sent(77).at(-1)!.text).toBe('Stretch time! 🧘');
    expect(scheduler.names('hermes')).toEqual([]);
  });

  it('saves memory as an AgentCore record and writes each exchange as an event of that user', async () => {
    model.enqueue([
      { response: deepseekCompletion({ reasoning: 'A lasting fact about the user: save it.', toolCalls: [{ id: 'call_m', name: 'memory', arguments: { action: 'add', target: 'user', content: 'Is vegetarian' } }] }) },
      { requestContains: ['Saved to user'], response: deepseekThinkingText('Noted.') },
    ]);
    expect((await post('I am vegetarian', 2)).statusCode).toBe(200);
    expect(model.failures).toEqual([]);
    expect(agentCore.records.some((record) => record.content.text === 'Is vegetarian' && record.namespaces.includes('/users/77/user'))).toBe(true);
    const event = agentCore.events.find((candidate) => JSON.stringify(candidate.payload).includes('I am vegetarian'));
    expect(event).toMatchObject({ actorId: '77', memoryId: MEMORY_ID });
    expect(event!.sessionId).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9-_]*$/);
  });
});
