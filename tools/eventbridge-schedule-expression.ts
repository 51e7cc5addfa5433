import { Cron } from 'croner';
import { ValidationError } from './errors.ts';
import type { Schedule } from './ports/scheduler.ts';

export interface EventBridgeExpression {
  expression: string;
  /** The `ScheduleExpressionTimezone` the expression is evaluated in. */
  timezone: string;
}

const RATE_UNITS = [
  { minutes: 1440, unit: 'day' },
  { minutes: 60, unit: 'hour' },
  { minutes: 1, unit: 'minute' },
] as const;

const WEEKDAY_NAMES = /^[A-Z]{3}(-[A-Z]{3})?$/;
const NAMED_WEEKDAY_IN_MONTH = /^[A-Z]{3}(L|#[1-5])$/;
const NUMBERED_WEEKDAY_IN_MONTH = /^([0-7])(L|#[1-5])$/;
/** A Sunday: seven runs from here visit every weekday once. */
const WEEK_START = Date.UTC(2023, 0, 1);

export function toEventBridgeExpression(schedule: Schedule, timezone: string): EventBridgeExpression {
  switch (schedule.kind) {
    case 'once':
      // The instant is already absolute, so it is written in UTC rather than converted to the user's zone.
      return { expression: atExpression(new Date(schedule.at)), timezone: 'UTC' };
    case 'interval':
      // rate() ignores the zone; UTC keeps the stored definition free of irrelevant settings.
      return { expression: rateExpression(schedule.minutes), timezone: 'UTC' };
    case 'cron':
      return { expression: cronExpression(schedule.expression), timezone };
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)` for an instant, read in UTC. */
export function atExpression(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new ValidationError('The one-time schedule has an invalid time.');
  return `at(${at.toISOString().slice(0, 19)})`;
}

function rateExpression(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new ValidationError(`An interval must be a whole number of minutes, at least 1 (got ${minutes}).`);
  }
  const { minutes: size, unit } = RATE_UNITS.find((candidate) => minutes % candidate.minutes === 0)!;
  const count = minutes / size;
  return `rate(${count} ${unit}${count === 1 ? '' : 's'})`;
}

/**
 * Standard cron is `min hour dom month dow`; EventBridge adds a year field, numbers weekdays 1-7 from Sunday,
 * and requires `?` in exactly one of the two day fields. Forms EventBridge rejects are refused here with the reason,
 * so the user never sees the service's ValidationException (rules: EventBridge "Cron expressions reference",
 * checked 2026-12-01: `#` allows one expression in the weekday field; `L` and `W` stand alone).
 */
function cronExpression(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new ValidationError(`Cron "${expression}" must have 5 fields (minute hour day month weekday).`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const anyDayOfMonth = isAny(dayOfMonth);
  const anyDayOfWeek = isAny(dayOfWeek);
  if (!anyDayOfMonth && !anyDayOfWeek) {
    throw new ValidationError(
      `Cron "${expression}" restricts both the day of the month and the day of the week. EventBridge Scheduler cannot combine the two; ` +
        'restrict only one of them (for example "0 9 1 * *" or "0 9 * * 1"), or create two jobs.',
    );
  }
  const dom = anyDayOfWeek ? (anyDayOfMonth ? '*' : daysOfMonth(dayOfMonth.toUpperCase(), expression)) : '?';
  const dow = anyDayOfWeek ? '?' : weekdays(dayOfWeek.toUpperCase(), expression);
  return `cron(${plain(minute, 0)} ${plain(hour, 0)} ${dom} ${plain(month.toUpperCase(), 1)} ${dow} *)`;
}

/** Minutes, hours and months: croner reads `?` as `*`, which is what EventBridge takes there. */
function plain(field: string, first: number): string {
  return field === '?' ? '*' : startSteps(field, first);
}

/** `L` (last day) and `nW` (weekday nearest day n) are accepted only on their own, as EventBridge documents them. */
function daysOfMonth(field: string, expression: string): string {
  if (!/[LW]/.test(field)) return startSteps(field, 1);
  const nearestWeekday = /^(\d{1,2})W$/.exec(field);
  if (field === 'L' || (nearestWeekday && Number(nearestWeekday[1]) >= 1 && Number(nearestWeekday[1]) <= 31)) return field;
  throw new ValidationError(
    `Cron "${expression}": the day of the month "${field}" is not supported. Use "L" (last day) or one "nW" (weekday nearest day n, ` +
      'e.g. "15W") on its own, without a list or range.',
  );
}

function isAny(field: string): boolean {
  return field === '*' || field === '?';
}

/** `*\/15` becomes `0/15`: the same times, in the form the EventBridge documentation uses. */
function startSteps(field: string, first: number): string {
  return field
    .split(',')
    .map((item) => (item.startsWith('*/') ? `${first}${item.slice(1)}` : item))
    .join(',');
}

/**
 * Numeric weekdays are expanded to the days croner fires on (croner computes `nextRunAt`, so both agree,
 * including 7 as Sunday and steps, which EventBridge does not accept in this field) and renumbered 1-7 from Sunday.
 * Names mean the same in both dialects and pass through.
 */
function weekdays(field: string, expression: string): string {
  const items = field.split(',');
  const special = items.find((item) => item.includes('#') || item.endsWith('L'));
  if (special !== undefined && items.length > 1) {
    throw new ValidationError(
      `Cron "${expression}": "${special}" (an nth or last weekday of the month) must be the only entry of the weekday field. ` +
        'Create one job per weekday instead (for example "0 9 * * 1#1" and "0 9 * * 3#3").',
    );
  }
  const days = new Set<number>();
  const named: string[] = [];
  for (const item of items) {
    const inMonth = NUMBERED_WEEKDAY_IN_MONTH.exec(item);
    if (inMonth) named.push(`${(Number(inMonth[1]) % 7) + 1}${inMonth[2]}`);
    else if (WEEKDAY_NAMES.test(item) || NAMED_WEEKDAY_IN_MONTH.test(item)) named.push(item);
    else if (/^[\d*/-]+$/.test(item)) for (const day of cronerWeekdays(item, expression)) days.add(day + 1);
    else throw new ValidationError(`Cron "${expression}": the weekday "${item}" cannot be expressed for EventBridge Scheduler.`);
  }
  return [...runs([...days].sort((a, b) => a - b)), ...named].join(',');
}

function cronerWeekdays(item: string, expression: string): number[] {
  try {
    const cron = new Cron(`0 0 * * ${item}`, { timezone: 'UTC', paused: true });
    return cron.nextRuns(7, new Date(WEEK_START - 1)).map((run) => run.getUTCDay());
  } catch (error) {
    throw new ValidationError(`Cron "${expression}": invalid weekday "${item}" (${(error as Error).message}).`);
  }
}

/** [1,2,3,5] → ["1-3", "5"] */
function runs(sorted: number[]): string[] {
  const out: string[] = [];
  let start = sorted[0];
  for (let index = 0; index < sorted.length; index++) {
    const day = sorted[index]!;
    if (sorted[index + 1] === day + 1) continue;
    out.push(start === day ? `${day}` : `${start}-${day}`);
    start = sorted[index + 1];
  }
  return out;
}
