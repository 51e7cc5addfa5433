import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { LanguageModel } from 'ai';
import { vi } from 'vitest';
import { DynamoDbSessionStore } from '../../../agent/aws/dynamodb-session-store.ts';
import type { Turn } from '../../../agent/ports/session-store.ts';
import { handler } from '../../../handlers/lambda.ts';
import { lambdaApp, resetLambdaApp } from '../../../handlers/lambda-app.ts';
import { FakeBotApi } from '../../stand-ins/bot-api-server.ts';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';
import { functionUrlEvent, lambdaContext } from '../../stand-ins/lambda-events.ts';
import { ReplayModelServer } from '../../stand-ins/replay-model-server.ts';
import { startS3rver } from '../../stand-ins/s3rver.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';
import { AwsProxy } from './aws-proxy.ts';
import { lambdaEnv, SECRETS } from '../../stand-ins/lambda-env.ts';
import { storedTurns } from '../../stand-ins/stored-turns.ts';

export interface PostOptions {
  /** Lambda time left at the start of the invocation. */
  budgetMs?: number;
}

export type WebhookResult = LambdaFunctionURLResult & { statusCode: number; body: string };

export interface WebhookHarness {
  dynamo: DynaliteHarness;
  api: FakeBotApi;
  /** Between the function and DynamoDB: counts requests and injects faults. */
  dynamoProxy: AwsProxy;
  /** The model's HTTP endpoint for tests that exercise the provider package; others inject a model instead. */
  replay: ReplayModelServer;
  /** Reads the table directly, past the proxy, so checks are neither counted nor faulted. */
  sessions: DynamoDbSessionStore;
  post(update: object, options?: PostOptions): Promise<WebhookResult>;
  /** Hands any Function URL event to the deployed handler. */
  send(event: LambdaFunctionURLEvent, budgetMs?: number): Promise<WebhookResult>;
  /** Rebuilds the function's app with some variables changed, as a new deployment would; the next redeploy undoes them. */
  redeploy(overrides?: Record<string, string | undefined>): void;
  /** Replaces the model of the running app; the handler builds its own, so this is the only seam. */
  useModel(model: LanguageModel): Promise<void>;
  turnsOf(sessionKey: string): Promise<Turn[]>;
  close(): Promise<void>;
}

/** The Lambda handler end to end on dynalite (behind a proxy), s3rver, a fake Bot API and a model server. */
export async function startWebhookHarness(): Promise<WebhookHarness> {
  const [dynamo, s3, api, replay, home] = await Promise.all([
    startDynalite(),
    startS3rver(),
    new FakeBotApi().start(),
    new ReplayModelServer().start(),
    makeTempDir('hermes-reliability-'),
  ]);
  const dynamoProxy = await new AwsProxy(dynamo.endpoint).start();
  const env = lambdaEnv({
    dynamoEndpoint: dynamoProxy.endpoint,
    table: dynamo.tableName,
    s3Endpoint: s3.endpoint,
    bucket: s3.bucket,
    home: home.path,
    botApiRoot: api.apiRoot,
    modelUrl: replay.url,
  });
  const redeploy = (overrides: Record<string, string | undefined> = {}) => {
    // Overrides hold until the next redeploy only, so a suite's later tests see the deployment they expect.
    vi.unstubAllEnvs();
    for (const [name, value] of Object.entries({ ...env, ...overrides })) vi.stubEnv(name, value);
    resetLambdaApp();
  };
  redeploy();
  const send = async (event: LambdaFunctionURLEvent, budgetMs?: number) => (await handler(event, lambdaContext(budgetMs))) as WebhookResult;

  return {
    dynamo,
    api,
    dynamoProxy,
    replay,
    sessions: new DynamoDbSessionStore(dynamo.doc, { tableName: dynamo.tableName, ttlDays: 90 }),
    post: (update, options = {}) => send(functionUrlEvent({ body: JSON.stringify(update), secret: SECRETS.webhookSecret }), options.budgetMs),
    send,
    redeploy,
    useModel: async (model) => {
      (await lambdaApp(lambdaContext())).runtime.model = model;
    },
    turnsOf: (sessionKey) => storedTurns(dynamo.doc, dynamo.tableName, sessionKey),
    close: async () => {
      vi.unstubAllEnvs();
      resetLambdaApp();
      await Promise.all([dynamoProxy.close(), api.close(), replay.close()]);
      await Promise.all([dynamo.close(), s3.close(), home.remove()]);
    },
  };
}
