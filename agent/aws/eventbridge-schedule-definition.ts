import type { CreateScheduleCommandInput, GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import { StoreError } from '../../tools/errors.ts';
import type { Job, JobFire } from '../../tools/ports/scheduler.ts';
import { nextRunAfter } from '../../tools/schedule.ts';
import { fireGroupId } from '../queued-fire.ts';
import { atExpression, toEventBridgeExpression } from '../../tools/eventbridge-schedule-expression.ts';
import { sliceWhole } from '../../tools/char-count.ts';

/** Where schedules live and what they invoke; the same for every job. */
export interface ScheduleSettings {
  group: string;
  roleArn: string;
  targetArn: string;
  timezone: string;
}

/** EventBridge replaces this context attribute with the tick's time when it fires, so each fire names its own tick. */
const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
const DESCRIPTION_LIMIT = 512;
/**
 * Retries of handing the fire to the turn queue (throttling, an unavailable service); once queued, it is retried and
 * dead-lettered like any queued update. The cron handler dedups per job and scheduled time, so a retried fire never
 * runs twice. (Schedules made before the queue existed still invoke Lambda, which retries them itself until the
 * function has handed the fire to the queue.)
 */
const RETRY_POLICY = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 };

interface Definition {
  /** A run-now helper's fire: a run asked for by hand, with what the chat added for it. */
  manual?: true;
  note?: string;
  name: string;
  expression: string;
  timezone: string;
  job: Job;
  description: string;
  enabled: boolean;
  deleteAfterCompletion: boolean;
  startDate?: Date;
}

/**
 * The complete schedule for a job. The job itself travels in the target input, so the schedule is the only
 * place a job is stored; UpdateSchedule replaces everything, so updates send this whole definition again.
 * A rate schedule without a StartDate starts invoking at once ("Rate-based schedules", EventBridge Scheduler User
 * Guide, checked 2026-12-01), so it gets the job's next run on its grid, the time the tool reports, as StartDate.
 */
export function jobSchedule(job: Job, settings: ScheduleSettings, now: Date): CreateScheduleCommandInput {
  const { expression, timezone } = toEventBridgeExpression(job.schedule, settings.timezone);
  const startDate = job.schedule.kind === 'interval' ? nextRunAfter(job.schedule, { after: now, timezone: settings.timezone, anchor: new Date(job.createdAt) }) : undefined;
  return definition(
    {
      name: job.id,
      expression,
      timezone,
      job,
      description: job.name,
      enabled: job.state === 'scheduled',
      deleteAfterCompletion: job.schedule.kind === 'once',
      ...(startDate ? { startDate } : {}),
    },
    settings,
  );
}

/** A one-time helper schedule that fires the job once at `at`, then deletes itself. */
export function runNowSchedule(job: Job, { name, at, note, settings }: { name: string; at: Date; note?: string | undefined; settings: ScheduleSettings }): CreateScheduleCommandInput {
  return definition(
    { name, expression: atExpression(at), timezone: 'UTC', job, description: `Run now: ${job.name}`, enabled: true, deleteAfterCompletion: true, manual: true, ...(note ? { note } : {}) },
    settings,
  );
}

/** The job stored in a schedule; its state follows the schedule's, which is what actually decides whether it fires. */
export function jobFromSchedule(schedule: GetScheduleCommandOutput): Job {
  const fire = parseFire(schedule.Target?.Input);
  if (fire?.source !== 'hermes.cron' || typeof fire.job?.id !== 'string') {
    throw new StoreError(`Schedule ${schedule.Name} does not hold a Hermes job.`);
  }
  return { ...fire.job, state: schedule.State === 'DISABLED' ? 'paused' : 'scheduled' };
}

function definition(spec: Definition, settings: ScheduleSettings): CreateScheduleCommandInput {
  const { nextRunAt: _computedOnRead, ...job } = spec.job;
  const fire: JobFire = { source: 'hermes.cron', job, scheduledTime: SCHEDULED_TIME, ...(spec.manual ? { manual: true as const } : {}), ...(spec.note ? { note: spec.note } : {}) };
  return {
    Name: spec.name,
    GroupName: settings.group,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: spec.timezone,
    Description: sliceWhole(spec.description, DESCRIPTION_LIMIT),
    State: spec.enabled ? 'ENABLED' : 'DISABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: spec.deleteAfterCompletion ? 'DELETE' : 'NONE',
    ...(spec.startDate ? { StartDate: spec.startDate } : {}),
    Target: {
      Arn: settings.targetArn,
      RoleArn: settings.roleArn,
      Input: JSON.stringify(fire),
      RetryPolicy: RETRY_POLICY,
      ...(isFifoQueue(settings.targetArn) ? { SqsParameters: { MessageGroupId: fireGroupId(job.delivery) } } : {}),
    },
  };
}

/**
 * The turn queue is an SQS FIFO target: a fire joins the queue of the chat it answers in (its message group), so it
 * runs in order with that chat's messages and gets the queue's retries and dead-letter queue. Scheduler requires
 * content-based deduplication on such a queue; the substituted scheduled time makes each fire's body distinct.
 * Source: EventBridge Scheduler API Reference, SqsParameters (checked 2026-12-01).
 */
function isFifoQueue(arn: string): boolean {
  return arn.startsWith('arn:') && arn.split(':')[2] === 'sqs' && arn.endsWith('.fifo');
}

function parseFire(input: string | undefined): Partial<JobFire> | undefined {
  try {
    return input ? (JSON.parse(input) as Partial<JobFire>) : undefined;
  } catch {
    return undefined;
  }
}
