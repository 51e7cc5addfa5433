import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsTurnQueue } from '../../../agent/aws/sqs-turn-queue.ts';
import { turnQueueContract } from '../../contracts/turn-queue.contract.ts';
import { FakeSqs } from '../../stand-ins/sqs-server.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function clientFor(endpoint: string): SQSClient {
  return new SQSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
}

turnQueueContract('SQS FIFO (local fake)', async () => {
  let clock = 1_000_000;
  const sqs = await new FakeSqs(() => clock).start();
  const url = sqs.createFifoQueue('hermes-turns.fifo');
  return {
    subject: {
      queue: new SqsTurnQueue(clientFor(sqs.endpoint), url),
      drain: async () => {
        const out = [];
        for (let batch = sqs.receiveBatch(url); batch.length > 0; batch = sqs.receiveBatch(url)) {
          out.push(...batch.map((record) => ({ groupId: record.attributes.MessageGroupId!, body: record.body })));
          sqs.settle(url, batch, []);
        }
        return out;
      },
      advance: (ms) => {
        clock += ms;
      },
    },
    teardown: () => sqs.close(),
  };
});

describe('the SQS turn queue on the wire', () => {
  let sqs: FakeSqs;
  let url: string;
  beforeAll(async () => {
    sqs = await new FakeSqs().start();
    url = sqs.createFifoQueue('wire.fifo');
  });
  afterAll(() => sqs.close());

  it('sends SendMessage in the AWS JSON 1.0 protocol with the group and deduplication ids', async () => {
    await new SqsTurnQueue(clientFor(sqs.endpoint), url).enqueue({ groupId: 'tg:42', deduplicationId: 'tg:update:7', body: '{"update_id":7}' });
    expect(sqs.requests.at(-1)).toEqual({
      target: 'AmazonSQS.SendMessage',
      body: { QueueUrl: url, MessageBody: '{"update_id":7}', MessageGroupId: 'tg:42', MessageDeduplicationId: 'tg:update:7' },
    });
  });

  it('surfaces SQS errors by their code: an unknown queue, a throttled send', async () => {
    const queue = new SqsTurnQueue(clientFor(sqs.endpoint), `${sqs.endpoint}/123456789012/missing.fifo`);
    await expect(queue.enqueue({ groupId: 'g', deduplicationId: 'd', body: 'x' })).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    sqs.throttleNextSends = 1;
    await expect(new SqsTurnQueue(clientFor(sqs.endpoint), url).enqueue({ groupId: 'g', deduplicationId: 'd2', body: 'x' })).rejects.toMatchObject({
      name: 'RequestThrottled',
    });
  });
});
