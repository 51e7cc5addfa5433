import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuedEvent, TurnQueue } from '../ports/turn-queue.ts';

/**
 * The SQS FIFO queue in front of the worker. The group id keeps a chat's turns in order (SQS hands out a group's
 * next message only after the one in flight is deleted), and the deduplication id drops a second send of the same
 * event within SQS's five-minute window, e.g. the webhook retried after its answer was lost.
 */
export class SqsTurnQueue implements TurnQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(event: QueuedEvent): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: event.body,
        MessageGroupId: event.groupId,
        MessageDeduplicationId: event.deduplicationId,
      }),
    );
  }
}
