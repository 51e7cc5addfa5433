import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDedupStore } from '../../agent/aws/dynamodb-dedup-store.ts';
import { EventBridgeScheduler } from '../../agent/aws/eventbridge-scheduler.ts';
import { ClaimLocks } from '../../tools/claim-locks.ts';
import { LockedScheduler } from '../../tools/locked-scheduler.ts';
import type { Claims } from '../../tools/ports/locks.ts';
import type { Scheduler } from '../../tools/ports/scheduler.ts';
import { sampleJobs } from '../contracts/scheduler.contract.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { FakeScheduler } from '../stand-ins/scheduler-server.ts';

const GROUP = 'hermes';

let dynamo: DynaliteHarness;
let fake: FakeScheduler;
beforeAll(async () => {
  [dynamo, fake] = await Promise.all([startDynalite(), new FakeScheduler({ groups: [GROUP] })]);
  await fake.start();
});
afterAll(() => Promise.all([dynamo.close(), fake.close()]));

/** Holds the answer to this client's next GetSchedule until `release`, as a slow network would. */
function holdNextRead(client: SchedulerClient) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answered!: () => void;
  const readAnswered = new Promise<void>((resolve) => (answered = resolve));
  let held = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'GetScheduleCommand' && !held) {
        held = true;
        answered();
        await released;
      }
      return result;
    },
    { step: 'initialize' },
  );
  return { readAnswered, release };
}

/** A claim that found its key taken: the change is waiting for another to finish. */
function noticingWaits(claims: Claims) {
  let waited!: () => void;
  const waiting = new Promise<'waiting'>((resolve) => (waited = () => resolve('waiting')));
  const noticing: Claims = {
    claim: async (id, ttlSeconds, holder) => {
      const taken = !(await claims.claim(id, ttlSeconds, holder));
      if (taken) waited();
      return !taken;
    },
    release: (id, holder) => claims.release(id, holder),
  };
  return { claims: noticing, waiting };
}

/** Two instances (the worker running a fire, another running a member's turn): a client each, one table, one group. */
async function twoInstances() {
  const table = await dynamo.createTable();
  const timing = { leaseSeconds: 30, waitMs: 10_000, pollMs: 20 };
  const instance = (claims: Claims) => {
    const client = new SchedulerClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' }, maxAttempts: 1 });
    const inner = new EventBridgeScheduler({ client, group: GROUP, roleArn: 'arn:aws:iam::123456789012:role/hermes-scheduler', targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:hermes', timezone: 'UTC' });
    return { client, scheduler: new LockedScheduler(inner, new ClaimLocks(claims, timing)) as Scheduler };
  };
  const member = noticingWaits(new DynamoDbDedupStore(dynamo.doc, table));
  return { fire: instance(new DynamoDbDedupStore(dynamo.doc, table)), member: { ...instance(member.claims), waiting: member.waiting } };
}

/**
 * The fire reads the job to count its run; the member's change lands while that read is on its way back. The member
 * either finishes (nothing kept them apart) or waits for the fire; then the fire's answer arrives.
 */
async function changeDuringARun(change: (scheduler: Scheduler, id: string) => Promise<unknown>) {
  const { fire, member } = await twoInstances();
  const job = await fire.scheduler.create({ ...sampleJobs.daily, delivery: { chatId: -100_777, userId: '501' } });
  const slowRead = holdNextRead(fire.client);
  const counting = fire.scheduler.recordRun(job.id, '2026-12-02T09:00:00.000Z');
  await slowRead.readAnswered;
  const changing = change(member.scheduler, job.id);
  await Promise.race([changing, member.waiting]);
  slowRead.release();
  await Promise.all([counting, changing]);
  return (await fire.scheduler.get(job.id))!;
}

describe('a job changed while a fire counts its run', () => {
  it('stays paused when a member pauses it then', async () => {
    const job = await changeDuringARun((scheduler, id) => scheduler.pause(id));
    expect(job).toMatchObject({ state: 'paused', completedRuns: 1 });
  });

  it("keeps a member's new prompt made then", async () => {
    const job = await changeDuringARun((scheduler, id) => scheduler.update(id, { prompt: 'Ask about the day and the week' }));
    expect(job).toMatchObject({ prompt: 'Ask about the day and the week', completedRuns: 1, state: 'scheduled' });
  });
});
