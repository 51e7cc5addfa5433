import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { atExpression, toEventBridgeExpression } from '../../tools/eventbridge-schedule-expression.ts';
import { ValidationError } from '../../tools/errors.ts';
import type { Schedule } from '../../tools/ports/scheduler.ts';
import { parseSchedule } from '../../tools/schedule.ts';
import { cronRunsUtc, scheduleExpressionProblem } from '../stand-ins/scheduler-expression-rules.ts';

const cron = (expression: string): Schedule => ({ kind: 'cron', expression, display: `cron ${expression}` });
const every = (minutes: number): Schedule => ({ kind: 'interval', minutes, display: `every ${minutes}m` });
const convert = (schedule: Schedule) => toEventBridgeExpression(schedule, 'Europe/Lisbon');

describe('one-time schedules', () => {
  it('become at() in UTC, whole seconds', () => {
    expect(convert({ kind: 'once', at: '2099-01-01T10:00:00.000Z', display: 'once' })).toEqual({
      expression: 'at(2099-01-01T10:00:00)',
      timezone: 'UTC',
    });
    expect(convert({ kind: 'once', at: '2026-03-01T08:30:15.987+01:00', display: 'once' }).expression).toBe('at(2026-03-01T07:30:15)');
  });

  it('rejects an unreadable instant', () => {
    expect(() => atExpression(new Date('nope'))).toThrow(ValidationError);
  });
});

describe('intervals', () => {
  it.each([
    [1, 'rate(1 minute)'],
    [30, 'rate(30 minutes)'],
    [60, 'rate(1 hour)'],
    [90, 'rate(90 minutes)'],
    [120, 'rate(2 hours)'],
    [1440, 'rate(1 day)'],
    [2160, 'rate(36 hours)'],
    [10_080, 'rate(7 days)'],
  ])('%i minutes → %s', (minutes, expression) => {
    expect(convert(every(minutes))).toEqual({ expression, timezone: 'UTC' });
  });

  it.each([0, -5, 1.5])('rejects %s minutes', (minutes) => {
    expect(() => convert(every(minutes))).toThrow(ValidationError);
  });
});

describe('cron', () => {
  it('adds the year, uses ? for the unrestricted day field and keeps the configured zone', () => {
    expect(convert(cron('0 9 * * *'))).toEqual({ expression: 'cron(0 9 * * ? *)', timezone: 'Europe/Lisbon' });
    expect(convert(cron('0 9 1 * *')).expression).toBe('cron(0 9 1 * ? *)');
    expect(convert(cron('0 9 1,15 * ?')).expression).toBe('cron(0 9 1,15 * ? *)');
    expect(convert(cron('0 9 L * *')).expression).toBe('cron(0 9 L * ? *)');
    expect(convert(cron('0 9 * * 1-5')).expression).toBe('cron(0 9 ? * 2-6 *)');
  });

  it.each([
    ['0', '1'],
    ['7', '1'],
    ['6', '7'],
    ['1-5', '2-6'],
    ['0,6', '1,7'],
    ['5-7', '1,6-7'],
    ['0-6', '1-7'],
    ['*/2', '1,3,5,7'],
    ['1-5/2', '2,4,6'],
    ['1,3-4', '2,4-5'],
  ])('renumbers weekday %s as %s (Sunday = 1)', (field, expected) => {
    expect(convert(cron(`0 9 * * ${field}`)).expression).toBe(`cron(0 9 ? * ${expected} *)`);
  });

  it.each(['1-5', '0,6', '5-7', '*/2', '1-5/2', '0', '7', '2,4-6', '*/3'])('fires on the same weekdays as croner for %s', (field) => {
    const converted = /^cron\(\S+ \S+ \? \* (\S+) \*\)$/.exec(convert(cron(`0 12 * * ${field}`)).expression)![1]!;
    expect(awsWeekdays(converted)).toEqual(cronerWeekdays(field));
  });

  it('passes weekday and month names through, uppercased', () => {
    expect(convert(cron('0 9 * * mon-fri')).expression).toBe('cron(0 9 ? * MON-FRI *)');
    expect(convert(cron('0 9 * jan,jul sun')).expression).toBe('cron(0 9 ? JAN,JUL SUN *)');
    expect(convert(cron('0 9 * * fri#2')).expression).toBe('cron(0 9 ? * FRI#2 *)');
  });

  it('renumbers the nth and last weekday of the month', () => {
    expect(convert(cron('0 9 * * 5#2')).expression).toBe('cron(0 9 ? * 6#2 *)');
    expect(convert(cron('0 9 * * 5L')).expression).toBe('cron(0 9 ? * 6L *)');
  });

  it('writes wildcard steps from the first value, as EventBridge documents them', () => {
    expect(convert(cron('*/15 */2 */3 */2 *')).expression).toBe('cron(0/15 0/2 1/3 1/2 ? *)');
    expect(convert(cron('5,35 8-17/3 * * 1-5')).expression).toBe('cron(5,35 8-17/3 ? * 2-6 *)');
  });

  it('refuses a day of the month combined with a day of the week, saying why', () => {
    expect(() => convert(cron('0 9 1 * 1'))).toThrow(ValidationError);
    expect(() => convert(cron('0 9 1-7 * mon'))).toThrow(/cannot combine/);
  });

  it('reads ? in minutes, hours and month as * (as croner does), the only form EventBridge takes there', () => {
    expect(convert(cron('? ? * ? *')).expression).toBe('cron(* * * * ? *)');
  });

  it.each([
    ['0 9 * * 1#1,3#3', /"1#1" \(an nth or last weekday of the month\) must be the only entry of the weekday field/],
    ['0 9 * * 1,5L', /"5L" .* must be the only entry/],
    ['0 9 1,L * *', /day of the month "1,L" is not supported/],
    ['0 9 LW * *', /day of the month "LW" is not supported/],
    ['0 9 L-2 * *', /day of the month "L-2" is not supported/],
    ['0 9 1W,15 * *', /day of the month "1W,15" is not supported/],
  ])('refuses %s, which EventBridge rejects, with the reason', (expression, message) => {
    expect(() => convert(cron(expression))).toThrow(message);
  });

  it('refuses what it cannot express', () => {
    expect(() => convert(cron('0 9 * *'))).toThrow(ValidationError);
    expect(() => convert(cron('0 9 * * mon-fri/2'))).toThrow(ValidationError);
    expect(() => convert(cron('0 9 * * mon-5'))).toThrow(ValidationError);
    expect(() => convert(cron('0 9 * * 9'))).toThrow(ValidationError);
  });

  it.each(['0 9 * * *', '*/5 * * * *', '0 9 * * 1-5', '0 0 1 */3 *', '30 6 * * 5-7', '0 12 * * */2', '0 8 L * *', '0 9 * * 5#2', '0 9 * dec sat'])(
    'produces an expression EventBridge accepts for %s',
    (expression) => {
      expect(scheduleExpressionProblem(convert(cron(expression)).expression)).toBeUndefined();
    },
  );
});

/** The weekdays (0 = Sunday) a standard 5-field cron fires on, according to croner. */
function cronerWeekdays(field: string): number[] {
  const runs = new Cron(`0 12 * * ${field}`, { timezone: 'UTC', paused: true }).nextRuns(14, new Date(Date.UTC(2023, 0, 1)));
  return [...new Set(runs.map((run) => run.getUTCDay()))].sort();
}

/** The weekdays (0 = Sunday) an EventBridge day-of-week list of numbers and ranges (1 = Sunday) selects. */
function awsWeekdays(field: string): number[] {
  const days = field.split(',').flatMap((item) => {
    const [from, to = from] = item.split('-').map(Number) as [number, number?];
    return Array.from({ length: to - from + 1 }, (_, offset) => from + offset - 1);
  });
  return [...new Set(days)].sort();
}

describe('the documented ScheduleExpression grammar (the fake\'s rules)', () => {
  it.each([
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 9 ? * 6L *)',
    'cron(0 9 ? * L *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 3W * ? *)',
    'cron(0 9 1-15/2 JAN,JUL ? 2026-2030)',
    'rate(1 minute)',
    'rate(5 days)',
    'at(2026-03-21T09:00:00)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['cron(0 9 ? * 2#1,4#3 *)', 'day-of-week allows only one "#" expression, not "2#1,4#3"'],
    ['cron(0 9 ? * 3#1,6 *)', 'day-of-week allows only one "#" expression, not "3#1,6"'],
    ['cron(0 9 ? * 2#6 *)', 'day-of-week has an invalid instance in "2#6"'],
    ['cron(0 9 32W * ? *)', 'day-of-month has a value out of range: "32"'],
    ['cron(0 9 0W * ? *)', 'day-of-month has a value out of range: "0"'],
    ['cron(0 9 1,L * ? *)', 'day-of-month takes "L" or "nW" only on their own, not "1,L"'],
    ['cron(0 9 LW * ? *)', 'day-of-month takes "L" or "nW" only on their own, not "LW"'],
    ['cron(0 9 * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 9 ? * ? *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(? 9 * * ? *)', 'minutes has an invalid value "?"'],
    ['cron(0 24 * * ? *)', 'hours has a value out of range: "24"'],
    ['cron(0 9 ? * 1/2 *)', 'day-of-week has an invalid step in "1/2"'],
    ['cron(0 9 ? * 0 *)', 'day-of-week has a value out of range: "0"'],
    ['cron(0 9 ? * FRI-MON *)', 'day-of-week has a range that runs backwards in "FRI-MON"'],
    ['cron(0 9 * * ? 1969)', 'year has a value out of range: "1969"'],
    ['cron(0 9 * * ?)', 'cron() takes six fields: minutes hours day-of-month month day-of-week year'],
    ['rate(0 minutes)', 'rate() needs a positive value'],
    ['rate(2 weeks)', 'rate() takes "value unit" with unit minute(s), hour(s) or day(s)'],
    ['at(2026-02-30T09:00:00)', 'at() names a date and time that does not exist'],
  ])('rejects %s', (expression, problem) => {
    expect(scheduleExpressionProblem(expression)).toBe(problem);
  });

  it('evaluates the documented wildcards', () => {
    const after = new Date('2026-01-01T00:00:00.000Z');
    const days = (expression: string, count = 3) => cronRunsUtc(expression, after, count).map((run) => run.toISOString().slice(0, 10));
    expect(days('cron(0 9 ? * 3#2 *)')).toEqual(['2026-01-13', '2026-02-10', '2026-03-10']);
    expect(days('cron(0 9 ? * 6L *)')).toEqual(['2026-01-30', '2026-02-27', '2026-03-27']);
    expect(days('cron(0 9 L * ? *)')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    // 2026-02-01 is a Sunday (nearest weekday Monday the 2nd); 2026-08-01 a Saturday (Monday the 3rd, within the month).
    expect(days('cron(0 9 1W * ? *)', 8)).toEqual(['2026-01-01', '2026-02-02', '2026-03-02', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-03']);
  });
});

describe('every cron the tool accepts converts to an expression EventBridge accepts, firing at the same times', () => {
  // Day fields in every combination; minute, hour and month forms (independent of the days) on their own.
  const DAYS = ['*', '?', '1', '1,15', 'L', '15W', '1W', 'LW', '1,L', '*/10', '10-20', '31'];
  const MONTHS = ['*', 'jan,jul', '*/4'];
  const WEEKDAYS = ['*', '?', '1-5', '0', '7', 'mon-fri', '5#2', 'fri#5', '5L', '1#1,3#3', '*/2', 'sat,sun', '1,5L', '5-7'];
  const TIMES = ['0 9', '5,35-45/10 8-17/3', '*/15 *', '0-30/10 */6', '? ?'];
  const expressions = [
    ...DAYS.flatMap((d) => MONTHS.flatMap((mo) => WEEKDAYS.map((w) => `5,35-45/10 8-17/3 ${d} ${mo} ${w}`))),
    ...TIMES.flatMap((time) => ['*', 'jan,jul', '*/4', '2', '?', 'mar-may'].map((month) => `${time} * ${month} ?`)),
  ];
  const after = new Date('2026-03-20T10:00:00.000Z');
  const horizon = new Date('2051-01-01T00:00:00.000Z');

  it(`holds for all ${expressions.length} combinations (or the tool refuses them on every backend)`, () => {
    let converted = 0;
    let refused = 0;
    for (const expression of expressions) {
      let croner: Cron;
      try {
        croner = new Cron(expression, { timezone: 'UTC', paused: true });
      } catch {
        continue;
      }
      const expected = croner.nextRuns(12, after);
      if (expected.length === 0) continue;
      let parsed: Schedule | undefined;
      try {
        parsed = parseSchedule(expression, after, 'UTC');
      } catch (error) {
        expect(error, expression).toBeInstanceOf(ValidationError);
      }
      if (!parsed) {
        expect(() => convert(cron(expression)), expression).toThrow(ValidationError);
        refused++;
        continue;
      }
      const { expression: aws } = toEventBridgeExpression(parsed, 'UTC');
      expect(scheduleExpressionProblem(aws), `${expression} → ${aws}`).toBeUndefined();
      // Rare schedules (a fifth Friday in February) are compared over the next 25 years.
      const within = (runs: Date[]) => runs.filter((run) => run < horizon).map((run) => run.toISOString());
      expect(within(cronRunsUtc(aws, after, 12)), `${expression} → ${aws}`).toEqual(within(expected));
      converted++;
    }
    expect(converted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
