/**
 * Changes that read, check and then write (a memory budget, a skill's text, a chat's job count) made one at a time
 * per key, across every instance running turns: two turns of one user, or two members of a group, run side by side.
 */
export interface Locks {
  /** Runs `work` while no other holder of `key` runs it; fails with a clear error when the key stays taken. */
  hold<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** Claims that expire, as the dedup store makes them: what locks are made of. */
export interface Claims {
  /** True when `id` was free, its claim had lapsed, or `holder` holds it already; it is then held for `ttlSeconds`. */
  claim(id: string, ttlSeconds: number, holder: string): Promise<boolean>;
  /** Gives the claim back if `holder` still holds it. */
  release(id: string, holder: string): Promise<void>;
}

/** `work` under the key's lock where the deployment has locks, as it is where it does not (a test's bare tools). */
export function heldBy<T>(locks: Locks | undefined, key: string, work: () => Promise<T>): Promise<T> {
  return locks ? locks.hold(key, work) : work();
}
