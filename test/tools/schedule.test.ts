import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../agent/errors.ts';
import { nextRunAfter, parseSchedule, SCHEDULE_HELP, type Schedule } from '../../tools/schedule.ts';

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

  it('rejects a time in the past, including now itself', () => {
    expect(parseError('2026-03-20T09:59Z').message).toMatch(/"2026-03-20T09:59Z" is in the past \(now is 2026-03-20T10:00:00.000Z\)/);
    expect(parseError('2026-03-20T10:00:00Z').message).toMatch(/in the past/);
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
    expect(iso(nextRunAfter(once('2026-03-20T10:30:00.000Z'), NOW, 'UTC'))).toBe('2026-03-20T10:30:00.000Z');
    expect(nextRunAfter(once('2026-03-20T10:00:00.000Z'), NOW, 'UTC')).toBeUndefined();
    expect(nextRunAfter(once('2026-03-19T10:00:00.000Z'), NOW, 'UTC')).toBeUndefined();
  });

  it('anchors intervals to the creation time, not to the moment asked', () => {
    const created = at('2026-03-20T10:00:00.000Z');
    expect(iso(nextRunAfter(every30, at('2026-03-20T10:00:00.000Z'), 'UTC', created))).toBe('2026-03-20T10:30:00.000Z');
    expect(iso(nextRunAfter(every30, at('2026-03-20T10:29:59.000Z'), 'UTC', created))).toBe('2026-03-20T10:30:00.000Z');
    expect(iso(nextRunAfter(every30, at('2026-03-20T10:30:00.000Z'), 'UTC', created))).toBe('2026-03-20T11:00:00.000Z');
    expect(iso(nextRunAfter(every30, at('2026-03-20T12:10:00.000Z'), 'UTC', created))).toBe('2026-03-20T12:30:00.000Z');
    expect(iso(nextRunAfter(every30, at('2026-03-19T00:00:00.000Z'), 'UTC', created))).toBe('2026-03-20T10:30:00.000Z');
  });

  it('counts an interval from the moment asked when there is no anchor', () => {
    expect(iso(nextRunAfter(every30, at('2026-03-20T12:10:00.000Z'), 'UTC'))).toBe('2026-03-20T12:40:00.000Z');
  });

  it('evaluates weekday ranges in the configured zone', () => {
    const weekdays = cron('0 9 * * 1-5');
    // Friday 11:00 Berlin: today's 09:00 is gone, Saturday and Sunday are skipped.
    expect(iso(nextRunAfter(weekdays, NOW, BERLIN))).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(nextRunAfter(weekdays, NOW, 'UTC'))).toBe('2026-03-23T09:00:00.000Z');
    // Thursday 08:00 Berlin: 09:00 the same day.
    expect(iso(nextRunAfter(weekdays, at('2026-03-19T07:00:00.000Z'), BERLIN))).toBe('2026-03-19T08:00:00.000Z');
    expect(iso(nextRunAfter(cron('30 7 * * SAT,SUN'), NOW, BERLIN))).toBe('2026-03-21T06:30:00.000Z');
  });

  it('keeps 09:00 local across the DST switches', () => {
    const daily = cron('0 9 * * *');
    expect(iso(nextRunAfter(daily, at('2026-03-27T10:00:00.000Z'), BERLIN))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(nextRunAfter(daily, at('2026-03-28T10:00:00.000Z'), BERLIN))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextRunAfter(daily, at('2026-10-24T10:00:00.000Z'), BERLIN))).toBe('2026-10-25T08:00:00.000Z');
  });

  it('does not skip a day whose run time falls into the spring-forward gap', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; the run happens right after the gap (03:00-03:30 CEST).
    const next = nextRunAfter(cron('30 2 * * *'), at('2026-03-28T12:00:00.000Z'), BERLIN)!;
    expect(next.getTime()).toBeGreaterThanOrEqual(at('2026-03-29T01:00:00.000Z').getTime());
    expect(next.getTime()).toBeLessThanOrEqual(at('2026-03-29T01:30:00.000Z').getTime());
  });

  it('returns nothing for a cron expression without future runs', () => {
    expect(nextRunAfter(cron('0 0 30 2 *'), NOW, 'UTC')).toBeUndefined();
  });
});
