import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_WORKING_DIR, ENTRY_FILE, handlerBuildOptions, LAMBDA_HANDLER, LAMBDA_NODE_OPTIONS, NODE_TARGET } from '../../infra/handler-bundle.ts';
import type { Metafile } from 'esbuild';
import { describeOutputs, inputsLoadedBy, type BundleOutputs } from '../stand-ins/bundle-outputs.ts';
import { pathToFileURL } from 'node:url';
import { deployedEnvWithoutServices, REFUSED_EVENT, requestScript, runFreshProcess, runFreshProcessAsync, STRANGER_UPDATE_EVENT } from '../stand-ins/bundled-handler-process.ts';
import { FakeSqs } from '../stand-ins/sqs-server.ts';
import { startDynalite } from '../stand-ins/dynalite.ts';
import { functionUrlEvent } from '../stand-ins/lambda-events.ts';
import { ALLOWED_USER, SECRETS } from '../stand-ins/lambda-env.ts';
import { addHermesStack } from '../../infra/hermes-app.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { synthesizeHermes } from './hermes-test-app.ts';

describe('the deployed handler bundle', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let entry: string;
  let outputs: BundleOutputs;
  let meta: Metafile;

  beforeAll(async () => {
    dir = await makeTempDir('hermes-bundle-test-');
    entry = join(dir.path, 'bundle', ENTRY_FILE);
    const { metafile } = await build({ ...handlerBuildOptions(join(dir.path, 'bundle')), metafile: true });
    meta = metafile!;
    outputs = describeOutputs(meta, entry, BUNDLE_WORKING_DIR);
  }, 60_000);
  afterAll(async () => dir.remove());

  it('loads no dependency before the first request: only the request checks are on the cold path', () => {
    expect(outputs.coldPathInputs.length).toBeGreaterThan(0);
    expect(outputs.coldPathInputs.filter((input) => input.includes('node_modules/'))).toEqual([]);
    expect(outputs.coldPathBytes).toBeLessThan(outputs.totalBytes / 100);
  });

  it('acks a queued update without loading the agent: the ack path parses no model, loop or bot library', () => {
    const inputs = inputsLoadedBy(meta, 'handlers/enqueue-update.ts', BUNDLE_WORKING_DIR);
    expect(inputs).toContain('agent/aws/sqs-turn-queue.ts');
    expect(inputs.filter((input) => /agent\/agent-loop|node_modules\/(ai|@ai-sdk|grammy)\//.test(input))).toEqual([]);
  });

  it('refuses a wrong webhook secret in a fresh process', () => {
    expect(() => runFreshProcess(requestScript(entry, REFUSED_EVENT, 401), deployedEnvWithoutServices(dir.path))).not.toThrow();
  });

  it('loads the agent from its chunks and answers an authorized update in a fresh process', () => {
    expect(() => runFreshProcess(requestScript(entry, STRANGER_UPDATE_EVENT, 200), deployedEnvWithoutServices(dir.path))).not.toThrow();
  });

  it('in queue mode, acks an update by queueing it and consumes the queue as the worker, in fresh processes', async () => {
    const [dynamo, sqs] = await Promise.all([startDynalite(), new FakeSqs().start()]);
    try {
      const queueUrl = sqs.createFifoQueue('hermes-turns.fifo', { contentBasedDeduplication: true });
      const env = {
        ...deployedEnvWithoutServices(dir.path),
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        HERMES_SESSION_TABLE: dynamo.tableName,
        HERMES_TURN_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      };
      const update = { update_id: 41, message: { message_id: 1, date: 1_700_000_000, chat: { id: ALLOWED_USER, type: 'private', first_name: 'A' }, from: { id: ALLOWED_USER, is_bot: false, first_name: 'A' }, text: 'hi' } };
      const ack = await runFreshProcessAsync(invokeScript(entry, functionUrlEvent({ body: JSON.stringify(update), secret: SECRETS.webhookSecret })), env);
      expect(JSON.parse(ack)).toMatchObject({ statusCode: 200, body: JSON.stringify({ ok: true, outcome: 'queued' }) });
      expect(sqs.messages(queueUrl).map((message) => message.body)).toEqual([JSON.stringify(update)]);

      // The worker on a stranger's group message, which the bot ignores: the whole app loads from its chunks, Powertools' FIFO processor included.
      const records = [{ ...sqs.receiveBatch(queueUrl)[0]!, body: STRANGER_UPDATE_EVENT.body! }];
      const batch = await runFreshProcessAsync(invokeScript(entry, { Records: records }), env);
      expect(JSON.parse(batch)).toEqual({ batchItemFailures: [] });
    } finally {
      await Promise.all([dynamo.close(), sqs.close()]);
    }
  }, 60_000);

  it('is what synth packages: the local bundling hook writes the entry and its chunks into the function asset', async () => {
    const app = new App({ outdir: join(dir.path, 'cdk.out') });
    addHermesStack(app, {});
    const { directory } = app.synth();
    const assets = (await readdir(directory)).filter((name) => name.startsWith('asset.')).map((name) => join(directory, name));
    const functionAssets = [];
    for (const asset of assets) if ((await readdir(asset)).includes(ENTRY_FILE)) functionAssets.push(asset);
    expect(functionAssets).toHaveLength(1);
    const chunks = await readdir(join(functionAssets[0]!, 'chunks'));
    expect(chunks.filter((name) => name.endsWith('.mjs')).length).toBeGreaterThan(10);
  }, 60_000);

  it('is built for the runtime, handler and Node options the stack deploys', () => {
    const { template } = synthesizeHermes();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: `nodejs${NODE_TARGET.replace('node', '')}.x`,
      Handler: LAMBDA_HANDLER,
      Environment: { Variables: { NODE_OPTIONS: LAMBDA_NODE_OPTIONS } },
    });
  });
});

/** Module source that imports the handler, sends it one event and prints the result as JSON. */
function invokeScript(file: string, event: object): string {
  return [
    `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    "const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hermes', getRemainingTimeInMillis: () => 30000 };",
    `process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, context)));`,
  ].join('\n');
}
