/**
 * EventBridge Scheduler's ScheduleExpression grammar, written from the documentation alone (never from the project's
 * converter), so the fake rejects what the service rejects and tests can check the converter's output against it.
 *
 * Sources, checked 2026-12-01:
 * - EventBridge Scheduler User Guide, "Schedule types": at(yyyy-mm-ddThh:mm:ss), rate(value unit) with unit
 *   minute(s) | hour(s) | day(s), cron(minutes hours day-of-month month day-of-week year).
 * - EventBridge User Guide, "Cron expressions reference": per-field values and wildcards
 *   (minutes 0-59 `, - * /`; hours 0-23 `, - * /`; day-of-month 1-31 `, - * ? / L W`; month 1-12 or JAN-DEC
 *   `, - * /`; day-of-week 1-7 or SUN-SAT `, - * ? L #`; year 1970-2199 `, - * /`), "you can't use * in both the
 *   day-of-month and day-of-week fields; if you use it in one, you must use ? in the other", "3W" is the weekday
 *   nearest the 3rd, "3#2" the second Tuesday, and "if you use the '#' character, you can define only one expression
 *   in the day-of-week field; '3#1,6#3' is not valid".
 * Where the guide is silent the syntax it derives from (Quartz) decides: `L`, `nW` and `nL` stand alone and a weekday
 * before `L` or `#` is one value. Ranges must run upwards: the guide shows no other kind (an assumption; croner refuses
 * backward ranges anyway, so the converter never sends one). `LW` and `L-n` are not in the guide and are rejected.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  if (expression.startsWith('at(')) return atProblem(expression);
  if (expression.startsWith('rate(')) return rateProblem(expression);
  if (expression.startsWith('cron(')) return parseCron(expression).problem;
  return 'the expression must be at(), rate() or cron()';
}

function atProblem(expression: string): string | undefined {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!match) return 'at() takes yyyy-mm-ddThh:mm:ss';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return roundTrips ? undefined : 'at() names a date and time that does not exist';
}

function rateProblem(expression: string): string | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return 'rate() takes "value unit" with unit minute(s), hour(s) or day(s)';
  const value = Number(match[1]);
  if (value < 1) return 'rate() needs a positive value';
  const plural = match[2]!.endsWith('s');
  if (plural !== value > 1) return 'rate() needs a singular unit for 1 and a plural unit otherwise';
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Range {
  min: number;
  max: number;
  names?: string[];
}

const MINUTES: Range = { min: 0, max: 59 };
const HOURS: Range = { min: 0, max: 23 };
const DAYS: Range = { min: 1, max: 31 };
const MONTH: Range = { min: 1, max: 12, names: MONTHS };
const WEEKDAY: Range = { min: 1, max: 7, names: WEEKDAYS };
const YEARS: Range = { min: 1970, max: 2199 };

/** A day field as the service reads it. */
type DayRule =
  | { kind: 'any' }
  | { kind: 'set'; values: Set<number> }
  | { kind: 'last' }
  | { kind: 'nearestWeekday'; day: number }
  | { kind: 'lastWeekday'; weekday: number }
  | { kind: 'nth'; weekday: number; nth: number };

export interface ParsedCron {
  minutes: Set<number>;
  hours: Set<number>;
  dayOfMonth: DayRule;
  months: Set<number>;
  dayOfWeek: DayRule;
  years: Set<number>;
}

class GrammarError extends Error {}

function parseCron(expression: string): { cron?: ParsedCron; problem?: string } {
  const match = /^cron\((.*)\)$/.exec(expression);
  const fields = match ? match[1]!.trim().split(/\s+/) : [];
  if (fields.length !== 6) return { problem: 'cron() takes six fields: minutes hours day-of-month month day-of-week year' };
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  const questions = [dayOfMonth, dayOfWeek].filter((field) => field === '?').length;
  if (questions !== 1) return { problem: 'exactly one of day-of-month and day-of-week must be "?"' };
  try {
    const cron: ParsedCron = {
      minutes: field('minutes', () => values(minutes, MINUTES, true)),
      hours: field('hours', () => values(hours, HOURS, true)),
      dayOfMonth: field('day-of-month', () => dayOfMonthRule(dayOfMonth)),
      months: field('month', () => values(month, MONTH, true)),
      dayOfWeek: field('day-of-week', () => dayOfWeekRule(dayOfWeek)),
      years: field('year', () => values(year, YEARS, true)),
    };
    return { cron };
  } catch (error) {
    if (error instanceof GrammarError) return { problem: error.message };
    throw error;
  }
}

/** Prefixes a field's grammar error with the field's name. */
function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof GrammarError) throw new GrammarError(`${name} ${error.message}`);
    throw error;
  }
}

function dayOfMonthRule(field: string): DayRule {
  if (field === '?' || field === '*') return { kind: 'any' };
  if (field === 'L') return { kind: 'last' };
  const nearest = /^(\d+)W$/.exec(field);
  if (nearest) return { kind: 'nearestWeekday', day: number(nearest[1]!, DAYS) };
  if (/[LW]/.test(field)) throw new GrammarError(`takes "L" or "nW" only on their own, not "${field}"`);
  return { kind: 'set', values: values(field, DAYS, true) };
}

function dayOfWeekRule(field: string): DayRule {
  if (field === '?' || field === '*') return { kind: 'any' };
  if (field === 'L') return { kind: 'set', values: new Set([7]) };
  if (field.includes('#')) {
    const nth = /^([^,#]+)#(\d)$/.exec(field);
    if (!nth) throw new GrammarError(`allows only one "#" expression, not "${field}"`);
    const count = Number(nth[2]);
    if (count < 1 || count > 5) throw new GrammarError(`has an invalid instance in "${field}"`);
    return { kind: 'nth', weekday: number(nth[1]!, WEEKDAY), nth: count };
  }
  const last = /^([^,L]+)L$/.exec(field);
  if (last) return { kind: 'lastWeekday', weekday: number(last[1]!, WEEKDAY) };
  if (field.includes('L')) throw new GrammarError(`takes "L" only on its own or after one weekday, not "${field}"`);
  return { kind: 'set', values: values(field, WEEKDAY, false) };
}

/** A list of `*`, values and ranges, each optionally with `/step` where the field allows increments. */
function values(field: string, range: Range, steps: boolean): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const [base, step, ...extra] = item.split('/');
    if (extra.length > 0) throw new GrammarError(`has an invalid step in "${item}"`);
    if (step !== undefined && (!steps || !/^\d+$/.test(step) || Number(step) < 1)) throw new GrammarError(`has an invalid step in "${item}"`);
    let from: number;
    let to: number;
    if (base === '*') {
      from = range.min;
      to = range.max;
    } else {
      const bounds = base!.split('-');
      if (bounds.length > 2) throw new GrammarError(`has an invalid range in "${item}"`);
      from = number(bounds[0]!, range);
      to = bounds.length === 2 ? number(bounds[1]!, range) : step === undefined ? from : range.max;
      if (to < from) throw new GrammarError(`has a range that runs backwards in "${item}"`);
    }
    for (let value = from; value <= to; value += step === undefined ? 1 : Number(step)) out.add(value);
  }
  return out;
}

function number(text: string, range: Range): number {
  const named = range.names?.indexOf(text) ?? -1;
  if (named >= 0) return named + range.min;
  if (!/^\d+$/.test(text)) throw new GrammarError(`has an invalid value "${text}"`);
  const value = Number(text);
  if (value < range.min || value > range.max) throw new GrammarError(`has a value out of range: "${text}"`);
  return value;
}

/**
 * The next `count` runs of a valid cron() expression after `after`, evaluated in UTC with the documented meanings
 * (weekdays 1-7 from Sunday, `L` last day, `nW` nearest weekday within the month, `d#n` nth weekday, `dL` last one).
 */
export function cronRunsUtc(expression: string, after: Date, count: number): Date[] {
  const { cron, problem } = parseCron(expression);
  if (!cron) throw new Error(`not a valid cron(): ${problem}`);
  const runs: Date[] = [];
  const start = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate());
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  for (let day = 0; day < 366 * 30 && runs.length < count; day++) {
    const date = new Date(start + day * 86_400_000);
    if (!cron.years.has(date.getUTCFullYear()) || !cron.months.has(date.getUTCMonth() + 1)) continue;
    if (!dayMatches(cron.dayOfMonth, date, 'month') || !dayMatches(cron.dayOfWeek, date, 'week')) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const run = new Date(date.getTime() + hour * 3_600_000 + minute * 60_000);
        if (run > after && runs.length < count) runs.push(run);
      }
    }
  }
  return runs;
}

function dayMatches(rule: DayRule, date: Date, field: 'month' | 'week'): boolean {
  const day = date.getUTCDate();
  const weekday = date.getUTCDay() + 1;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  switch (rule.kind) {
    case 'any':
      return true;
    case 'set':
      return rule.values.has(field === 'month' ? day : weekday);
    case 'last':
      return day === lastDay;
    case 'nearestWeekday':
      return day === nearestWeekday(rule.day, date, lastDay);
    case 'lastWeekday':
      return weekday === rule.weekday && day + 7 > lastDay;
    case 'nth':
      return weekday === rule.weekday && Math.ceil(day / 7) === rule.nth;
  }
}

/** The weekday nearest `target` without leaving the month (a Saturday 1st moves to Monday the 3rd). */
function nearestWeekday(target: number, date: Date, lastDay: number): number | undefined {
  if (target > lastDay) return undefined;
  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), target)).getUTCDay();
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === lastDay ? target - 2 : target + 1;
  return target;
}
