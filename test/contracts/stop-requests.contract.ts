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

    it('keeps sessions apart, forum topics included', async () => {
      await stops.request('tg:-100:7', 5_000);
      expect(await stops.requestedSince('tg:-100:7', 1_000)).toBe(true);
      expect(await stops.requestedSince('tg:-100', 1_000)).toBe(false);
      expect(await stops.requestedSince('tg:-100:8', 1_000)).toBe(false);
    });

    it('answers for the newest stop', async () => {
      await stops.request('tg:2', 5_000);
      await stops.request('tg:2', 9_000);
      expect(await stops.requestedSince('tg:2', 8_000)).toBe(true);
    });
  });
}
