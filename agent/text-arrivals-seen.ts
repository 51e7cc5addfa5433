/**
 * How long a record of what a conversation queued counts: an update waits in the queue at most as long as the turns
 * before it run. Past that it is stale, and gives way to any newer record whatever its id: Telegram picks update ids
 * afresh, at random, after a week without updates (Bot API, Update.update_id, read 2026-12-02).
 */
export const ARRIVAL_TTL_MS = 3_600_000;

/** One recorded update: its id, and when it was recorded (epoch ms). */
export interface Recorded {
  id: number;
  at: number;
}

/** What the worker learns from a conversation's records, by name (a sender's id, or `other`), those before `since` left out. */
export function seenOf(entries: Array<[string, Recorded]>, { senderId, since }: { senderId: string; since: number }): { newestText?: number; newestOther?: number } {
  const fresh = entries.filter(([, recorded]) => recorded.at >= since);
  const newestText = fresh.find(([name]) => name === senderId)?.[1].id;
  const others = fresh.filter(([name]) => name !== senderId).map(([, recorded]) => recorded.id);
  return { ...(newestText !== undefined ? { newestText } : {}), ...(others.length > 0 ? { newestOther: Math.max(...others) } : {}) };
}
