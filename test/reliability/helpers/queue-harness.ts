import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handler } from '../../../handlers/lambda.ts';
import { FakeSqs } from '../../stand-ins/sqs-server.ts';
import { lambdaContext } from '../../stand-ins/lambda-events.ts';
import { startWebhookHarness, type WebhookHarness } from './webhook-harness.ts';

export interface QueueHarness extends WebhookHarness {
  sqs: FakeSqs;
  queueUrl: string;
  /** One invocation of the function by the event source mapping, settled as Lambda would settle it. */
  invokeWorker(budgetMs?: number): Promise<SQSBatchResponse | 'empty'>;
  /** Invokes the worker until the queue is empty (dead letters aside); returns the number of invocations. */
  drainWorker(budgetMs?: number): Promise<number>;
}

export const MAX_RECEIVES = 3;
/** The event source mapping's batch size in the stack (infra/turn-queue.ts). */
const WORKER_BATCH_SIZE = 1;
/** The worker's limit, deployed with `-c workerTimeoutSeconds=900` (Lambda's maximum): each invocation's context counts down from it. */
export const WORKER_BUDGET_MS = 900_000;

/** The webhook harness in queue mode: the function enqueues onto a local SQS FIFO, and the test plays the event source mapping. */
export async function startQueueHarness(): Promise<QueueHarness> {
  const [base, sqs] = await Promise.all([startWebhookHarness(), new FakeSqs().start()]);
  const queueUrl = sqs.createFifoQueue('hermes-turns.fifo', { maxReceiveCount: MAX_RECEIVES, contentBasedDeduplication: true });
  const queueEnv = {
    HERMES_TURN_QUEUE_URL: queueUrl,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    HERMES_WORKER_MAX_RECEIVES: String(MAX_RECEIVES),
    HERMES_WORKER_TIMEOUT_SECONDS: String(WORKER_BUDGET_MS / 1000),
  };
  base.redeploy(queueEnv);

  const invokeWorker = async (budgetMs = WORKER_BUDGET_MS): Promise<SQSBatchResponse | 'empty'> => {
    const records = sqs.receiveBatch(queueUrl, WORKER_BATCH_SIZE);
    if (records.length === 0) return 'empty';
    const event: SQSEvent = { Records: records };
    try {
      const response = (await handler(event, lambdaContext(budgetMs))) as SQSBatchResponse;
      sqs.settle(queueUrl, records, response.batchItemFailures.map((failure) => failure.itemIdentifier));
      return response;
    } catch (error) {
      sqs.settle(queueUrl, records, 'all');
      throw error;
    }
  };

  return {
    ...base,
    redeploy: (overrides = {}) => base.redeploy({ ...queueEnv, ...overrides }),
    sqs,
    queueUrl,
    invokeWorker,
    drainWorker: async (budgetMs) => {
      let invocations = 0;
      while ((await invokeWorker(budgetMs)) !== 'empty') {
        invocations += 1;
        if (invocations > 1_000) throw new Error('the queue never drained');
      }
      return invocations;
    },
    close: async () => {
      await base.close();
      await sqs.close();
    },
  };
}
