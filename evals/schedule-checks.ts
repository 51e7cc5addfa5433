import type { FakeScheduler } from '../test/stand-ins/scheduler-server.ts';
import type { JobFire } from '../tools/ports/scheduler.ts';
import { describe, matches } from './reply-checks.ts';
import type { ScheduleExpectation } from './scenario-schema.ts';

/** Run-now helper schedules carry a copy of their job; only the job's own schedule is its tick. */
const RUN_NOW_HELPER = /\.r[0-9a-z]+$/;
/** How far a first run may be from the expected minute: the step itself takes a moment, and at() keeps whole seconds. */
const SLACK_MS = 60_000;

/**
 * The schedule EventBridge Scheduler holds for each named job, as the service would run it: its expression, its time
 * zone, and when it first invokes the target. A job's state says "once in 30m"; only this says it is due in 30 minutes.
 */
export function checkSchedules(scheduler: FakeScheduler, expectations: ScheduleExpectation[], sentAt: number): string[] {
  const failures: string[] = [];
  for (const { job, expression, timezone, firstRunInMinutes } of expectations) {
    const names = scheduler.names().filter((name) => !RUN_NOW_HELPER.test(name) && (JSON.parse(scheduler.schedule(name)!.Target.Input ?? '{}') as Partial<JobFire>).job?.name === job);
    if (names.length !== 1) {
      failures.push(`expected one schedule for job "${job}", found ${names.length}`);
      continue;
    }
    const name = names[0]!;
    const stored = scheduler.schedule(name)!;
    if (expression !== undefined && !matches(stored.ScheduleExpression, expression)) failures.push(`schedule of "${job}" is ${stored.ScheduleExpression}, expected ${describe(expression)}`);
    if (timezone !== undefined && stored.ScheduleExpressionTimezone !== timezone) failures.push(`schedule of "${job}" is in ${stored.ScheduleExpressionTimezone ?? 'no time zone'}, expected ${timezone}`);
    if (firstRunInMinutes !== undefined) {
      const first = scheduler.firstInvocation(name);
      const expected = sentAt + firstRunInMinutes * 60_000;
      if (!first || Math.abs(first.getTime() - expected) > SLACK_MS) {
        failures.push(`schedule of "${job}" first runs ${first ? `${((first.getTime() - sentAt) / 60_000).toFixed(1)} minutes` : 'never'} after the step, expected ${firstRunInMinutes}`);
      }
    }
  }
  return failures;
}
