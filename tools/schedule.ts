import { Cron } from 'croner';
import { toEventBridgeExpression } from './eventbridge-schedule-expression.ts';
import { ValidationError } from './errors.ts';
import type { Schedule } from './ports/scheduler.ts';
import { naturalEveryToCron } from './schedule-phrases.ts';

const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, h: 60, hr: 60, d: 1440, day: 1440 };
/**
 * Hermes' parse_duration (cron/jobs.py): its units, including `mins` and `hrs`, and a unit without a number meaning
 * one of it ("every hour", "in day").
 */
const DURATION = /^(\d*)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;
/**
 * What Hermes takes through Python's `datetime.fromisoformat`: a date, then optionally "T", "t" or a space and the
 * hour, minutes, seconds and a fraction, then optionally an offset (`Z`, `+02`, `+0200`, `+02:00`).
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
/** EventBridge Scheduler's rate() starts at one minute; a year bounds accidental huge numbers. */
const MAX_INTERVAL_MINUTES = 525_600;
/**
 * Hermes still runs a one-time job whose time passed at most this long ago (ONESHOT_GRACE_SECONDS in cron/jobs.py):
 * a reminder asked for "now" reaches the scheduler a moment late.
 */
const ONESHOT_GRACE_SECONDS = 120;
/** A late one-time job is set this far ahead at least, so the scheduler never receives a time already gone. */
const ONESHOT_MIN_LEAD_MS = 10_000;

export const SCHEDULE_HELP =
  'Use "30m"/"in 2h"/"1d" (once, that far ahead), "every 30m"/"every hour" (repeating), "every monday 9am"/"weekdays at 9am", ' +
  'a 5-field cron like "0 9 * * 1-5", or a time like "2026-03-01T09:00", "2026-03-01 09:00" or "2026-03-01".';

export function parseSchedule(input: string, now: Date, timezone: string): Schedule {
  const text = input.trim();
  if (text === '') throw new ValidationError(`Schedule is empty. ${SCHEDULE_HELP}`);

  const every = /^every\s+(.+)$/i.exec(text);
  // As in Hermes, a day-and-time phrase is cron with or without "every" ("every monday 9am", "weekdays at 9am").
  const natural = naturalEveryToCron(every ? every[1]! : text);
  if (natural !== undefined) return cronSchedule(natural, { display: text, now, timezone });

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

  const iso = ISO_TIME.exec(text);
  if (iso) return { kind: 'once', at: oneTimeInstant(text, isoInstant(iso, timezone), now).toISOString(), display: `once at ${text}` };

  if (text.split(/\s+/).length === 5) return cronSchedule(text, { display: `cron ${text}`, now, timezone });

  throw new ValidationError(`Unrecognized schedule "${text}". ${SCHEDULE_HELP}`);
}

function cronSchedule(expression: string, { display, now, timezone }: { display: string; now: Date; timezone: string }): Schedule {
  let next: Date | null;
  try {
    next = new Cron(expression, { timezone, paused: true }).nextRun(now);
  } catch (error) {
    throw new ValidationError(`Invalid cron expression "${expression}": ${(error as Error).message}. ${SCHEDULE_HELP}`);
  }
  if (!next) throw new ValidationError(`Cron expression "${expression}" never fires (no such date). ${SCHEDULE_HELP}`);
  assertPortableCron(expression, expression.split(/\s+/), timezone);
  return { kind: 'cron', expression, display };
}

/**
 * A time just gone is run at once, as Hermes does within its grace window, and so is one only seconds ahead; "at
 * once" is the first whole minute at least ONESHOT_MIN_LEAD_MS ahead, because EventBridge Scheduler's at() refuses a
 * time already past when the request arrives, and fires by the minute.
 */
function oneTimeInstant(text: string, at: Date, now: Date): Date {
  if (at.getTime() > now.getTime() + ONESHOT_MIN_LEAD_MS) return at;
  if (now.getTime() - at.getTime() > ONESHOT_GRACE_SECONDS * 1000) {
    throw new ValidationError(`"${text}" is in the past (now is ${now.toISOString()}). Pick a future time.`);
  }
  return new Date(Math.floor((now.getTime() + ONESHOT_MIN_LEAD_MS) / 60_000) * 60_000 + 60_000);
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
 * croner moves a skipped run to the end of the gap instead, and runs a repeated time at both instants, so runs that
 * do not match the expression's wall-clock time, and the second instant of a repeated one, are passed over; both
 * backends report and fire the same runs.
 */
function nextCronRun(expression: string, after: Date, timezone: string): Date | undefined {
  const cron = new Cron(expression, { timezone, paused: true });
  let next = cron.nextRun(after);
  // Past every minute of a repeated hour (two for the zone that sets its clocks back by two).
  for (let skipped = 0; next && (!cron.match(next) || repeatsWallClock(next, timezone)) && skipped < 130; skipped++) next = cron.nextRun(next);
  return next ?? undefined;
}

/** How far zones set their clocks back: half an hour (Lord Howe Island), an hour, two hours (Troll, Antarctica). */
const FALL_BACK_MINUTES = [30, 60, 120];
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** Whether the clock showed this time minutes earlier too: the second instant of a time the fall-back repeats. */
function repeatsWallClock(at: Date, timezone: string): boolean {
  let format = wallClocks.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    wallClocks.set(timezone, format);
  }
  const shown = format.format(at);
  return FALL_BACK_MINUTES.some((minutes) => format.format(new Date(at.getTime() - minutes * 60_000)) === shown);
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

function durationMinutes(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase().replace(/s$/, '');
  const perUnit = UNIT_MINUTES[unit] ?? UNIT_MINUTES[unit[0]!]!;
  const minutes = (match[1] === '' ? 1 : Number(match[1])) * perUnit;
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
function isoInstant(match: RegExpExecArray, timezone: string): Date {
  const [text, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset] = match;
  const field = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  assertRealCalendarTime(text, field);
  const milliseconds = Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (offset !== undefined) {
    const local = Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second, milliseconds);
    return new Date(local - offsetMinutes(offset, text) * 60_000);
  }
  const wallClock = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  try {
    const at = new Cron(wallClock, { timezone, paused: true }).nextRun(new Date(0));
    if (!at) throw new Error('no such time');
    return new Date(at.getTime() + milliseconds);
  } catch {
    throw new ValidationError(`Invalid ISO time "${text}". ${SCHEDULE_HELP}`);
  }
}

/** Python takes an offset under 24 hours, as a clock shows it. */
function offsetMinutes(offset: string, text: string): number {
  if (offset === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || '0')];
  if (hours > 23 || minutes > 59) throw new ValidationError(`Invalid ISO time "${text}": no such UTC offset. ${SCHEDULE_HELP}`);
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/** Date parsers roll "Feb 30" into March; a reminder for a day that does not exist must be refused instead. */
function assertRealCalendarTime(text: string, field: { year: number; month: number; day: number; hour: number; minute: number; second: number }): void {
  const date = new Date(Date.UTC(field.year, field.month - 1, field.day));
  const realDate = date.getUTCFullYear() === field.year && date.getUTCMonth() === field.month - 1 && date.getUTCDate() === field.day;
  if (!realDate || field.hour > 23 || field.minute > 59 || field.second > 59) {
    throw new ValidationError(`Invalid ISO time "${text}": no such date or time. ${SCHEDULE_HELP}`);
  }
}
