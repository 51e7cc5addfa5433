import { describe, expect, it } from 'vitest';
import { abortSummaryBefore } from '../../agent/deadlines.ts';

describe('the summary call of a turn', () => {
  it('gets half the time to the last step, for any deadline a Lambda context gives (odd or fractional milliseconds)', () => {
    for (const left of [3_001, 2_500.5, 40_000.25]) expect(abortSummaryBefore(Date.now() + left).aborted).toBe(false);
  });

  it('still gets a moment when the last step is already near', () => {
    expect(abortSummaryBefore(Date.now() - 5_000).aborted).toBe(false);
  });
});
