import { beforeEach, describe, expect, it } from 'vitest';
import type { StopRequests } from '../../agent/ports/stop-requests.ts';
import { useHarness, type Harness } from './harness.ts';

export function stopRequestsContract(name: string, setup: () => Promise<Harness<StopRequests>>): void {
  describe(`StopRequests contract: ${name}`, () => {
    const current = useHarness(setup);
    let stops: StopRequests;
    beforeEach(() => {
      stops = current();
    });

    it('reports a stop to a turn that started before it, not to one that started after', async () => {
      expect(await stops.requestedSince('tg:1', 1_000)).toBe(false);
      await stops.request('tg:1', 5_000);
      expect(await stops.requestedSince('tg:1', 1_000)).toBe(true);
      expect(await stops.requestedSince('tg:1', 5_000)).toBe(true);
      expect(await stops.requestedSince('tg:1', 6_000)).toBe(false);
    });

    it('keeps sessions apart, forum topics and group members included', async () => {
      await stops.request('tg:-100:7', 5_000);
      await stops.request('tg:-100:u8', 5_000);
      expect(await stops.requestedSince('tg:-100:7', 1_000)).toBe(true);
      expect(await stops.requestedSince('tg:-100', 1_000)).toBe(false);
      expect(await stops.requestedSince('tg:-100:8', 1_000)).toBe(false);
      expect(await stops.requestedSince('tg:-100:u9', 1_000)).toBe(false);
    });

    it('answers for the newest stop, also when an older one arrives late', async () => {
      await stops.request('tg:2', 5_000);
      await stops.request('tg:2', 9_000);
      await stops.request('tg:2', 6_000);
      expect(await stops.requestedSince('tg:2', 8_000)).toBe(true);
    });

    it('tells a /stop sent while a turn ran that then stopped from one sent when none was running', async () => {
      expect(await stops.stoppedTurnDuring('tg:3', { from: 0, to: 10_000 })).toBe(false);
      await stops.request('tg:3', 5_000);
      await stops.recordStoppedTurn('tg:3', { startedAt: 4_000, stoppedAt: 6_000 });
      // A newer request does not erase the stopped turn.
      await stops.request('tg:3', 9_000);
      expect(await stops.stoppedTurnDuring('tg:3', { from: 5_000, to: 5_000 })).toBe(true);
      expect(await stops.stoppedTurnDuring('tg:3', { from: 3_000, to: 4_000 })).toBe(true);
      expect(await stops.stoppedTurnDuring('tg:3', { from: 6_500, to: 9_000 })).toBe(false);
      expect(await stops.stoppedTurnDuring('tg:3', { from: 1_000, to: 3_999 })).toBe(false);
      expect(await stops.stoppedTurnDuring('tg:-3', { from: 5_000, to: 5_000 })).toBe(false);
    });
  });
}
