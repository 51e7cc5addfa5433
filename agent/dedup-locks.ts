import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../tools/errors.ts';
import type { Locks } from '../tools/ports/locks.ts';
import type { DedupStore } from './ports/dedup-store.ts';

export interface DedupLockTiming {
  /** How long a lock outlives a holder that died holding it. */
  leaseSeconds: number;
  /** How long a change waits for the key before it gives up. */
  waitMs: number;
  pollMs: number;
}

const TIMING: DedupLockTiming = { leaseSeconds: 30, waitMs: 10_000, pollMs: 150 };

/**
 * Locks on the dedup store's claims: a conditional write takes the key (the table on AWS, memory locally), a delete
 * gives it back. A change costs these two writes; only changes take a lock, never reads.
 */
export class DedupLocks implements Locks {
  constructor(
    private readonly dedup: DedupStore,
    private readonly timing: DedupLockTiming = TIMING,
  ) {}

  async hold<T>(key: string, work: () => Promise<T>): Promise<T> {
    const id = `lock:${key}`;
    const giveUpAt = Date.now() + this.timing.waitMs;
    while (!(await this.dedup.claim(id, this.timing.leaseSeconds))) {
      if (Date.now() >= giveUpAt) throw new StoreError('Another change of the same kind is still being made; try again in a moment.');
      await sleep(this.timing.pollMs);
    }
    try {
      return await work();
    } finally {
      await this.dedup.release(id).catch(() => undefined);
    }
  }
}
