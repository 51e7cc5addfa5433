import { join } from 'node:path';
import { build } from 'esbuild';
import type { Update } from 'grammy/types';
import { resetLambdaApp } from '../handlers/lambda-app.ts';
import { ENTRY_FILE, handlerBuildOptions } from '../infra/handler-bundle.ts';
import { deployedEnvWithoutServices, requestScript, runFreshProcess, type ProcessSample } from '../test/stand-ins/bundled-handler-process.ts';
import { functionUrlEvent } from '../test/stand-ins/lambda-events.ts';
import { makeTempDir } from '../test/stand-ins/temp-dir.ts';
import { ALLOWED_USER, SECRETS } from '../test/stand-ins/lambda-env.ts';
import type { BenchStack } from './bench-stack.ts';
import { median, percentile } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

const WARM_ACKS = 300;
const CHATS = 10;
const COLD_RUNS = 8;
const WARM_P99_TARGET_MS = 100;
const COLD_TARGET_MS = 500;

function update(updateId: number, chatId: number): Update {
  return {
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Ada' }, from: { id: ALLOWED_USER, is_bot: false, first_name: 'Ada' }, text: `message ${updateId}` },
  } as Update;
}

/**
 * The webhook's answer in queue mode: secret, allowlist, dedup claim (DynamoDB) and SendMessage (SQS FIFO), then
 * 200. No model runs, so the ack does not depend on how long the turn will take. Warm: one container answering a
 * stream of updates; cold: a fresh process importing the bundle and answering its first update.
 */
export async function measureAck(stack: BenchStack): Promise<BenchRow[]> {
  const queueEnv = { HERMES_TURN_QUEUE_URL: stack.emulators.sqs.queueUrl, AWS_ENDPOINT_URL_SQS: stack.emulators.sqs.endpoint };
  Object.assign(process.env, queueEnv);
  resetLambdaApp();
  const before = (await stack.emulators.counts()).queued;
  const warm: number[] = [];
  try {
    for (let index = 0; index < WARM_ACKS; index += 1) {
      const { statusCode, ms: took } = await stack.post(update(700_000 + index, 1_000 + (index % CHATS)));
      if (statusCode !== 200) throw new Error(`ack answered ${statusCode}`);
      warm.push(took);
    }
  } finally {
    for (const name of Object.keys(queueEnv)) delete process.env[name];
    resetLambdaApp();
  }
  const queued = (await stack.emulators.counts()).queued - before;
  if (queued !== WARM_ACKS) throw new Error(`expected ${WARM_ACKS} queued updates, found ${queued}`);

  const cold = await coldAcks(stack, queueEnv);
  const warmP99 = percentile(warm.slice(10), 0.99);
  const coldInner = median(cold.map((sample) => sample.innerMs));
  return [
    {
      metric: `warm ack (queue mode), ${WARM_ACKS} updates in ${CHATS} chats`,
      value: `p50 ${ms(median(warm.slice(10)))}, p99 ${ms(warmP99)}; every update queued, no model call`,
      target: `p99 < ${WARM_P99_TARGET_MS} ms`,
      pass: warmP99 < WARM_P99_TARGET_MS,
      data: { samples: warm, queued },
    },
    {
      metric: `cold ack in a fresh process, median of ${COLD_RUNS}`,
      value: `${ms(coldInner)} inside (import + claim + SendMessage), ${ms(median(cold.map((sample) => sample.processMs)))} whole process`,
      target: `< ${COLD_TARGET_MS} ms inside`,
      pass: coldInner < COLD_TARGET_MS,
      data: { samples: cold },
    },
  ];
}

async function coldAcks(stack: BenchStack, queueEnv: Record<string, string>): Promise<ProcessSample[]> {
  const dir = await makeTempDir('hermes-ack-');
  try {
    const outdir = join(dir.path, 'bundle');
    await build(handlerBuildOptions(outdir));
    const env = {
      ...deployedEnvWithoutServices(dir.path),
      ...queueEnv,
      AWS_ENDPOINT_URL_DYNAMODB: stack.emulators.dynamo.endpoint,
      HERMES_SESSION_TABLE: stack.table,
    };
    const samples: ProcessSample[] = [];
    for (let run = 0; run < COLD_RUNS + 1; run += 1) {
      const event = functionUrlEvent({ body: JSON.stringify(update(900_000 + run, 2_000)), secret: SECRETS.webhookSecret });
      const sample = runFreshProcess(requestScript(join(outdir, ENTRY_FILE), event, 200), env);
      if (run > 0) samples.push(sample);
    }
    return samples;
  } finally {
    await dir.remove();
  }
}
