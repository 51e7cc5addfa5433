import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION_DAYS } from '../agent/queued-fire.ts';

/** Attempts of one update before it goes to the dead-letter queue; the worker tells the chat on the last one. */
export const MAX_RECEIVES = 3;

export interface TurnQueueProps {
  /** The function's timeout: a message stays invisible at least that long while a turn runs. */
  workerTimeout: Duration;
}

/**
 * The SQS FIFO queue between the webhook and the worker. Message group = session key, so a conversation's turns
 * run one at a time in order; deduplication id = update id. Content-based deduplication is on because EventBridge
 * Scheduler requires it of a FIFO target (its fires carry no deduplication id; the scheduled time in the body
 * tells fires apart). After MAX_RECEIVES attempts a message moves to the dead-letter queue, kept DEAD_LETTER_RETENTION_DAYS.
 */
export class TurnQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: TurnQueueProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
    });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Lambda refuses a mapping whose queue hides a message for less than the function may run. A failed turn is
      // retried once this has passed, so it is kept just above the timeout rather than AWS's suggested sixfold.
      visibilityTimeout: props.workerTimeout.plus(Duration.seconds(30)),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVES },
    });
  }

  /**
   * One record per invocation: a turn may take the whole timeout, and a batch would make the turns behind it
   * share that limit and count a failure of the first as attempts of the rest.
   */
  feed(fn: IFunction, { maxConcurrency }: { maxConcurrency?: number } = {}): void {
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, ...(maxConcurrency !== undefined ? { maxConcurrency } : {}) }));
  }
}
