/** Remembers event ids (Telegram update_id, cron fire) so a redelivered event is processed once. */
export interface DedupStore {
  /** True the first time an id is claimed, false on every later claim within `ttlSeconds`. */
  claim(id: string, ttlSeconds: number): Promise<boolean>;
  /** Gives a claim back after a failure that should be retried by redelivery. */
  release(id: string): Promise<void>;
}
