import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { answerDeadline, KILL_NOTICE_MARGIN_MS } from '../agent/deadlines.ts';

/**
 * Entry for the turn queue's event source mapping: one batch of SQS FIFO records, run one after another (a
 * group's records are in order). A failed record fails the rest of its group in the batch, and only those are
 * reported in `batchItemFailures`, so SQS retries them in order and deletes the others.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const [{ processPartialResponse, SqsFifoPartialProcessorAsync }, { lambdaApp }, { runQueuedEvent }] = await Promise.all([
    import('@aws-lambda-powertools/batch'),
    import('./lambda-app.ts'),
    import('./queued-event.ts'),
  ]);
  const app = await lambdaApp(context);
  await app.worker.init();
  const { workerTimeoutSeconds, maxReceives } = app.runtime.config.turnQueue;
  const deps = { runtime: app.runtime, worker: app.worker, maxReceives, arrivals: app.arrivals, stops: app.stops };
  const runRecord = async (record: SQSRecord) => {
    // Each record gets what is left of the invocation, so a long batch ends its last turn before Lambda does.
    const deadline = answerDeadline(context.getRemainingTimeInMillis(), workerTimeoutSeconds * 1000);
    app.deadline.at = deadline;
    const hardEnd = Date.now() + context.getRemainingTimeInMillis() - KILL_NOTICE_MARGIN_MS;
    const sentAt = Number(record.attributes.SentTimestamp) || undefined;
    await runQueuedEvent(deps, { body: record.body, attempt: Number(record.attributes.ApproximateReceiveCount || '1'), ...(sentAt ? { sentAt } : {}), deadline, hardEnd });
  };
  return processPartialResponse(event, runRecord, new SqsFifoPartialProcessorAsync(), {
    context,
    skipGroupOnError: true,
    throwOnFullBatchFailure: false,
  });
}
