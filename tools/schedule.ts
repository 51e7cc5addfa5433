import { Cron } from 'croner';
import { toEventBridgeExpression } from './eventbridge-schedule-expression.ts';
import { ValidationError } from './errors.ts';
import type { Schedule } from './ports/scheduler.ts';

const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, h: 60, hr: 60, d: 1440, day: 1440 };
/** Hermes' units, including its `mins` and `hrs` ("30 mins", "every 2 hrs"). */
const DURATION = /^(\d+)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Hermes also takes `2026-03-21 09:00` and a bare date (midnight, as Python's `datetime.fromisoformat` reads it). */
const SPACED_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(:\d{2})?)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** EventBridge Scheduler's rate() starts at one minute; a year bounds accidental huge numbers. */
const MAX_INTERVAL_MINUTES = 525_600;

export const SCHEDULE_HELP =
  'Use "30m"/"in 2h"/"1d" (once, that far ahead), "every 30m" (repeating), a 5-field cron like "0 9 * * 1-5", or a time like "2026-03-01T09:00", "2026-03-01 09:00" or "2026-03-01".';

export function parseSchedule(input: string, now: Date, timezone: string): Schedule {
  const text = input.trim();
  if (text === '') throw new ValidationError(`Schedule is empty. ${SCHEDULE_HELP}`);

  const every = /^every\s+(.+)$/i.exec(text);
  if (every) {
    const minutes = durationMinutes(every[1]!.trim());
    if (minutes === undefined) throw new ValidationError(`Invalid interval "${every[1]}". ${SCHEDULE_HELP}`);
    return { kind: 'interval', minutes, display: `every ${formatMinutes(minutes)}` };
  }

  const delay = durationMinutes(text.replace(/^in\s+/i, ''));
  if (delay !== undefined) {
    const at = new Date(now.getTime() + delay * 60_000);
    return { kind: 'once', at: at.toISOString(), display: `once in ${formatMinutes(delay)}` };
  }

  const isoText = isoForm(text);
  if (ISO_DATE_TIME.test(isoText)) {
    const at = isoInstant(isoText, timezone);
    if (at.getTime() <= now.getTime()) {
      throw new ValidationError(`"${text}" is in the past (now is ${now.toISOString()}). Pick a future time.`);
    }
    return { kind: 'once', at: at.toISOString(), display: `once at ${text}` };
  }

  const fields = text.split(/\s+/);
  if (fields.length === 5) {
    let next: Date | null;
    try {
      next = new Cron(text, { timezone, paused: true }).nextRun(now);
    } catch (error) {
      throw new ValidationError(`Invalid cron expression "${text}": ${(error as Error).message}. ${SCHEDULE_HELP}`);
    }
    if (!next) throw new ValidationError(`Cron expression "${text}" never fires (no such date). ${SCHEDULE_HELP}`);
    assertPortableCron(text, fields, timezone);
    return { kind: 'cron', expression: text, display: `cron ${text}` };
  }

  throw new ValidationError(`Unrecognized schedule "${text}". ${SCHEDULE_HELP}`);
}

export interface NextRunOptions {
  /** The run returned is strictly after this. */
  after: Date;
  /** Cron fields are read in this IANA zone. */
  timezone: string;
  /** An interval counts its steps from here (the job's creation); without it, from `after`. */
  anchor?: Date;
}

/** The first run strictly after `after`, or undefined when the schedule has no more runs. */
export function nextRunAfter(schedule: Schedule, { after, timezone, anchor }: NextRunOptions): Date | undefined {
  switch (schedule.kind) {
    case 'once': {
      const at = new Date(schedule.at);
      return at > after ? at : undefined;
    }
    case 'interval': {
      const step = schedule.minutes * 60_000;
      const start = (anchor ?? after).getTime();
      const elapsed = Math.max(0, after.getTime() - start);
      return new Date(start + (Math.floor(elapsed / step) + 1) * step);
    }
    case 'cron':
      return nextCronRun(schedule.expression, after, timezone);
  }
}

/**
 * EventBridge Scheduler skips a cron run whose wall-clock time does not exist on a spring-forward day, and runs an
 * ambiguous fall-back time once ("Daylight savings time on EventBridge Scheduler", User Guide, checked 2026-12-01).
 * croner moves a skipped run to the end of the gap instead, so runs that do not match the expression's wall-clock
 * time are passed over; both backends report and fire the same runs.
 */
function nextCronRun(expression: string, after: Date, timezone: string): Date | undefined {
  const cron = new Cron(expression, { timezone, paused: true });
  let next = cron.nextRun(after);
  for (let skipped = 0; next && !cron.match(next) && skipped < 24; skipped++) next = cron.nextRun(next);
  return next ?? undefined;
}

/**
 * A cron the scheduler in the cloud cannot run is refused on every backend, so a job behaves the same locally and on
 * AWS. Standard cron runs a job whose day of the month and day of the week are both restricted when either matches;
 * EventBridge has no such form, so that combination is refused with the two jobs to create instead.
 */
function assertPortableCron(text: string, fields: string[], timezone: string): void {
  const restricted = (field: string) => field !== '*' && field !== '?';
  if (restricted(fields[2]!) && restricted(fields[4]!)) {
    throw new ValidationError(
      `Cron "${text}" restricts both the day of the month and the day of the week, which cron reads as "either one". ` +
        `Restrict only one of them, or create two jobs: "${fields.slice(0, 4).join(' ')} *" and "${fields.slice(0, 2).join(' ')} * ${fields[3]} ${fields[4]}".`,
    );
  }
  toEventBridgeExpression({ kind: 'cron', expression: text, display: text }, timezone);
}

function isoForm(text: string): string {
  if (DATE_ONLY.test(text)) return `${text}T00:00`;
  const spaced = SPACED_DATE_TIME.exec(text);
  return spaced ? `${spaced[1]}T${spaced[2]}` : text;
}

function durationMinutes(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase().replace(/s$/, '');
  const perUnit = UNIT_MINUTES[unit] ?? UNIT_MINUTES[unit[0]!]!;
  const minutes = Number(match[1]) * perUnit;
  if (minutes < 1 || minutes > MAX_INTERVAL_MINUTES) {
    throw new ValidationError(`Duration "${text}" must be between 1 minute and 365 days.`);
  }
  return minutes;
}

function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** An ISO time without an offset means wall-clock time in the user's zone, as Hermes users expect. */
function isoInstant(text: string, timezone: string): Date {
  assertRealCalendarTime(text);
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new ValidationError(`Invalid ISO time "${text}". ${SCHEDULE_HELP}`);
    return at;
  }
  try {
    const at = new Cron(text.replace(/\.\d+$/, ''), { timezone, paused: true }).nextRun(new Date(0));
    if (!at) throw new Error('no such time');
    return at;
  } catch {
    throw new ValidationError(`Invalid ISO time "${text}". ${SCHEDULE_HELP}`);
  }
}

/** Date parsers roll "Feb 30" into March; a reminder for a day that does not exist must be refused instead. */
function assertRealCalendarTime(text: string): void {
  const [, year, month, day, hour, minute] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text)!.map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  const realDate = date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
  if (!realDate || hour! > 23 || minute! > 59) {
    throw new ValidationError(`Invalid ISO time "${text}": no such date or time. ${SCHEDULE_HELP}`);
  }
}
