import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '../../../agent/aws/eventbridge-scheduler.ts';
import { NotFoundError, ValidationError } from '../../../tools/errors.ts';
import type { JobFire } from '../../../tools/ports/scheduler.ts';
import { sampleJobs, schedulerContract } from '../../contracts/scheduler.contract.ts';
import { FakeScheduler, type FakeSchedulerOptions } from '../../stand-ins/scheduler-server.ts';

const GROUP = 'hermes';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/hermes-scheduler';
const TARGET_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:hermes';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:hermes-turns.fifo';
const TIMEZONE = 'Europe/Lisbon';

function clientFor(fake: FakeScheduler): SchedulerClient {
  return new SchedulerClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
    maxAttempts: 1,
  });
}

async function startFake(options: FakeSchedulerOptions = {}): Promise<FakeScheduler> {
  const fake = new FakeScheduler({ groups: [GROUP], ...options });
  await fake.start();
  return fake;
}

function schedulerOn(fake: FakeScheduler, now?: () => Date): EventBridgeScheduler {
  return new EventBridgeScheduler({
    client: clientFor(fake),
    group: GROUP,
    roleArn: ROLE_ARN,
    targetArn: TARGET_ARN,
    timezone: TIMEZONE,
    ...(now ? { now } : {}),
  });
}

schedulerContract('EventBridge Scheduler (fake endpoint)', async () => {
  // A page limit of 1 makes every listing paginate.
  const fake = await startFake({ pageLimit: 1 });
  return { subject: schedulerOn(fake), teardown: () => fake.close() };
});

describe('EventBridgeScheduler requests', () => {
  let fake: FakeScheduler;
  let scheduler: EventBridgeScheduler;
  const now = new Date('2026-01-05T10:00:30.000Z');

  beforeEach(async () => {
    fake = await startFake();
    scheduler = schedulerOn(fake, () => now);
  });
  afterEach(() => fake.close());

  function createBody(name: string): Record<string, unknown> {
    const request = fake.requestsOf('CreateSchedule').find((candidate) => candidate.path === `/schedules/${name}`);
    expect(request, `CreateSchedule for ${name}`).toBeDefined();
    return request!.body as Record<string, unknown>;
  }

  function fireOf(body: Record<string, unknown>): JobFire {
    return JSON.parse((body.Target as { Input: string }).Input) as JobFire;
  }

  it('targets the turn queue with the chat (and topic) as message group, so a fire runs in order with the chat', async () => {
    const queued = new EventBridgeScheduler({ client: clientFor(fake), group: GROUP, roleArn: ROLE_ARN, targetArn: QUEUE_ARN, timezone: TIMEZONE, now: () => now });
    const job = await queued.create({ ...sampleJobs.daily, delivery: { chatId: -100123, threadId: 7, userId: '77' } });
    const body = createBody(job.id);
    expect(body.Target).toMatchObject({ Arn: QUEUE_ARN, RoleArn: ROLE_ARN, SqsParameters: { MessageGroupId: 'tg:-100123:7' } });
    expect(fireOf(body).job.id).toBe(job.id);
    expect((await queued.list(-100123)).map((listed) => listed.id)).toEqual([job.id]);
  });

  it('creates a cron job as a cron() schedule in the configured zone carrying the whole job', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    const body = createBody(job.id);
    expect(body).toMatchObject({
      ScheduleExpression: 'cron(0 9 ? * 2-6 *)',
      ScheduleExpressionTimezone: TIMEZONE,
      GroupName: GROUP,
      State: 'ENABLED',
      Description: 'standup',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 } },
    });
    expect(typeof body.ClientToken).toBe('string');
    const input = (body.Target as { Input: string }).Input;
    expect(input).toContain('"scheduledTime":"<aws.scheduler.scheduled-time>"');
    expect(fireOf(body)).toEqual({
      source: 'hermes.cron',
      job: { ...sampleJobs.daily, id: job.id, completedRuns: 0, state: 'scheduled', createdAt: now.toISOString() },
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('creates an interval job as rate() and a one-time job as at() in UTC that deletes itself', async () => {
    const every = await scheduler.create(sampleJobs.every);
    expect(createBody(every.id)).toMatchObject({
      ScheduleExpression: 'rate(30 minutes)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'NONE',
    });
    const once = await scheduler.create(sampleJobs.once);
    expect(createBody(once.id)).toMatchObject({
      ScheduleExpression: 'at(2099-01-01T10:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
    });
    expect(fireOf(createBody(once.id)).job).toMatchObject({ repeat: 1, schedule: sampleJobs.once.schedule });
  });

  it('starts a rate schedule at the first run it reports, so EventBridge does not fire it at creation', async () => {
    const job = await scheduler.create(sampleJobs.every);
    expect(job.nextRunAt).toBe('2026-01-05T10:30:30.000Z');
    expect(createBody(job.id)).toMatchObject({ ScheduleExpression: 'rate(30 minutes)', StartDate: Date.parse('2026-01-05T10:30:30.000Z') / 1000 });
    expect(fake.firstInvocation(job.id, GROUP)?.toISOString()).toBe(job.nextRunAt);
  });

  it('keeps the rate schedule on its grid, starting in the future, whenever it is saved again', async () => {
    let clock = now;
    scheduler = schedulerOn(fake, () => clock);
    const job = await scheduler.create(sampleJobs.every);
    clock = new Date('2026-01-05T11:10:00.000Z');
    const paused = await scheduler.pause(job.id);
    expect(fake.schedule(job.id, GROUP)!.StartDate).toBe(Date.parse('2026-01-05T11:30:30.000Z') / 1000);
    const resumed = await scheduler.resume(paused.id);
    expect(resumed.nextRunAt).toBe('2026-01-05T11:30:30.000Z');
    expect(fake.firstInvocation(job.id, GROUP)?.toISOString()).toBe(resumed.nextRunAt);
    clock = new Date('2026-01-05T11:30:31.000Z');
    await scheduler.recordRun(job.id, clock.toISOString());
    expect(fake.schedule(job.id, GROUP)!.StartDate).toBe(Date.parse('2026-01-05T12:00:30.000Z') / 1000);
    const cron = await scheduler.create(sampleJobs.daily);
    expect(createBody(cron.id)).not.toHaveProperty('StartDate');
  });

  it('skips a cron run that falls into the spring-forward gap, as EventBridge Scheduler does', async () => {
    // Lisbon moves from 01:00 WET to 02:00 WEST on 2026-03-29, so 01:30 does not exist that day.
    scheduler = schedulerOn(fake, () => new Date('2026-03-28T12:00:00.000Z'));
    const job = await scheduler.create({ ...sampleJobs.daily, schedule: { kind: 'cron', expression: '30 1 * * *', display: 'cron 30 1 * * *' } });
    expect(createBody(job.id)).toMatchObject({ ScheduleExpression: 'cron(30 1 * * ? *)', ScheduleExpressionTimezone: TIMEZONE });
    expect(job.nextRunAt).toBe('2026-03-30T00:30:00.000Z');
  });

  it('computes nextRunAt for scheduled jobs and drops it while paused', async () => {
    const every = await scheduler.create(sampleJobs.every);
    expect(every.nextRunAt).toBe('2026-01-05T10:30:30.000Z');
    const daily = await scheduler.create(sampleJobs.daily);
    // 09:00 in Lisbon is 09:00 UTC in winter; 10:00:30 on Monday is past it, so Tuesday.
    expect(daily.nextRunAt).toBe('2026-01-06T09:00:00.000Z');
    const paused = await scheduler.pause(daily.id);
    expect(paused.nextRunAt).toBeUndefined();
    expect((await scheduler.get(daily.id))?.nextRunAt).toBeUndefined();
    expect(fireOf(createBody(every.id)).job).not.toHaveProperty('nextRunAt');
  });

  it('pauses by disabling the stored schedule and resends the full definition', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.pause(job.id);
    const stored = fake.schedule(job.id, GROUP)!;
    expect(stored.State).toBe('DISABLED');
    expect(stored).toMatchObject({ ScheduleExpression: 'cron(0 9 ? * 2-6 *)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { RoleArn: ROLE_ARN } });
    const update = fake.requestsOf('UpdateSchedule').at(-1)!;
    expect(update.method).toBe('PUT');
    expect(update.body).toMatchObject({
      State: 'DISABLED',
      ScheduleExpressionTimezone: TIMEZONE,
      Target: { Arn: TARGET_ARN, RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
    await scheduler.resume(job.id);
    expect(fake.schedule(job.id, GROUP)!.State).toBe('ENABLED');
  });

  it('updates the schedule kind, switching delete-after-completion with it', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.update(job.id, { schedule: sampleJobs.once.schedule });
    expect(fake.schedule(job.id, GROUP)).toMatchObject({ ScheduleExpression: 'at(2099-01-01T10:00:00)', ActionAfterCompletion: 'DELETE' });
    await scheduler.update(job.id, { name: 'x'.repeat(600) });
    expect(fake.schedule(job.id, GROUP)!.Description).toHaveLength(512);
  });

  it('runs now through a one-time helper schedule one minute ahead that list() does not show', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.runNow(job.id);
    const helper = fake.names(GROUP).find((name) => name !== job.id)!;
    expect(helper).toBe(`${job.id}.r${now.getTime().toString(36)}`);
    expect(helper.length).toBeLessThanOrEqual(64);
    expect(createBody(helper)).toMatchObject({
      ScheduleExpression: 'at(2026-01-05T10:01:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN },
    });
    expect(fireOf(createBody(helper))).toMatchObject({
      job: { id: job.id, prompt: sampleJobs.daily.prompt },
      scheduledTime: '<aws.scheduler.scheduled-time>',
      // Its time is a real one, like a scheduled fire's: only this says the run was asked for by hand.
      manual: true,
    });
    expect(fireOf(createBody(job.id))).not.toHaveProperty('manual');
    expect((await scheduler.list(42)).map((listed) => listed.id)).toEqual([job.id]);
  });

  it("carries a manual run's added context in its helper's fire, not in the job", async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.runNow(job.id, { note: 'Ask about the dentist too.' });
    const helper = fake.names(GROUP).find((name) => name !== job.id)!;
    expect(fireOf(createBody(helper))).toMatchObject({ manual: true, note: 'Ask about the dentist too.', job: { prompt: sampleJobs.daily.prompt } });
    expect(fireOf(createBody(job.id))).not.toHaveProperty('note');
  });

  it('creates one run-now helper for a keyed request however often it is repeated', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.runNow(job.id, { idempotencyKey: 'tg:42:turn-1:cronjob-run:0' });
    await scheduler.runNow(job.id, { idempotencyKey: 'tg:42:turn-1:cronjob-run:0' });
    await scheduler.runNow(job.id, { idempotencyKey: 'tg:42:turn-1:cronjob-run:1' });
    expect(fake.names(GROUP).filter((name) => name !== job.id)).toHaveLength(2);
    for (const name of fake.names(GROUP)) expect(name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });

  it('deletes pending run-now helpers with the job', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.runNow(job.id);
    await scheduler.remove(job.id);
    expect(fake.names(GROUP)).toEqual([]);
  });

  it('keeps a one-time job that was run early and retires it after its own slot', async () => {
    const job = await scheduler.create({ ...sampleJobs.once, repeat: undefined });
    await scheduler.recordRun(job.id, now.toISOString());
    expect(await scheduler.get(job.id)).toMatchObject({ completedRuns: 1, lastRunAt: now.toISOString() });
    await scheduler.recordRun(job.id, '2099-01-01T10:00:41.000Z');
    expect(fake.schedule(job.id, GROUP)).toBeUndefined();
  });

  it('ignores a run of a schedule EventBridge already deleted', async () => {
    await expect(scheduler.recordRun('hermes-p42-000000000000', now.toISOString())).resolves.toBeUndefined();
  });

  it('lists a chat with all its topics, and a topic alone', async () => {
    const plain = await scheduler.create(sampleJobs.daily);
    const topic = await scheduler.create({ ...sampleJobs.daily, delivery: { chatId: 42, threadId: 7, userId: '7' } });
    await scheduler.create({ ...sampleJobs.daily, delivery: { chatId: 420, userId: '7' } });
    const group = await scheduler.create({ ...sampleJobs.daily, delivery: { chatId: -100123, threadId: 3, userId: '7' } });
    expect((await scheduler.list(42)).map((job) => job.id).sort()).toEqual([plain.id, topic.id].sort());
    expect((await scheduler.list(42, 7)).map((job) => job.id)).toEqual([topic.id]);
    expect((await scheduler.list(-100123)).map((job) => job.id)).toEqual([group.id]);
    const prefixes = fake.requestsOf('ListSchedules').map((request) => request.query);
    expect(prefixes).toContainEqual(expect.objectContaining({ ScheduleGroup: GROUP, NamePrefix: 'hermes-p42-' }));
    expect(prefixes).toContainEqual(expect.objectContaining({ ScheduleGroup: GROUP, NamePrefix: 'hermes-p42.t' }));
  });

  it('reads and deletes with the group in the query', async () => {
    const job = await scheduler.create(sampleJobs.daily);
    await scheduler.get(job.id);
    await scheduler.remove(job.id);
    expect(fake.requestsOf('GetSchedule').at(-1)!.query).toEqual({ groupName: GROUP });
    expect(fake.requestsOf('DeleteSchedule').at(-1)!.query).toMatchObject({ groupName: GROUP, clientToken: expect.any(String) });
  });

  it('surfaces a cron it cannot express as a ValidationError without calling AWS', async () => {
    const both = { ...sampleJobs.daily, schedule: { kind: 'cron' as const, expression: '0 9 1 * 1', display: 'cron 0 9 1 * 1' } };
    await expect(scheduler.create(both)).rejects.toThrow(ValidationError);
    expect(fake.requestsOf('CreateSchedule')).toEqual([]);
  });

  it('treats ids EventBridge could never hold as unknown jobs', async () => {
    expect(await scheduler.get('../etc/passwd')).toBeUndefined();
    await expect(scheduler.pause('no spaces allowed')).rejects.toThrow(NotFoundError);
    await expect(scheduler.remove('x'.repeat(65))).rejects.toThrow(NotFoundError);
    expect(fake.requests).toEqual([]);
  });
});

describe('the fake rejects what EventBridge Scheduler rejects', () => {
  let fake: FakeScheduler;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(() => fake.close());

  it.each([
    ['a five-field cron', { ScheduleExpression: 'cron(0 9 * * 1)' }],
    ['a list of # weekdays', { ScheduleExpression: 'cron(0 9 ? * 2#1,4#3 *)' }],
    ['a nearest weekday past the 31st', { ScheduleExpression: 'cron(0 9 32W * ? *)' }],
    ['both day fields set', { ScheduleExpression: 'cron(0 9 1 * 2 *)' }],
    ['neither day field ?', { ScheduleExpression: 'cron(0 9 * * * *)' }],
    ['a plural unit for 1', { ScheduleExpression: 'rate(1 minutes)' }],
    ['a missing flexible window', { FlexibleTimeWindow: undefined }],
    ['a missing role', { Target: { Arn: TARGET_ARN } }],
    ['an unknown zone', { ScheduleExpressionTimezone: 'Mars/Olympus' }],
    ['non-JSON Lambda input', { Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN, Input: 'not json' } }],
    ['a FIFO queue target without a message group', { Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: '{}' } }],
    ['SQS parameters on a Lambda target', { Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN, SqsParameters: { MessageGroupId: 'tg:1' } } }],
  ])('%s', async (_label, override) => {
    const valid = {
      Name: 'probe',
      GroupName: GROUP,
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN },
    };
    await expect(clientFor(fake).send(new CreateScheduleCommand({ ...valid, ...override } as typeof valid))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers a duplicate name with ConflictException and a missing one with ResourceNotFoundException', async () => {
    const client = clientFor(fake);
    const input = {
      Name: 'probe',
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: TARGET_ARN, RoleArn: ROLE_ARN },
    };
    await client.send(new CreateScheduleCommand(input));
    await expect(client.send(new CreateScheduleCommand(input))).rejects.toMatchObject({
      name: 'ConflictException',
      message: 'Schedule probe already exists.',
    });
    await expect(client.send(new GetScheduleCommand({ Name: 'other' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
