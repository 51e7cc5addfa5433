import { beforeEach, describe, expect, it } from 'vitest';
import type { TextArrivals } from '../../agent/ports/text-arrivals.ts';
import { useHarness, type Harness } from './harness.ts';

export function textArrivalsContract(name: string, setup: () => Promise<Harness<TextArrivals>>): void {
  describe(`TextArrivals contract: ${name}`, () => {
    const current = useHarness(setup);
    let arrivals: TextArrivals;
    beforeEach(() => {
      arrivals = current();
    });

    it('knows of nothing before a text is recorded, then of the newest', async () => {
      expect(await arrivals.newest('tg:1#1')).toBeUndefined();
      await arrivals.record('tg:1#1', 500);
      await arrivals.record('tg:1#1', 501);
      expect(await arrivals.newest('tg:1#1')).toBe(501);
    });

    it('is not moved back by a webhook that recorded an older text late', async () => {
      await arrivals.record('tg:2#2', 700);
      await arrivals.record('tg:2#2', 699);
      expect(await arrivals.newest('tg:2#2')).toBe(700);
    });

    it('keeps conversations and senders apart', async () => {
      await arrivals.record('tg:-100:7#8', 900);
      expect(await arrivals.newest('tg:-100:7#9')).toBeUndefined();
      expect(await arrivals.newest('tg:-100#8')).toBeUndefined();
    });
  });
}
