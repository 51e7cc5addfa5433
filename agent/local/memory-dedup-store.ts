import type { DedupStore } from '../ports/dedup-store.ts';

/** The local mode is one process, so remembering claims in memory is enough. */
export class MemoryDedupStore implements DedupStore {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async claim(id: string, ttlSeconds: number): Promise<boolean> {
    const now = this.now();
    const expiry = this.expiries.get(id);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.set(id, now + ttlSeconds * 1000);
    if (this.expiries.size > 10_000) this.evictExpired(now);
    return true;
  }

  async release(id: string): Promise<void> {
    this.expiries.delete(id);
  }

  private evictExpired(now: number): void {
    for (const [id, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(id);
  }
}
