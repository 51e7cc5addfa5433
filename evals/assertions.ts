import type { Runtime } from '../agent/runtime.ts';
import { checkReplies } from './reply-checks.ts';
import type { StepExpectation } from './scenario-schema.ts';
import { checkState } from './state-checks.ts';
import { checkSchedules } from './schedule-checks.ts';
import type { FakeScheduler } from '../test/stand-ins/scheduler-server.ts';
import type { StepObservation } from './step-driver.ts';

/** Every way a step can fail: the model exchange, the HTTP answers, the fire outcome, the replies, the schedules, the state. */
export async function checkStep(observation: StepObservation, expected: StepExpectation, { runtime, scheduler }: { runtime: Runtime; scheduler: FakeScheduler }): Promise<string[]> {
  const failures = [...observation.model.problems];
  if (observation.statuses.some((status) => status !== expected.status)) failures.push(`webhook answered ${observation.statuses.join(', ')}, expected ${expected.status}`);
  if (expected.fire !== undefined && observation.fire?.status !== expected.fire) {
    failures.push(`cron fire ended "${observation.fire?.status ?? 'not run'}", expected "${expected.fire}"`);
  }
  observation.model.requests.forEach((request, index) => {
    for (const needle of expected.requestsExclude ?? []) {
      if (request.includes(needle)) failures.push(`model request ${index + 1} contains ${JSON.stringify(needle)}`);
    }
  });
  failures.push(...checkReplies(observation.replies, expected.replies, observation));
  failures.push(...checkSchedules(scheduler, expected.schedules ?? [], observation.sentAt));
  failures.push(...(await checkState(runtime, expected.state)));
  return failures;
}
