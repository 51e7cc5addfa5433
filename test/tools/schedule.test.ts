import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../tools/errors.ts';
import type { Schedule } from '../../tools/ports/scheduler.ts';
import { toEventBridgeExpression } from '../../tools/eventbridge-schedule-expression.ts';
import { nextRunAfter, parseSchedule, SCHEDULE_HELP } from '../../tools/schedule.ts';

/** Friday 2026-03-20 10:00 UTC = 11:00 in Berlin (CET, UTC+1). Berlin moves to CEST (UTC+2) on 2026-03-29 at 01:00 UTC. */
const NOW = new Date('2026-03-20T10:00:00.000Z');
const BERLIN = 'Europe/Berlin';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

function parseError(input: string, timezone = 'UTC', now = NOW): ValidationError {
  let parsed: Schedule;
  try {
    parsed = parseSchedule(input, now, timezone);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`parseSchedule(${JSON.stringify(input)}) did not fail; it returned ${JSON.stringify(parsed)}`);
}

describe('parseSchedule: one-shot delays', () => {
  it.each([
    ['30m', '2026-03-20T10:30:00.000Z', 'once in 30m'],
    ['in 2h', '2026-03-20T12:00:00.000Z', 'once in 2h'],
    ['1d', '2026-03-21T10:00:00.000Z', 'once in 1d'],
    ['in 90 min', '2026-03-20T11:30:00.000Z', 'once in 90m'],
    ['5 minutes', '2026-03-20T10:05:00.000Z', 'once in 5m'],
    ['IN 3 Hours', '2026-03-20T13:00:00.000Z', 'once in 3h'],
    ['  45m  ', '2026-03-20T10:45:00.000Z', 'once in 45m'],
  ])('%j fires once, that far from now', (input, expectedAt, display) => {
    expect(parseSchedule(input, NOW, BERLIN)).toEqual({ kind: 'once', at: expectedAt, display });
  });
});

describe('parseSchedule: intervals', () => {
  it.each([
    ['every 30m', 30, 'every 30m'],
    ['every 2 hours', 120, 'every 2h'],
    ['every 1 day', 1440, 'every 1d'],
    ['every 90m', 90, 'every 90m'],
    ['Every 2H', 120, 'every 2h'],
    ['every 525600m', 525_600, 'every 365d'],
  ])('%j repeats every %i minutes', (input, minutes, display) => {
    expect(parseSchedule(input, NOW, 'UTC')).toEqual({ kind: 'interval', minutes, display });
  });
});

describe('parseSchedule: cron expressions', () => {
  it('keeps a valid 5-field expression as given', () => {
    expect(parseSchedule('0 9 * * 1-5', NOW, BERLIN)).toEqual({ kind: 'cron', expression: '0 9 * * 1-5', display: 'cron 0 9 * * 1-5' });
  });

  it('accepts weekday names, lists and steps', () => {
    expect(parseSchedule('*/15 8-17 * * MON-FRI', NOW, 'UTC')).toMatchObject({ kind: 'cron', expression: '*/15 8-17 * * MON-FRI' });
    expect(parseSchedule('0 18 1,15 * *', NOW, 'UTC')).toMatchObject({ kind: 'cron' });
  });
});

describe('parseSchedule: the forms Hermes accepts', () => {
  it.each([
    ['30 mins', { kind: 'once', at: '2026-03-20T10:30:00.000Z', display: 'once in 30m' }],
    ['2 hrs', { kind: 'once', at: '2026-03-20T12:00:00.000Z', display: 'once in 2h' }],
    ['1 hr', { kind: 'once', at: '2026-03-20T11:00:00.000Z', display: 'once in 1h' }],
    ['every 5 mins', { kind: 'interval', minutes: 5, display: 'every 5m' }],
    ['every 2 hrs', { kind: 'interval', minutes: 120, display: 'every 2h' }],
    ['2026-03-21 09:00', { kind: 'once', at: '2026-03-21T08:00:00.000Z', display: 'once at 2026-03-21 09:00' }],
    ['2026-03-21 09:00:30', { kind: 'once', at: '2026-03-21T08:00:30.000Z', display: 'once at 2026-03-21 09:00:30' }],
    ['2026-03-21', { kind: 'once', at: '2026-03-20T23:00:00.000Z', display: 'once at 2026-03-21' }],
  ])('%j', (input, expected) => {
    expect(parseSchedule(input, NOW, BERLIN)).toEqual(expected);
  });

  it('reads a one-time wall-clock time around a DST switch as Python does: a skipped time moves forward by the gap, a repeated one is the first', () => {
    expect(parseSchedule('2026-03-29 02:30', NOW, BERLIN)).toMatchObject({ at: '2026-03-29T01:30:00.000Z' });
    expect(parseSchedule('2026-10-25 02:30', NOW, BERLIN)).toMatchObject({ at: '2026-10-25T00:30:00.000Z' });
  });

  it('refuses an impossible or past date in those forms too', () => {
    expect(parseError('2026-02-30', BERLIN).message).toMatch(/Invalid ISO time/);
    expect(parseError('2026-03-20', BERLIN).message).toMatch(/"2026-03-20" is in the past/);
    expect(parseError('2026-03-21 25:00', BERLIN).message).toMatch(/Invalid ISO time/);
  });
});

describe('parseSchedule: Hermes\' bare units (parse_duration reads a missing number as 1)', () => {
  it.each([
    ['every hour', { kind: 'interval', minutes: 60, display: 'every 1h' }],
    ['every day', { kind: 'interval', minutes: 1440, display: 'every 1d' }],
    ['every minute', { kind: 'interval', minutes: 1, display: 'every 1m' }],
    ['Every Hours', { kind: 'interval', minutes: 60, display: 'every 1h' }],
    ['every mins', { kind: 'interval', minutes: 1, display: 'every 1m' }],
    ['in hour', { kind: 'once', at: '2026-03-20T11:00:00.000Z', display: 'once in 1h' }],
    ['in day', { kind: 'once', at: '2026-03-21T10:00:00.000Z', display: 'once in 1d' }],
  ])('%j', (input, expected) => {
    expect(parseSchedule(input, NOW, BERLIN)).toEqual(expected);
  });
});

describe('parseSchedule: Hermes\' day-and-time phrases (_natural_every_to_cron) are cron', () => {
  it.each([
    ['every monday 9am', '0 9 * * 1'],
    ['every monday at 9am', '0 9 * * 1'],
    ['every Monday 9:30 PM', '30 21 * * 1'],
    ['every mon, wed and fri at 7', '0 7 * * 1,3,5'],
    ['every day at 9am', '0 9 * * *'],
    ['every day 9am', '0 9 * * *'],
    ['every daily at noon', '0 12 * * *'],
    ['every everyday midnight', '0 0 * * *'],
    ['every weekend 10am', '0 10 * * 0,6'],
    ['every tues 12am', '0 0 * * 2'],
    ['every thurs 12pm', '0 12 * * 4'],
    ['every weds midday', '0 12 * * 3'],
    ['every saturday at 0:05', '5 0 * * 6'],
    ['every mon mon 9', '0 9 * * 1'],
    ['weekdays at 9am', '0 9 * * 1-5'],
    ['weekday 8:15am', '15 8 * * 1-5'],
    ['weekends at 10', '0 10 * * 0,6'],
    ['daily 9 am', '0 9 * * *'],
    ['monday at 9 am', '0 9 * * 1'],
    ['mon and thu at 17:45', '45 17 * * 1,4'],
    ['friday at 5:30pm', '30 17 * * 5'],
  ])('%j is cron %j, shown as written', (input, expression) => {
    expect(parseSchedule(input, NOW, BERLIN)).toEqual({ kind: 'cron', expression, display: input });
  });

  it('runs them in the configured zone, and EventBridge Scheduler can take them', () => {
    const weekdays = parseSchedule('weekdays at 9am', NOW, BERLIN);
    // Friday 11:00 in Berlin: the next weekday 09:00 is Monday's.
    expect(iso(nextRunAfter(weekdays, { after: NOW, timezone: BERLIN }))).toBe('2026-03-23T08:00:00.000Z');
    expect(toEventBridgeExpression(parseSchedule('every weekend 10am', NOW, BERLIN), BERLIN)).toEqual({ expression: 'cron(0 10 ? * 1,7 *)', timezone: BERLIN });
  });

  it.each([
    ['every tuesday', /Invalid interval "tuesday"/],
    ['every sat 13pm', /Invalid interval "sat 13pm"/],
    ['every sun 24', /Invalid interval/],
    ['every fri 23:60', /Invalid interval/],
    ['every monday and', /Invalid interval/],
    ['every day at', /Invalid interval "day at"/],
    ['every 9am', /Invalid interval "9am"/],
    ['at 9am', /Unrecognized schedule "at 9am"/],
  ])('refuses %j, as Hermes does', (input, message) => {
    expect(parseError(input).message).toMatch(message);
  });
});

describe('parseSchedule: the ISO forms Python\'s datetime.fromisoformat reads for Hermes', () => {
  it.each([
    ['2026-03-21 09:00:00+02:00', '2026-03-21T07:00:00.000Z'],
    ['2026-03-21 09:00+02:00', '2026-03-21T07:00:00.000Z'],
    ['2026-03-21T09+02', '2026-03-21T07:00:00.000Z'],
    ['2026-03-21 09:00:00-0530', '2026-03-21T14:30:00.000Z'],
    ['2026-03-21T09:00:00.250Z', '2026-03-21T09:00:00.250Z'],
    ['2026-03-21T09', '2026-03-21T08:00:00.000Z'],
    ['2026-03-21 09', '2026-03-21T08:00:00.000Z'],
    ['2026-03-21t09:00', '2026-03-21T08:00:00.000Z'],
  ])('%j is %j (without an offset, in Berlin)', (input, expectedAt) => {
    expect(parseSchedule(input, NOW, BERLIN)).toEqual({ kind: 'once', at: expectedAt, display: `once at ${input}` });
  });

  it.each(['2026-03-21T24', '2026-03-21 09:00:60', '2026-03-21T9:00', '2026-03-21  09:00', '2026-03-21T09:00+24:00'])('refuses %j', (input) => {
    expect(parseError(input, BERLIN).message).toMatch(/Invalid ISO time|Unrecognized schedule/);
  });
});

describe('parseSchedule: a one-time job just past its time runs at once, as within Hermes\' ONESHOT_GRACE_SECONDS', () => {
  it.each([
    ['2026-03-20T09:59Z', '2026-03-20T10:01:00.000Z'],
    ['2026-03-20T09:58Z', '2026-03-20T10:01:00.000Z'],
    ['2026-03-20T10:00:00Z', '2026-03-20T10:01:00.000Z'],
    ['2026-03-20 10:59', '2026-03-20T10:01:00.000Z'],
  ])('%j runs at the next whole minute, a time EventBridge Scheduler\'s at() still takes', (input, expectedAt) => {
    const schedule = parseSchedule(input, NOW, BERLIN);
    expect(schedule).toEqual({ kind: 'once', at: expectedAt, display: `once at ${input}` });
    expect(iso(nextRunAfter(schedule, { after: NOW, timezone: BERLIN }))).toBe(expectedAt);
    expect(toEventBridgeExpression(schedule, BERLIN)).toEqual({ expression: `at(${expectedAt.slice(0, 19)})`, timezone: 'UTC' });
  });

  it('keeps at least ten seconds of lead, so the time has not passed when the scheduler receives it', () => {
    const late = new Date('2026-03-20T10:00:55.000Z');
    expect(parseSchedule('2026-03-20T10:00Z', late, 'UTC')).toMatchObject({ at: '2026-03-20T10:02:00.000Z' });
    expect(parseSchedule('2026-03-20T10:00Z', new Date('2026-03-20T10:00:49.999Z'), 'UTC')).toMatchObject({ at: '2026-03-20T10:01:00.000Z' });
  });

  it('moves a time only seconds ahead to the next whole minute too, for the same reason', () => {
    expect(parseSchedule('2026-03-20T10:01Z', new Date('2026-03-20T10:00:59.000Z'), 'UTC')).toMatchObject({ at: '2026-03-20T10:02:00.000Z' });
    expect(parseSchedule('2026-03-20T10:02Z', new Date('2026-03-20T10:00:59.000Z'), 'UTC')).toMatchObject({ at: '2026-03-20T10:02:00.000Z' });
  });
});

describe('parseSchedule: cron forms EventBridge Scheduler cannot run are refused on every backend', () => {
  it('refuses a day of the month together with a day of the week, naming the two jobs to create instead', () => {
    expect(parseError('0 9 1 * 1').message).toBe(
      'Cron "0 9 1 * 1" restricts both the day of the month and the day of the week, which cron reads as "either one". ' +
        'Restrict only one of them, or create two jobs: "0 9 1 * *" and "0 9 * * 1".',
    );
    expect(parseError('0 9 1-7 * mon', BERLIN).message).toMatch(/restricts both/);
  });

  it.each([
    ['0 9 * * 1#1,3#3', /"1#1" \(an nth or last weekday of the month\) must be the only entry of the weekday field/],
    ['0 9 * * 5L,1', /"5L" .* must be the only entry/],
    ['0 9 1,L * *', /the day of the month "1,L" is not supported/],
    ['0 9 LW * *', /the day of the month "LW" is not supported/],
  ])('refuses %j with the reason', (input, message) => {
    expect(parseError(input).message).toMatch(message);
  });

  it('accepts the forms it can convert', () => {
    for (const input of ['0 9 * * 1#1', '0 9 * * 5L', '0 9 L * *', '0 9 15W * *', '? 9 * * *']) {
      expect(parseSchedule(input, NOW, 'UTC')).toMatchObject({ kind: 'cron', expression: input });
    }
  });
});

describe('parseSchedule: ISO times', () => {
  it.each([
    ['2026-04-01T09:00Z', '2026-04-01T09:00:00.000Z'],
    ['2026-04-01T09:00+02:00', '2026-04-01T07:00:00.000Z'],
    ['2026-04-01T09:00+0200', '2026-04-01T07:00:00.000Z'],
    ['2026-04-01T09:00:00-05:00', '2026-04-01T14:00:00.000Z'],
  ])('%j with an offset is that instant whatever the time zone', (input, expectedAt) => {
    expect(parseSchedule(input, NOW, BERLIN)).toEqual({ kind: 'once', at: expectedAt, display: `once at ${input}` });
    expect(parseSchedule(input, NOW, 'UTC')).toMatchObject({ at: expectedAt });
  });

  it('reads an ISO time without offset as wall-clock time in the configured zone', () => {
    // Before the DST switch Berlin is UTC+1, after it UTC+2.
    expect(parseSchedule('2026-03-25T09:00', NOW, BERLIN)).toEqual({ kind: 'once', at: '2026-03-25T08:00:00.000Z', display: 'once at 2026-03-25T09:00' });
    expect(parseSchedule('2026-04-01T09:00', NOW, BERLIN)).toMatchObject({ at: '2026-04-01T07:00:00.000Z' });
    expect(parseSchedule('2026-04-01T09:00:30', NOW, BERLIN)).toMatchObject({ at: '2026-04-01T07:00:30.000Z' });
    expect(parseSchedule('2026-04-01T09:00', NOW, 'UTC')).toMatchObject({ at: '2026-04-01T09:00:00.000Z' });
    expect(parseSchedule('2026-03-25T09:00', NOW, 'America/New_York')).toMatchObject({ at: '2026-03-25T13:00:00.000Z' });
  });

  it('rejects a time more than the two minutes of Hermes\' ONESHOT_GRACE_SECONDS in the past', () => {
    expect(parseError('2026-03-20T09:57:59Z').message).toMatch(/"2026-03-20T09:57:59Z" is in the past \(now is 2026-03-20T10:00:00.000Z\)/);
    expect(parseError('2026-03-20T09:50Z').message).toMatch(/in the past/);
    expect(parseError('2025-12-31T23:00', BERLIN).message).toMatch(/in the past/);
  });

  it('judges "past" in the configured zone: 10:30 wall-clock is still ahead in UTC but already over in Berlin', () => {
    expect(parseSchedule('2026-03-20T10:30', NOW, 'UTC')).toMatchObject({ at: '2026-03-20T10:30:00.000Z' });
    expect(parseError('2026-03-20T10:30', BERLIN).message).toMatch(/in the past/);
  });

  it.each(['2026-13-01T09:00', '2026-04-01T25:00', '2026-04-01T09:61Z'])('rejects the impossible time %j', (input) => {
    expect(parseError(input, BERLIN).message).toMatch(/Invalid ISO time|Unrecognized schedule/);
  });

  it.each(['2026-02-30T09:00Z', '2027-02-29T09:00'])('rejects the non-existent calendar date %j', (input) => {
    const earlier = new Date('2026-02-01T00:00:00.000Z');
    expect(parseError(input, BERLIN, earlier).message).toMatch(/Invalid ISO time/);
  });
});

describe('parseSchedule: invalid input', () => {
  it.each([
    ['61 * * * *', /Invalid cron expression "61 \* \* \* \*"/],
    ['0 25 * * *', /Invalid cron expression/],
    ['0 9 * 13 *', /Invalid cron expression/],
    ['a b c d e', /Invalid cron expression/],
    ['0 0 9 * * *', /Unrecognized schedule "0 0 9 \* \* \*"/],
    ['* * * *', /Unrecognized schedule/],
    ['every 0m', /Duration "0m" must be between 1 minute and 365 days/],
    ['0m', /Duration "0m" must be between 1 minute and 365 days/],
    ['in 0h', /must be between 1 minute and 365 days/],
    ['every 366d', /must be between 1 minute and 365 days/],
    ['every 100000h', /must be between 1 minute and 365 days/],
    ['99999999999999999999m', /must be between 1 minute and 365 days/],
    ['every 1.5h', /Invalid interval "1.5h"/],
    ['every soon', /Invalid interval "soon"/],
    ['every', /Unrecognized schedule/],
    ['', /Schedule is empty/],
    ['   ', /Schedule is empty/],
    ['garbage', /Unrecognized schedule "garbage"/],
    ['tomorrow at noon', /Unrecognized schedule/],
    ['@daily', /Unrecognized schedule/],
    ['-5m', /Unrecognized schedule/],
  ])('%j is rejected', (input, message) => {
    expect(parseError(input).message).toMatch(message);
  });

  it('explains the accepted formats in format errors', () => {
    for (const input of ['garbage', '', '61 * * * *', 'every soon']) expect(parseError(input).message).toContain(SCHEDULE_HELP);
  });

  it('rejects a cron expression that can never fire', () => {
    expect(parseError('0 0 30 2 *').message).toMatch(/cron/i);
  });
});

describe('nextRunAfter', () => {
  const once = (when: string): Schedule => ({ kind: 'once', at: when, display: `once at ${when}` });
  const every30: Schedule = { kind: 'interval', minutes: 30, display: 'every 30m' };
  const cron = (expression: string): Schedule => ({ kind: 'cron', expression, display: `cron ${expression}` });

  it('returns a future one-shot time, and nothing once it is reached or past', () => {
    expect(iso(nextRunAfter(once('2026-03-20T10:30:00.000Z'), { after: NOW, timezone: 'UTC' }))).toBe('2026-03-20T10:30:00.000Z');
    expect(nextRunAfter(once('2026-03-20T10:00:00.000Z'), { after: NOW, timezone: 'UTC' })).toBeUndefined();
    expect(nextRunAfter(once('2026-03-19T10:00:00.000Z'), { after: NOW, timezone: 'UTC' })).toBeUndefined();
  });

  it('anchors intervals to the creation time, not to the moment asked', () => {
    const created = at('2026-03-20T10:00:00.000Z');
    expect(iso(nextRunAfter(every30, { after: at('2026-03-20T10:00:00.000Z'), timezone: 'UTC', anchor: created }))).toBe('2026-03-20T10:30:00.000Z');
    expect(iso(nextRunAfter(every30, { after: at('2026-03-20T10:29:59.000Z'), timezone: 'UTC', anchor: created }))).toBe('2026-03-20T10:30:00.000Z');
    expect(iso(nextRunAfter(every30, { after: at('2026-03-20T10:30:00.000Z'), timezone: 'UTC', anchor: created }))).toBe('2026-03-20T11:00:00.000Z');
    expect(iso(nextRunAfter(every30, { after: at('2026-03-20T12:10:00.000Z'), timezone: 'UTC', anchor: created }))).toBe('2026-03-20T12:30:00.000Z');
    expect(iso(nextRunAfter(every30, { after: at('2026-03-19T00:00:00.000Z'), timezone: 'UTC', anchor: created }))).toBe('2026-03-20T10:30:00.000Z');
  });

  it('counts an interval from the moment asked when there is no anchor', () => {
    expect(iso(nextRunAfter(every30, { after: at('2026-03-20T12:10:00.000Z'), timezone: 'UTC' }))).toBe('2026-03-20T12:40:00.000Z');
  });

  it('evaluates weekday ranges in the configured zone', () => {
    const weekdays = cron('0 9 * * 1-5');
    // Friday 11:00 Berlin: today's 09:00 is gone, Saturday and Sunday are skipped.
    expect(iso(nextRunAfter(weekdays, { after: NOW, timezone: BERLIN }))).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(nextRunAfter(weekdays, { after: NOW, timezone: 'UTC' }))).toBe('2026-03-23T09:00:00.000Z');
    // Thursday 08:00 Berlin: 09:00 the same day.
    expect(iso(nextRunAfter(weekdays, { after: at('2026-03-19T07:00:00.000Z'), timezone: BERLIN }))).toBe('2026-03-19T08:00:00.000Z');
    expect(iso(nextRunAfter(cron('30 7 * * SAT,SUN'), { after: NOW, timezone: BERLIN }))).toBe('2026-03-21T06:30:00.000Z');
  });

  it('keeps 09:00 local across the DST switches', () => {
    const daily = cron('0 9 * * *');
    expect(iso(nextRunAfter(daily, { after: at('2026-03-27T10:00:00.000Z'), timezone: BERLIN }))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(nextRunAfter(daily, { after: at('2026-03-28T10:00:00.000Z'), timezone: BERLIN }))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextRunAfter(daily, { after: at('2026-10-24T10:00:00.000Z'), timezone: BERLIN }))).toBe('2026-10-25T08:00:00.000Z');
  });

  it('skips a run whose wall-clock time falls into the spring-forward gap, as EventBridge Scheduler does', () => {
    // 02:30 does not exist in Berlin on 2026-03-29 (02:00 CET jumps to 03:00 CEST): that run is skipped, not moved.
    expect(iso(nextRunAfter(cron('30 2 * * *'), { after: at('2026-03-28T12:00:00.000Z'), timezone: BERLIN }))).toBe('2026-03-30T00:30:00.000Z');
    expect(iso(nextRunAfter(cron('0 2 * * *'), { after: at('2026-03-28T12:00:00.000Z'), timezone: BERLIN }))).toBe('2026-03-30T00:00:00.000Z');
    // An hourly job loses only the hour that does not exist.
    const hourly = [at('2026-03-29T00:30:00.000Z')];
    for (let index = 0; index < 3; index++) hourly.push(nextRunAfter(cron('0 * * * *'), { after: hourly.at(-1)!, timezone: BERLIN })!);
    expect(hourly.slice(1).map(iso)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z']);
    expect(iso(nextRunAfter(cron('30 2 * * *'), { after: at('2026-03-07T12:00:00.000Z'), timezone: 'America/New_York' }))).toBe('2026-03-09T06:30:00.000Z');
  });

  it('runs a wall-clock time that repeats at fall-back once, as EventBridge Scheduler does', () => {
    // 02:30 happens twice in Berlin on 2026-10-25 (CEST, then CET); the job runs at the first only.
    const first = nextRunAfter(cron('30 2 * * *'), { after: at('2026-10-24T12:00:00.000Z'), timezone: BERLIN })!;
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(nextRunAfter(cron('30 2 * * *'), { after: first, timezone: BERLIN }))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('runs each time of a repeated hour once, for crons that cover the hour and the one after it', () => {
    // New York sets its clocks back at 02:00 EDT on 2026-11-01: 01:00-01:59 comes round twice.
    const newYork = 'America/New_York';
    const runs = (expression: string, count: number) => {
      const found = [at('2026-11-01T04:00:00.000Z')];
      for (let index = 0; index < count; index++) found.push(nextRunAfter(cron(expression), { after: found.at(-1)!, timezone: newYork })!);
      return found.slice(1).map(iso);
    };
    expect(runs('0 * * * *', 3)).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z']);
    expect(runs('*/30 * * * *', 4)).toEqual(['2026-11-01T04:30:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-01T07:00:00.000Z']);
    expect(runs('30 1,2 * * *', 2)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z']);
    // Lord Howe Island sets its clock back half an hour, at 02:00 to 01:30, on 2027-04-04.
    const lordHowe = 'Australia/Lord_Howe';
    const first = nextRunAfter(cron('45 1 * * *'), { after: at('2027-04-03T14:30:00.000Z'), timezone: lordHowe })!;
    expect(iso(first)).toBe('2027-04-03T14:45:00.000Z');
    expect(iso(nextRunAfter(cron('45 1 * * *'), { after: first, timezone: lordHowe }))).toBe('2027-04-04T15:15:00.000Z');
  });

  it('keeps an interval a fixed duration across the switch, as rate() does', () => {
    const daily: Schedule = { kind: 'interval', minutes: 1440, display: 'every 1d' };
    const created = at('2026-03-28T08:00:00.000Z');
    expect(iso(nextRunAfter(daily, { after: created, timezone: BERLIN, anchor: created }))).toBe('2026-03-29T08:00:00.000Z');
  });

  it('returns nothing for a cron expression without future runs', () => {
    expect(nextRunAfter(cron('0 0 30 2 *'), { after: NOW, timezone: 'UTC' })).toBeUndefined();
  });
});
