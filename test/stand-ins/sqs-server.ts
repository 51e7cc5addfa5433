import { createHash, randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { jsonReply, startLocalHttpServer, type LocalHttpServer, type LocalReply } from './local-http-server.ts';

/**
 * A local Amazon SQS for the FIFO queue in front of the worker, speaking the AWS JSON 1.0 protocol the SDK uses
 * (POST /, `X-Amz-Target: AmazonSQS.<Operation>`, `Content-Type: application/x-amz-json-1.0`). It enforces the
 * documented SendMessage rules for FIFO queues and answers errors in SQS's JSON shape: `__type`
 * `com.amazonaws.sqs#<Code>`, the query-compatible code in `x-amzn-query-error`.
 * Sources (checked 2026-12-01): SQS Developer Guide "Interpreting Amazon SQS JSON API responses", API Reference
 * "SendMessage" (MessageGroupId required on FIFO, per-message DelaySeconds refused, ids of 1-128 alphanumeric and
 * punctuation characters, 5-minute deduplication interval) and "Using the Lambda event source mapping with FIFO":
 * the event source mapping delivers a group's messages in order, one batch of a group in flight at a time, and a
 * message received more than maxReceiveCount times moves to the dead-letter queue.
 */

const ID_PATTERN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
/** SQS accepts only these XML characters in a body. */
const BODY_CHARACTERS = /^[\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const MAX_BODY_BYTES = 1_048_576;
const DEDUPLICATION_MS = 5 * 60_000;
const ACCOUNT = '123456789012';

export interface FakeMessage {
  messageId: string;
  body: string;
  groupId: string;
  deduplicationId: string;
  sequenceNumber: string;
  sentAt: number;
  receiveCount: number;
  inFlight: boolean;
}

interface FakeQueue {
  name: string;
  messages: FakeMessage[];
  deadLetters: FakeMessage[];
  dedup: Map<string, { at: number; messageId: string; sequenceNumber: string }>;
  maxReceiveCount: number;
  contentBasedDeduplication: boolean;
}

export class SqsFault extends Error {
  readonly status: number;
  readonly code: string;
  readonly queryCode: string;

  constructor({ status, code, queryCode, message }: { status: number; code: string; queryCode: string; message: string }) {
    super(message);
    this.status = status;
    this.code = code;
    this.queryCode = queryCode;
  }
}

const missing = (name: string) => new SqsFault({ status: 400, code: 'MissingParameter', queryCode: 'MissingParameter', message: `The request must contain the parameter ${name}.` });
const invalid = (message: string) => new SqsFault({ status: 400, code: 'InvalidParameterValue', queryCode: 'InvalidParameterValue', message });

export class FakeSqs {
  readonly requests: Array<{ target: string; body: Record<string, unknown> }> = [];
  private readonly queues = new Map<string, FakeQueue>();
  private server: LocalHttpServer | undefined;
  private sequence = 0;
  /** Fails the next sends with a throttling error, as SQS does past its API limits. */
  throttleNextSends = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  get endpoint(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startLocalHttpServer((request) => this.handle(request.headers, request.body));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /**
   * Creates a FIFO queue and returns its URL; `maxReceiveCount` is the redrive policy to its dead-letter queue.
   * The stack's queue has content-based deduplication, which EventBridge Scheduler requires of a FIFO target.
   */
  createFifoQueue(name: string, options: { maxReceiveCount?: number; contentBasedDeduplication?: boolean } = {}): string {
    if (!name.endsWith('.fifo')) throw new Error('a FIFO queue name ends in .fifo');
    const url = `${this.endpoint}/${ACCOUNT}/${name}`;
    this.queues.set(url, {
      name,
      messages: [],
      deadLetters: [],
      dedup: new Map(),
      maxReceiveCount: options.maxReceiveCount ?? 3,
      contentBasedDeduplication: options.contentBasedDeduplication ?? false,
    });
    return url;
  }

  messages(url: string): FakeMessage[] {
    return [...this.queue(url).messages];
  }

  deadLetters(url: string): FakeMessage[] {
    return [...this.queue(url).deadLetters];
  }

  /**
   * What Lambda's event source mapping does for a FIFO queue: up to `max` visible messages in order, never a
   * message whose group has one in flight or before it, as Lambda SQS records.
   */
  receiveBatch(url: string, max = 10): SQSRecord[] {
    const queue = this.queue(url);
    const blocked = new Set<string>();
    const batch: FakeMessage[] = [];
    for (const message of queue.messages) {
      if (batch.length >= max) break;
      if (message.inFlight) {
        blocked.add(message.groupId);
        continue;
      }
      if (blocked.has(message.groupId)) continue;
      batch.push(message);
    }
    for (const message of batch) {
      message.inFlight = true;
      message.receiveCount += 1;
    }
    return batch.map((message) => this.record(queue, message));
  }

  /**
   * Ends a batch as the event source mapping would: every record not named in `failedIds` is deleted; failed ones
   * become visible again, or move to the dead-letter queue once received maxReceiveCount times. `'all'` is an
   * invocation that errored or timed out.
   */
  settle(url: string, records: SQSRecord[], failedIds: string[] | 'all'): void {
    const queue = this.queue(url);
    for (const record of records) {
      const index = queue.messages.findIndex((message) => message.messageId === record.messageId);
      if (index < 0) continue;
      const message = queue.messages[index]!;
      const failed = failedIds === 'all' || failedIds.includes(record.messageId);
      message.inFlight = false;
      if (!failed) queue.messages.splice(index, 1);
      else if (message.receiveCount >= queue.maxReceiveCount) queue.deadLetters.push(...queue.messages.splice(index, 1));
    }
  }

  private queue(url: string): FakeQueue {
    const queue = this.queues.get(url);
    if (!queue) throw new Error(`no queue ${url}`);
    return queue;
  }

  private record(queue: FakeQueue, message: FakeMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: Buffer.from(`${message.messageId}:${message.receiveCount}`).toString('base64'),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: String(this.now()),
        SequenceNumber: message.sequenceNumber,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      },
      messageAttributes: {},
      md5OfBody: md5(message.body),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:${ACCOUNT}:${queue.name}`,
      awsRegion: 'us-east-1',
    };
  }

  private handle(headers: Record<string, string | string[] | undefined>, raw: string): LocalReply {
    const target = String(headers['x-amz-target'] ?? '');
    try {
      if (!String(headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        throw new SqsFault({ status: 403, code: 'MissingAuthenticationToken', queryCode: 'MissingAuthenticationToken', message: 'Missing Authentication Token' });
      }
      if (headers['content-type'] !== 'application/x-amz-json-1.0') {
        throw new SqsFault({ status: 400, code: 'InvalidParameterValue', queryCode: 'InvalidParameterValue', message: 'Content-Type must be application/x-amz-json-1.0' });
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      this.requests.push({ target, body });
      if (target === 'AmazonSQS.SendMessage') return jsonReply(200, this.sendMessage(body));
      throw new SqsFault({ status: 400, code: 'InvalidAction', queryCode: 'InvalidAction', message: `The action ${target.replace('AmazonSQS.', '')} is not valid for this endpoint.` });
    } catch (error) {
      if (!(error instanceof SqsFault)) throw error;
      return jsonReply(
        error.status,
        { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
        { 'x-amzn-query-error': `${error.queryCode};Sender`, 'x-amzn-requestid': randomUUID(), 'content-type': 'application/x-amz-json-1.0' },
      );
    }
  }

  private sendMessage(body: Record<string, unknown>): Record<string, string> {
    if (typeof body.QueueUrl !== 'string') throw missing('QueueUrl');
    const queue = this.queues.get(body.QueueUrl);
    if (!queue) throw new SqsFault({ status: 400, code: 'QueueDoesNotExist', queryCode: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.' });
    if (this.throttleNextSends > 0) {
      this.throttleNextSends -= 1;
      throw new SqsFault({ status: 400, code: 'RequestThrottled', queryCode: 'RequestThrottled', message: 'Request is throttled.' });
    }
    if (typeof body.MessageBody !== 'string' || body.MessageBody === '') throw missing('MessageBody');
    if (Buffer.byteLength(body.MessageBody) > MAX_BODY_BYTES) throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    if (!BODY_CHARACTERS.test(body.MessageBody)) throw new SqsFault({ status: 400, code: 'InvalidMessageContents', queryCode: 'InvalidMessageContents', message: 'Invalid characters found.' });
    if (body.DelaySeconds !== undefined) throw invalid('Value for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
    if (typeof body.MessageGroupId !== 'string') throw missing('MessageGroupId');
    if (!ID_PATTERN.test(body.MessageGroupId)) throw invalid('Value for parameter MessageGroupId is invalid. Reason: Invalid characters found.');
    if (body.MessageDeduplicationId === undefined && !queue.contentBasedDeduplication) {
      throw invalid('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    // With content-based deduplication the id is the SHA-256 of the body; an explicit id takes precedence.
    const deduplicationId = body.MessageDeduplicationId ?? createHash('sha256').update(body.MessageBody, 'utf8').digest('hex');
    if (typeof deduplicationId !== 'string' || !ID_PATTERN.test(deduplicationId)) {
      throw invalid('Value for parameter MessageDeduplicationId is invalid. Reason: Invalid characters found.');
    }

    const now = this.now();
    const previous = queue.dedup.get(deduplicationId);
    // A duplicate within the interval is accepted and not delivered again.
    if (previous && previous.at + DEDUPLICATION_MS > now) {
      return { MessageId: previous.messageId, MD5OfMessageBody: md5(body.MessageBody), SequenceNumber: previous.sequenceNumber };
    }
    this.sequence += 1;
    const message: FakeMessage = {
      messageId: randomUUID(),
      body: body.MessageBody,
      groupId: body.MessageGroupId,
      deduplicationId,
      sequenceNumber: String(this.sequence).padStart(20, '1'),
      sentAt: now,
      receiveCount: 0,
      inFlight: false,
    };
    queue.messages.push(message);
    queue.dedup.set(message.deduplicationId, { at: now, messageId: message.messageId, sequenceNumber: message.sequenceNumber });
    return { MessageId: message.messageId, MD5OfMessageBody: md5(message.body), SequenceNumber: message.sequenceNumber };
  }
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
