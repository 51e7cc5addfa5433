import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LanguageModel } from 'ai';
import type { Update } from 'grammy/types';
import type { Runtime } from '../agent/runtime.ts';
import { handler } from '../handlers/lambda.ts';
import { lambdaApp, resetLambdaApp } from '../handlers/lambda-app.ts';
import { documentClientFor } from '../test/stand-ins/dynalite.ts';
import { functionUrlEvent, lambdaContext } from '../test/stand-ins/lambda-events.ts';
import { makeTempDir } from '../test/stand-ins/temp-dir.ts';
import { lambdaEnv, SECRETS } from '../test/stand-ins/lambda-env.ts';
import { startEmulators, type Emulators } from './emulators.ts';
import { msSince } from './stats.ts';

export interface BenchStack {
  emulators: Emulators;
  /** A client of its own, for seeding and checks outside the counted turns. */
  doc: DynamoDBDocumentClient;
  table: string;
  /** The runtime the deployed handler built, shared with direct `runTurn` calls. */
  runtime: Runtime;
  /** One webhook delivery through the Lambda handler; `ms` is the invocation's wall time. */
  post(update: Update): Promise<{ statusCode: number; ms: number }>;
  /** The handler builds its own model from the environment; replacing it on the built runtime is the only seam. */
  useModel(model: LanguageModel): void;
  close(): Promise<void>;
}

/** The deployed function's configuration against the emulators, in this process, as one warm Lambda container. */
export async function startBenchStack(): Promise<BenchStack> {
  const [emulators, home] = await Promise.all([startEmulators(), makeTempDir('hermes-bench-')]);
  Object.assign(
    process.env,
    lambdaEnv({
      dynamoEndpoint: emulators.dynamo.endpoint,
      table: emulators.dynamo.table,
      s3Endpoint: emulators.s3.endpoint,
      bucket: emulators.s3.bucket,
      home: home.path,
      botApiRoot: emulators.botApiRoot,
      // Never called: every measurement injects a model that answers at once.
      modelUrl: 'http://127.0.0.1:9',
    }),
    // The deployed default, which the test suites turn off: with the queue, the ack records each text for batching.
    { HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0.6' },
  );
  resetLambdaApp();
  const { runtime } = await lambdaApp(lambdaContext());
  const doc = documentClientFor(emulators.dynamo.endpoint);
  return {
    emulators,
    doc,
    table: emulators.dynamo.table,
    runtime,
    post: async (update) => {
      const event = functionUrlEvent({ body: JSON.stringify(update), secret: SECRETS.webhookSecret });
      const started = process.hrtime.bigint();
      const result = (await handler(event, lambdaContext())) as { statusCode: number };
      return { statusCode: result.statusCode, ms: msSince(started) };
    },
    useModel: (model) => {
      runtime.model = model;
    },
    close: async () => {
      doc.destroy();
      await emulators.close();
      await home.remove();
    },
  };
}
