import { ValidationError } from './errors.ts';
import type { Schedule } from './ports/scheduler.ts';
import { nextRunAfter } from './schedule.ts';

/** What one chat or user may cost; every figure comes from the environment (see agent/config.ts). */
export interface SpendLimits {
  /** Jobs one chat (or forum topic) may hold. */
  maxJobsPerChat: number;
  /** The shortest gap between two runs of a repeating job. */
  minJobIntervalMinutes: number;
  /** Characters of the skills index in the system prompt; the rest is reachable through skills_list. */
  skillsIndexChars: number;
  /** Model tokens (input plus output) one user may spend per UTC day; 0 means no limit. */
  dailyTokenBudget: number;
}

/**
 * Hermes accepts `every 1m` and EventBridge's rate() starts at one minute, so that is the default floor; 20 jobs
 * a chat is far above what a person keeps, yet bounds a loop that creates jobs.
 */
export const DEFAULT_SPEND_LIMITS: SpendLimits = {
  maxJobsPerChat: 20,
  minJobIntervalMinutes: 1,
  skillsIndexChars: 8_000,
  dailyTokenBudget: 0,
};

/** Runs looked at to find a cron expression's shortest gap; enough for any minute or hour list. */
const CRON_RUNS_SAMPLED = 60;

/**
 * The shortest gap between two runs of a schedule, in minutes, or undefined for a one-time job. A cron expression's
 * gaps vary (`0,1 9 * * *`), so the smallest of its next runs counts.
 */
export function shortestGapMinutes(schedule: Schedule, now: Date, timezone: string): number | undefined {
  if (schedule.kind === 'once') return undefined;
  if (schedule.kind === 'interval') return schedule.minutes;
  let previous = nextRunAfter(schedule, { after: now, timezone });
  let shortest = Number.POSITIVE_INFINITY;
  for (let index = 0; previous && index < CRON_RUNS_SAMPLED; index++) {
    const next = nextRunAfter(schedule, { after: previous, timezone });
    if (!next) break;
    shortest = Math.min(shortest, (next.getTime() - previous.getTime()) / 60_000);
    previous = next;
  }
  return Number.isFinite(shortest) ? shortest : undefined;
}

export function assertIntervalAllowed(schedule: Schedule, { now, timezone, limits }: { now: Date; timezone: string; limits: SpendLimits }): void {
  const gap = shortestGapMinutes(schedule, now, timezone);
  if (gap !== undefined && gap < limits.minJobIntervalMinutes) {
    throw new ValidationError(
      `"${schedule.display}" would run every ${gap} minute${gap === 1 ? '' : 's'}; the shortest allowed interval is ${limits.minJobIntervalMinutes} minutes (HERMES_MIN_JOB_INTERVAL_MINUTES).`,
    );
  }
}

export function assertJobSlotFree(existingJobs: number, limits: SpendLimits): void {
  if (existingJobs >= limits.maxJobsPerChat) {
    throw new ValidationError(
      `This chat already has ${existingJobs} jobs, the most it may hold (HERMES_MAX_JOBS_PER_CHAT=${limits.maxJobsPerChat}). Remove one before creating another.`,
    );
  }
}

/**
 * A job's own run may look at jobs but not make, change or run them: a run that creates jobs multiplies itself, and
 * one that runs its job (or resumes, reschedules or edits it) keeps itself going past every limit. Hermes leaves the
 * cronjob tool out of scheduled runs altogether (cron/scheduler.py, disabled_toolsets, read 2026-12-02).
 */
export function assertNotFromCron(origin: 'chat' | 'cron' | undefined, action: string): void {
  if (origin !== 'cron' || action === 'list') return;
  if (action === 'create') {
    throw new ValidationError('A scheduled run cannot create new jobs. Tell the user what you would schedule; they can ask for it in the chat.');
  }
  throw new ValidationError(`A scheduled run cannot ${action} jobs, or a job could keep itself running. Tell the user what you would change; they can ask for it in the chat.`);
}
