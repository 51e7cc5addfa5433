import type { JobFire } from '../tools/ports/scheduler.ts';
import type { FakeScheduler } from '../test/stand-ins/scheduler-server.ts';

/** The context attribute EventBridge Scheduler substitutes in a target's input when it fires. */
const SCHEDULED_TIME_ATTRIBUTE = '<aws.scheduler.scheduled-time>';
/** Run-now helper schedules carry a copy of their job; only the job's own schedule is its tick. */
const RUN_NOW_HELPER = /\.r[0-9a-z]+$/;

/**
 * The payload EventBridge Scheduler would deliver for the job named `jobName` at `scheduledTime`: the target input
 * stored with its schedule, with the scheduled-time attribute filled in, exactly as the service does it.
 */
export function scheduledFire(scheduler: FakeScheduler, jobName: string, scheduledTime: string | 'due'): JobFire {
  const matches = scheduler
    .names()
    .filter((name) => !RUN_NOW_HELPER.test(name))
    .filter((name) => (JSON.parse(scheduler.schedule(name)!.Target.Input ?? '{}') as Partial<JobFire>).job?.name === jobName);
  if (matches.length !== 1) {
    throw new Error(`expected one schedule for job "${jobName}", found ${matches.length} (schedules: ${scheduler.names().join(', ') || 'none'})`);
  }
  const name = matches[0]!;
  const due = scheduledTime === 'due' ? scheduler.firstInvocation(name) : undefined;
  if (scheduledTime === 'due' && !due) throw new Error(`the schedule of job "${jobName}" has no first run to fire at`);
  // EventBridge fills in the scheduled time in UTC, to the second.
  const tick = due ? `${due.toISOString().slice(0, 19)}Z` : scheduledTime;
  return JSON.parse((scheduler.schedule(name)!.Target.Input ?? '').replaceAll(SCHEDULED_TIME_ATTRIBUTE, tick)) as JobFire;
}
