import { join } from 'node:path';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '../../agent/aws/eventbridge-scheduler.ts';
import { FileMemoryStore } from '../../agent/local/file-memory-store.ts';
import { FileSkillStore } from '../../agent/local/file-skill-store.ts';
import { LocalScheduler } from '../../agent/local/local-scheduler.ts';
import type { JobFire } from '../../tools/ports/scheduler.ts';
import { cronjobTool } from '../../tools/cronjob.ts';
import { jobFireSchema } from '../../handlers/job-fire-schema.ts';
import { SkillLibrary } from '../../tools/skill-library.ts';
import { FakeScheduler } from '../stand-ins/scheduler-server.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { call, CHAT, type Outcome } from './harness.ts';

const BERLIN = 'Europe/Berlin';
const GROUP = 'hermes';

interface Backend {
  name: string;
  run: (args: Parameters<NonNullable<ReturnType<typeof cronjobTool>['execute']>>[0]) => Promise<Outcome>;
}

/**
 * The same cronjob calls against the in-process scheduler and against EventBridge Scheduler (the fake endpoint), with
 * one clock and one zone: a schedule must be accepted or refused alike, and report the same next run.
 */
describe('cronjob on both backends', () => {
  let clock: Date;
  let fake: FakeScheduler;
  let local: LocalScheduler;
  let backends: Backend[];
  let removeDir: () => Promise<void>;
  let skills: SkillLibrary;

  beforeEach(async () => {
    clock = new Date('2026-03-28T12:00:00.000Z');
    const now = () => clock;
    const dir = await makeTempDir('hermes-cron-backends-');
    removeDir = dir.remove;
    fake = new FakeScheduler({ groups: [GROUP] });
    await fake.start();
    local = new LocalScheduler(dir.path, BERLIN, now);
    const cloud = new EventBridgeScheduler({
      client: new SchedulerClient({
        endpoint: fake.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
        maxAttempts: 1,
      }),
      group: GROUP,
      roleArn: 'arn:aws:iam::123456789012:role/hermes-scheduler',
      targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:hermes',
      timezone: BERLIN,
      now,
    });
    skills = new SkillLibrary(new FileSkillStore(join(dir.path, 'skills')));
    const memory = new FileMemoryStore(join(dir.path, 'memories'));
    const ctx = { userId: CHAT.userId, delivery: CHAT, now, timezone: BERLIN };
    backends = [
      { name: 'local', tool: cronjobTool({ skills, memory, scheduler: local }, ctx) },
      { name: 'EventBridge', tool: cronjobTool({ skills, memory, scheduler: cloud }, ctx) },
    ].map(({ name, tool }) => ({ name, run: (args) => call(tool, args) }));
  });

  afterEach(async () => {
    await local.stop();
    await fake.close();
    await removeDir();
  });

  async function onBoth(schedule: string): Promise<Outcome[]> {
    return Promise.all(backends.map((backend) => backend.run({ action: 'create', prompt: 'Check the garden', schedule })));
  }

  it.each([
    ['30 mins', '2026-03-28T12:30:00.000Z'],
    ['2 hrs', '2026-03-28T14:00:00.000Z'],
    ['every 5 mins', '2026-03-28T12:05:00.000Z'],
    ['every 2 hrs', '2026-03-28T14:00:00.000Z'],
    ['2026-03-29 09:00', '2026-03-29T07:00:00.000Z'],
    ['2026-03-30', '2026-03-29T22:00:00.000Z'],
    // 02:30 does not exist in Berlin on 2026-03-29; EventBridge skips that run, so both report Monday's.
    ['30 2 * * *', '2026-03-30T00:30:00.000Z'],
    ['0 9 * * 1#1', '2026-04-06T07:00:00.000Z'],
  ])('accepts %j and reports the same first run, %s', async (schedule, first) => {
    for (const result of await onBoth(schedule)) expect(result).toMatchObject({ success: true, job: { next_run_at: first } });
  });

  it('starts an interval on EventBridge at the first run both report, not at creation', async () => {
    const [, cloud] = await onBoth('every 2 hrs');
    const id = cloud!.job.job_id as string;
    expect(fake.firstInvocation(id, GROUP)?.toISOString()).toBe('2026-03-28T14:00:00.000Z');
  });

  it.each([
    ['0 9 1 * 1', /restricts both the day of the month and the day of the week/],
    ['0 9 * * 1#1,3#3', /must be the only entry of the weekday field/],
    ['0 9 1,L * *', /day of the month "1,L" is not supported/],
  ])('refuses %j alike, creating nothing', async (schedule, message) => {
    const results = await onBoth(schedule);
    for (const result of results) expect(result).toEqual({ success: false, error: expect.stringMatching(message) });
    expect(results[0]!.error).toBe(results[1]!.error);
    expect(fake.requestsOf('CreateSchedule')).toEqual([]);
    expect(await local.list(CHAT.chatId)).toEqual([]);
  });

  it("keeps a job's skills on both, and EventBridge carries them in every fire it delivers", async () => {
    await skills.store.writeFile('briefs/morning-brief/SKILL.md', '---\nname: morning-brief\ndescription: The brief\n---\nWeather, then calendar.\n');
    const results = await Promise.all(backends.map((backend) => backend.run({ action: 'create', skills: ['morning-brief'], schedule: '0 7 * * *' })));
    for (const result of results) expect(result).toMatchObject({ success: true, job: { prompt: '', skills: ['morning-brief'] } });
    const id = results[1]!.job.job_id as string;
    const fire = jobFireSchema.parse(JSON.parse(fake.schedule(id, GROUP)!.Target.Input!));
    expect(fire.job.skills).toEqual(['morning-brief']);
    const cleared = await Promise.all(backends.map((backend, index) => backend.run({ action: 'update', job_id: results[index]!.job.job_id, skills: [], prompt: 'Brief me' })));
    for (const result of cleared) expect(result.job.skills).toBeUndefined();
    expect(JSON.parse(fake.schedule(id, GROUP)!.Target.Input!).job.skills).toBeUndefined();
  });

  it('fires locally through the spring-forward night exactly when EventBridge would', async () => {
    const fires: JobFire[] = [];
    local.start(async (fire) => {
      fires.push(fire);
    }, { tickSeconds: 3_600, onError: (error) => { throw error; } });
    await backends[0]!.run({ action: 'create', prompt: 'Water the seedlings', schedule: '30 2 * * *' });
    for (const at of ['2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-29T12:00:00.000Z']) {
      clock = new Date(at);
      await local.tick();
    }
    expect(fires).toEqual([]);
    clock = new Date('2026-03-30T00:30:00.000Z');
    await local.tick();
    expect(fires.map((fire) => fire.scheduledTime)).toEqual(['2026-03-30T00:30:00.000Z']);
  });
});
