import { Cron } from 'croner';
import { ValidationError } from '../agent/errors.ts';

/**
 * A parsed Hermes schedule. `once` is an absolute UTC instant, `interval` repeats every N minutes from creation,
 * `cron` is a standard 5-field expression evaluated in the configured time zone.
 */
export type Schedule =
  | { kind: 'once'; at: string; display: string }
  | { kind: 'interval'; minutes: number; display: string }
  | { kind: 'cron'; expression: string; display: string };

const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, h: 60, hr: 60, d: 1440, day: 1440 };
const DURATION = /^(\d+)\s*(m|min|minutes?|h|hr|hours?|d|days?)$/i;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** EventBridge Scheduler's rate() starts at one minute; a year bounds accidental huge numbers. */
const MAX_INTERVAL_MINUTES = 525_600;

export const SCHEDULE_HELP =
  'Use "30m"/"in 2h"/"1d" (once, that far ahead), "every 30m" (repeating), a 5-field cron like "0 9 * * 1-5", or an ISO time like "2026-03-01T09:00".';

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

  if (ISO_DATE_TIME.test(text)) {
    const at = isoInstant(text, timezone);
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
    return { kind: 'cron', expression: text, display: `cron ${text}` };
  }

  throw new ValidationError(`Unrecognized schedule "${text}". ${SCHEDULE_HELP}`);
}

/** The first run strictly after `after`, or undefined when the schedule has no more runs. */
export function nextRunAfter(schedule: Schedule, after: Date, timezone: string, anchor?: Date): Date | undefined {
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
      return new Cron(schedule.expression, { timezone, paused: true }).nextRun(after) ?? undefined;
  }
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
