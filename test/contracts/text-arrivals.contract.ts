import { beforeEach, describe, expect, it } from 'vitest';
import type { TextArrivals } from '../../agent/ports/text-arrivals.ts';
import { useHarness, type Harness } from './harness.ts';

const HOUR = 3_600_000;

/** `setup` builds the adapter on the clock it is given, so a test can let an hour pass. */
export function textArrivalsContract(name: string, setup: (now: () => number) => Promise<Harness<TextArrivals>>): void {
  describe(`TextArrivals contract: ${name}`, () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00Z') };
    const current = useHarness(() => setup(() => clock.now));
    let arrivals: TextArrivals;
    beforeEach(() => {
      clock.now = Date.parse('2026-12-02T10:00:00Z');
      arrivals = current();
    });
    /** What a text taken up now sees: the records of the hour before it. */
    const seen = (conversation: string, senderId: number) => arrivals.seen(conversation, senderId, clock.now - HOUR);

    it('knows of nothing before an update is recorded, then of the sender’s newest text', async () => {
      expect(await seen('tg:1', 77)).toEqual({});
      await arrivals.record('tg:1', { updateId: 500, textOf: 77 });
      await arrivals.record('tg:1', { updateId: 501, textOf: 77 });
      expect(await seen('tg:1', 77)).toEqual({ newestText: 501 });
    });

    it('counts anything else queued there, and another sender’s text, as other updates', async () => {
      await arrivals.record('tg:-100:7', { updateId: 600, textOf: 77 });
      await arrivals.record('tg:-100:7', { updateId: 601 });
      await arrivals.record('tg:-100:7', { updateId: 602, textOf: 88 });
      expect(await seen('tg:-100:7', 77)).toEqual({ newestText: 600, newestOther: 602 });
      expect(await seen('tg:-100:7', 88)).toEqual({ newestText: 602, newestOther: 601 });
      expect(await seen('tg:-100:7', 99)).toEqual({ newestOther: 602 });
    });

    it('is not moved back by a webhook that recorded an older update late', async () => {
      await arrivals.record('tg:2', { updateId: 700, textOf: 77 });
      await arrivals.record('tg:2', { updateId: 699, textOf: 77 });
      await arrivals.record('tg:2', { updateId: 710 });
      await arrivals.record('tg:2', { updateId: 705 });
      expect(await seen('tg:2', 77)).toEqual({ newestText: 700, newestOther: 710 });
    });

    it('keeps conversations apart', async () => {
      await arrivals.record('tg:-100:7', { updateId: 900, textOf: 8 });
      expect(await seen('tg:-100:8', 8)).toEqual({});
    });
  
    it('forgets what is an hour old, and takes a lower id after it: Telegram picks update ids afresh after a quiet week', async () => {
      await arrivals.record('tg:3', { updateId: 880_061, textOf: 77 });
      await arrivals.record('tg:3', { updateId: 880_062 });
      clock.now += 3_600_001;
      expect(await seen('tg:3', 77)).toEqual({});
      await arrivals.record('tg:3', { updateId: 12_345, textOf: 77 });
      expect(await seen('tg:3', 77)).toEqual({ newestText: 12_345 });
    });
  
    it('shows a text that waited long in the queue what was recorded after it arrived, however old that is now', async () => {
      const queuedAt = clock.now;
      await arrivals.record('tg:4', { updateId: 10, textOf: 77 });
      clock.now += 60_000;
      await arrivals.record('tg:4', { updateId: 11 });
      clock.now += 2 * HOUR;
      expect(await arrivals.seen('tg:4', 77, queuedAt - HOUR)).toEqual({ newestText: 10, newestOther: 11 });
    });
  });
}
