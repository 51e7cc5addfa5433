import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from './errors.ts';
import type { Claims, Locks } from './ports/locks.ts';

export interface LockTiming {
  /** How long a lock outlives a holder that died holding it. */
  leaseSeconds: number;
  /** How long a change waits for the key before it gives up. */
  waitMs: number;
  pollMs: number;
}

const TIMING: LockTiming = { leaseSeconds: 30, waitMs: 10_000, pollMs: 150 };

/**
 * Locks on claims (the dedup store's: a conditional write on the table on AWS, memory locally): a claim takes the
 * key, a release gives it back. A change costs these two writes; only changes take a lock, never reads.
 */
export class ClaimLocks implements Locks {
  constructor(
    private readonly claims: Claims,
    private readonly timing: LockTiming = TIMING,
  ) {}

  async hold<T>(key: string, work: () => Promise<T>): Promise<T> {
    const id = `lock:${key}`;
    // This holder's own: a claim whose answer was lost is still ours on the SDK's retry, and a release after a lease
    // that lapsed (and another took) cannot free the other's lock.
    const holder = randomUUID();
    const giveUpAt = Date.now() + this.timing.waitMs;
    while (!(await this.claims.claim(id, this.timing.leaseSeconds, holder))) {
      if (Date.now() >= giveUpAt) throw new StoreError('Another change of the same kind is still being made; try again in a moment.');
      await sleep(this.timing.pollMs);
    }
    try {
      return await work();
    } finally {
      await this.claims.release(id, holder).catch(() => undefined);
    }
  }
}
