import { createHash } from 'node:crypto';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  paginateListSchedules,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { NotFoundError, ValidationError } from '../../tools/errors.ts';
import { chatJobPrefix, idempotentJobId, newJobId } from '../../tools/job-ids.ts';
import type { Job, JobPatch, ManualRun, NewJob, Scheduler } from '../../tools/ports/scheduler.ts';
import { nextRunAfter } from '../../tools/schedule.ts';
import { callAws, hasErrorName, toStoreError } from './aws-failure.ts';
import { jobFromSchedule, jobSchedule, runNowSchedule, type ScheduleSettings } from './eventbridge-schedule-definition.ts';

export interface EventBridgeSchedulerOptions extends ScheduleSettings {
  client: SchedulerClient;
  now?: () => Date;
}

const SCHEDULE_NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
/** Run-now helpers are named `<jobId>.r<base36 time>`; job ids end in hex, so no job matches. */
const RUN_NOW_MARKER = '.r';
const RUN_NOW_NAME = /\.r[0-9a-z]+$/;
const LIST_PAGE_SIZE = 100;

/**
 * Jobs as EventBridge Scheduler schedules, one per job, named by the job id. Each schedule carries its job in the
 * target input, so a fire delivers everything the cron handler needs and no other table is involved.
 */
export class EventBridgeScheduler implements Scheduler {
  private readonly client: SchedulerClient;
  private readonly settings: ScheduleSettings;
  private readonly now: () => Date;

  constructor(options: EventBridgeSchedulerOptions) {
    const { client, now, ...settings } = options;
    this.client = client;
    this.settings = settings;
    this.now = now ?? (() => new Date());
  }

  async create(request: NewJob): Promise<Job> {
    const { idempotencyKey, state = 'scheduled', ...input } = request;
    const id = idempotencyKey === undefined ? newJobId(input.delivery) : idempotentJobId(input.delivery, idempotencyKey);
    const job: Job = { ...input, id, completedRuns: 0, state, createdAt: this.now().toISOString() };
    const schedule = jobSchedule(job, this.settings, this.now());
    try {
      await this.client.send(new CreateScheduleCommand(schedule));
    } catch (error) {
      // The schedule name is the job id: a conflict on an idempotent id is the job this key created before.
      const existing = idempotencyKey !== undefined && hasErrorName(error, 'ConflictException') ? await this.read(id) : undefined;
      if (existing) return this.withNextRun(existing);
      throw toStoreError(`EventBridge Scheduler CreateSchedule (${job.id})`, error);
    }
    return this.withNextRun(job);
  }

  async get(id: string): Promise<Job | undefined> {
    const job = await this.read(id);
    return job && this.withNextRun(job);
  }

  async list(chatId: number, threadId?: number): Promise<Job[]> {
    // A chat's own prefix stops at its topics (`hermes-p42-` vs `hermes-p42.t5-`), so the whole chat needs both.
    const chatPrefix = chatJobPrefix(chatId, threadId);
    const prefixes = threadId === undefined ? [chatPrefix, `${chatPrefix.slice(0, -1)}.t`] : [chatPrefix];
    const names = (await Promise.all(prefixes.map((prefix) => this.scheduleNames(prefix)))).flat();
    const jobs = await Promise.all(names.filter((name) => !RUN_NOW_NAME.test(name)).map((name) => this.read(name)));
    return jobs
      .filter((job): job is Job => job !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((job) => this.withNextRun(job));
  }

  async update(id: string, patch: JobPatch): Promise<Job> {
    const job = { ...(await this.existing(id)), ...patch };
    // A new schedule starts counting from now, as it does when EventBridge receives it.
    if (patch.schedule) job.createdAt = this.now().toISOString();
    await this.save(job);
    return this.withNextRun(job);
  }

  pause(id: string): Promise<Job> {
    return this.setState(id, 'paused');
  }

  resume(id: string): Promise<Job> {
    return this.setState(id, 'scheduled');
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deleteSchedule(id))) throw new NotFoundError(`No job with id ${id}.`);
    // A pending run-now helper carries its own copy of the job and would still fire it.
    const helpers = await this.scheduleNames(`${id}${RUN_NOW_MARKER}`);
    await Promise.all(helpers.map((name) => this.deleteSchedule(name)));
  }

  async runNow(id: string, { idempotencyKey, note }: ManualRun = {}): Promise<void> {
    const job = await this.existing(id);
    const now = this.now();
    // A keyed run-now gets a name of its own key, so the same request repeated meets its first helper schedule.
    const suffix = idempotencyKey === undefined ? now.getTime().toString(36) : createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10);
    const name = `${id}${RUN_NOW_MARKER}${suffix}`;
    if (name.length > 64) throw new ValidationError(`Job id ${id} is too long for a run-now schedule name.`);
    // at() has minute precision, so the next whole minute is the earliest time that is certainly in the future.
    const at = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
    const schedule = runNowSchedule(job, { name, at, note, settings: this.settings });
    try {
      await this.client.send(new CreateScheduleCommand(schedule));
    } catch (error) {
      if (idempotencyKey !== undefined && hasErrorName(error, 'ConflictException')) return;
      throw toStoreError(`EventBridge Scheduler CreateSchedule (${name})`, error);
    }
  }

  async recordRun(id: string, at: string): Promise<void> {
    const job = await this.read(id);
    if (!job) return;
    const done: Job = { ...job, completedRuns: job.completedRuns + 1, lastRunAt: at };
    const exhausted = done.repeat !== undefined && done.completedRuns >= done.repeat;
    if (exhausted || ranItsOneTimeSlot(done, at)) {
      await this.deleteSchedule(id);
      return;
    }
    try {
      await this.save(done);
    } catch (error) {
      // EventBridge may already have deleted a finished schedule; there is nothing left to count then.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  private async setState(id: string, state: Job['state']): Promise<Job> {
    const job: Job = { ...(await this.existing(id)), state };
    await this.save(job);
    return this.withNextRun(job);
  }

  private async existing(id: string): Promise<Job> {
    const job = await this.read(id);
    if (!job) throw new NotFoundError(`No job with id ${id}.`);
    return job;
  }

  /** A name EventBridge would reject can never belong to a job, so it reads as missing. */
  private async read(id: string): Promise<Job | undefined> {
    if (!SCHEDULE_NAME.test(id)) return undefined;
    try {
      return jobFromSchedule(await this.client.send(new GetScheduleCommand({ Name: id, GroupName: this.settings.group })));
    } catch (error) {
      if (hasErrorName(error, 'ResourceNotFoundException')) return undefined;
      throw toStoreError(`EventBridge Scheduler GetSchedule (${id})`, error);
    }
  }

  private async save(job: Job): Promise<void> {
    const schedule = jobSchedule(job, this.settings, this.now());
    try {
      await this.client.send(new UpdateScheduleCommand(schedule));
    } catch (error) {
      if (hasErrorName(error, 'ResourceNotFoundException')) throw new NotFoundError(`No job with id ${job.id}.`);
      throw toStoreError(`EventBridge Scheduler UpdateSchedule (${job.id})`, error);
    }
  }

  /** True when the schedule existed. */
  private async deleteSchedule(name: string): Promise<boolean> {
    if (!SCHEDULE_NAME.test(name)) return false;
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.settings.group }));
      return true;
    } catch (error) {
      if (hasErrorName(error, 'ResourceNotFoundException')) return false;
      throw toStoreError(`EventBridge Scheduler DeleteSchedule (${name})`, error);
    }
  }

  private async scheduleNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    const pages = paginateListSchedules({ client: this.client, pageSize: LIST_PAGE_SIZE }, { GroupName: this.settings.group, NamePrefix: prefix });
    await callAws(`EventBridge Scheduler ListSchedules (${prefix})`, async () => {
      for await (const page of pages) names.push(...(page.Schedules ?? []).flatMap((schedule) => (schedule.Name ? [schedule.Name] : [])));
    });
    return names;
  }

  private withNextRun(job: Job): Job {
    const next = job.state === 'scheduled' ? nextRunAfter(job.schedule, { after: this.now(), timezone: this.settings.timezone, anchor: new Date(job.createdAt) }) : undefined;
    const { nextRunAt: _stale, ...rest } = job;
    return next ? { ...rest, nextRunAt: next.toISOString() } : rest;
  }
}

/**
 * A one-time job is finished once it ran at or after its instant; a run-now before that instant leaves it scheduled.
 * at() keeps whole seconds, so the instant is compared at that precision.
 */
function ranItsOneTimeSlot(job: Job, at: string): boolean {
  if (job.schedule.kind !== 'once') return false;
  const slot = Math.floor(Date.parse(job.schedule.at) / 1000) * 1000;
  return Date.parse(at) >= slot;
}
