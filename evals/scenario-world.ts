import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Update } from 'grammy/types';
import { FakeAgentCore } from '../test/stand-ins/agentcore-server.ts';
import { FakeBotApi } from '../test/stand-ins/bot-api-server.ts';
import { FakeScheduler } from '../test/stand-ins/scheduler-server.ts';
import { FakeTranscribe } from '../test/stand-ins/transcribe-server.ts';
import type { DynaliteHarness } from '../test/stand-ins/dynalite.ts';
import type { S3rverHarness } from '../test/stand-ins/s3rver.ts';
import type { ModelBackend } from './model-backend.ts';
import type { Scenario } from './scenario-schema.ts';

export const WEBHOOK_SECRET = 'eval_webhook-secret';
const BOT_TOKEN = '123456:EVAL-bot-token';
/** AgentCore memory ids end in a dash and ten alphanumerics. */
const MEMORY_ID = 'hermes_eval-EvalMemory';
const SCHEDULER_ROLE_ARN = 'arn:aws:iam::123456789012:role/hermes-scheduler';

/** The emulators every scenario shares; each scenario gets its own table and bucket in them. */
export interface SharedEmulators {
  dynamo: DynaliteHarness;
  s3: S3rverHarness;
}

interface ScenarioWorldParts {
  bot: FakeBotApi;
  scheduler: FakeScheduler;
  agentCore: FakeAgentCore;
  model: ModelBackend;
  transcribe: FakeTranscribe;
  table: string;
  bucket: string;
  shared: SharedEmulators;
}

/**
 * Everything one scenario talks to, fresh so that no job, memory record, dedup claim or sent message leaks from
 * one scenario into the next: a Bot API, EventBridge Scheduler, AgentCore Memory, a model backend, a table, a bucket.
 */
export class ScenarioWorld {
  /** When the scenario opened; messages are dated from it. */
  readonly startedAt = Date.now();
  readonly posted = new Map<number, Update>();

  readonly bot: FakeBotApi;
  readonly scheduler: FakeScheduler;
  readonly agentCore: FakeAgentCore;
  readonly model: ModelBackend;
  readonly transcribe: FakeTranscribe;
  private readonly table: string;
  private readonly bucket: string;
  private readonly shared: SharedEmulators;

  private constructor(parts: ScenarioWorldParts) {
    this.bot = parts.bot;
    this.scheduler = parts.scheduler;
    this.agentCore = parts.agentCore;
    this.model = parts.model;
    this.transcribe = parts.transcribe;
    this.table = parts.table;
    this.bucket = parts.bucket;
    this.shared = parts.shared;
  }

  static async open(shared: SharedEmulators, model: ModelBackend): Promise<ScenarioWorld> {
    const scheduler = new FakeScheduler();
    const agentCore = new FakeAgentCore({ memoryId: MEMORY_ID });
    const transcribe = new FakeTranscribe(async (bucket, key) => {
      const object = await shared.s3.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      return object?.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
    });
    const [bot, table, bucket] = await Promise.all([
      new FakeBotApi().start(),
      shared.dynamo.createTable(),
      shared.s3.createBucket(),
      scheduler.start(),
      agentCore.start(),
      transcribe.start(),
    ]);
    return new ScenarioWorld({ bot, scheduler, agentCore, model, transcribe, table, bucket, shared });
  }

  /**
   * The deployed function's environment, every adapter on its AWS service. AWS_LAMBDA_FUNCTION_NAME makes the app
   * refuse any local-disk adapter, as it does on Lambda. The scheduler target is left to the invocation context.
   */
  env(scenario: Scenario): Record<string, string> {
    return {
      AWS_LAMBDA_FUNCTION_NAME: 'hermes-agent',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: this.shared.dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: this.shared.s3.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: this.scheduler.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_AGENTCORE: this.agentCore.endpoint,
      AWS_ENDPOINT_URL_TRANSCRIBE: this.transcribe.endpoint,
      HERMES_SESSION_BACKEND: 'dynamodb',
      HERMES_SESSION_TABLE: this.table,
      HERMES_SKILLS_S3_BUCKET: this.bucket,
      HERMES_SCHEDULER_ROLE_ARN: SCHEDULER_ROLE_ARN,
      HERMES_AGENTCORE_MEMORY_ID: MEMORY_ID,
      HERMES_PROVIDER: scenario.provider,
      // One answer per request: a retry would consume the next recorded exchange.
      HERMES_MODEL_RETRIES: '0',
      HERMES_LOG_LEVEL: 'info',
      ...(scenario.provider === 'deepseek'
        ? { DEEPSEEK_API_KEY: 'sk-eval-replay', DEEPSEEK_BASE_URL: this.model.url }
        : { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: this.model.url }),
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_BOT_USERNAME: 'hermes_eval_bot',
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: this.bot.apiRoot,
      TELEGRAM_ALLOWED_USERS: '77',
      ...scenario.setup.env,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.bot.close(), this.scheduler.close(), this.agentCore.close(), this.model.close(), this.transcribe.close()]);
  }
}
