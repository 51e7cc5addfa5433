import type { DedupStore } from '../ports/dedup-store.ts';

/** The local mode is one process, so remembering claims in memory is enough. */
export class MemoryDedupStore implements DedupStore {
  private readonly claims = new Map<string, { expiry: number; holder: string | undefined }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async claim(id: string, ttlSeconds: number, holder?: string): Promise<boolean> {
    const now = this.now();
    const held = this.claims.get(id);
    if (held !== undefined && held.expiry > now && (holder === undefined || held.holder !== holder)) return false;
    this.claims.set(id, { expiry: now + ttlSeconds * 1000, holder });
    if (this.claims.size > 10_000) this.evictExpired(now);
    return true;
  }

  async release(id: string, holder?: string): Promise<void> {
    if (holder === undefined || this.claims.get(id)?.holder === holder) this.claims.delete(id);
  }

  private evictExpired(now: number): void {
    for (const [id, { expiry }] of this.claims) if (expiry <= now) this.claims.delete(id);
  }
}
