import { describe, expect, it } from 'vitest';
import { jobWords, whatItWasFor } from '../../agent/fire-notice.ts';
import type { Job, JobFire } from '../../tools/ports/scheduler.ts';

const job: Job = {
  id: 'hermes-p7-tea',
  name: 'tea',
  prompt: 'Say the tea is ready',
  schedule: { kind: 'interval', minutes: 60, display: 'every 1h' },
  completedRuns: 0,
  state: 'scheduled',
  delivery: { chatId: 7, userId: '7' },
  createdAt: '2026-12-01T08:00:00Z',
};
const once = { kind: 'once', at: '2026-12-09T08:00:00.000Z', display: 'once at 2026-12-09 08:00' } as const;
const fire = (changes: Partial<Job>, manual?: true): JobFire => ({ source: 'hermes.cron', job: { ...job, ...changes }, scheduledTime: '2026-12-02T09:00:00Z', ...(manual ? { manual } : {}) });

describe('what a failed fire tells of its job', () => {
  it.each([
    ['a repeating job', fire({}), 'Its next runs stay scheduled.'],
    ['a one-time job at its time', fire({ schedule: once }), 'That was its last run; ask me to set it again if it is still needed.'],
    ['a one-time job run by hand before its time', fire({ schedule: once }, true), 'Its schedule is unchanged.'],
    ['a repeating job run by hand', fire({}, true), 'Its schedule is unchanged.'],
    ["the last of a job's repeats, run by hand", fire({ repeat: 3, completedRuns: 2 }, true), 'That was its last run; ask me to set it again if it is still needed.'],
  ])('%s', (_case, failed, after) => {
    expect(whatItWasFor(failed)).toBe(`\nIt was to do: Say the tea is ready\n${after}`);
  });
});

describe("a failed fire's words of its job", () => {
  it('shortens a long prompt without cutting an emoji in half, which Telegram would refuse with the notice', () => {
    const words = jobWords({ ...job, prompt: `${'a'.repeat(299)}🎉 and then some more words` });
    expect(words.isWellFormed()).toBe(true);
    expect(words).toContain(`${'a'.repeat(299)}…`);
  });
});
