import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { atExpression, toEventBridgeExpression } from '../../../agent/aws/eventbridge-schedule-expression.ts';
import { ValidationError } from '../../../agent/errors.ts';
import type { Schedule } from '../../../tools/schedule.ts';
import { scheduleExpressionProblem } from '../../fakes/scheduler-expression-rules.ts';

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
