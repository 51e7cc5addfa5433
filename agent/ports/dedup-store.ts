/** Remembers event ids (Telegram update_id, cron fire) so a redelivered event is processed once. */
export interface DedupStore {
  /**
   * True the first time an id is claimed, false on every later claim within `ttlSeconds`. A claim taken with a
   * `holder` is granted again to that same holder while it lasts: the event that took it, delivered again after a
   * crash, gets through; any other event claiming the id is still turned away.
   */
  claim(id: string, ttlSeconds: number, holder?: string): Promise<boolean>;
  /**
   * Gives a claim back after a failure that should be retried by redelivery. With a `holder`, only that holder's
   * claim: one that lapsed and was taken by another stays theirs.
   */
  release(id: string, holder?: string): Promise<void>;
}
