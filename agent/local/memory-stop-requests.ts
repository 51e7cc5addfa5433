import type { StopRequests } from '../ports/stop-requests.ts';

/** Local mode is one process: the bot that records a stop and the queue that runs the turn share this map. */
export class MemoryStopRequests implements StopRequests {
  private readonly latest = new Map<string, number>();

  async request(sessionKey: string, at: number): Promise<void> {
    this.latest.set(sessionKey, Math.max(at, this.latest.get(sessionKey) ?? 0));
  }

  async requestedSince(sessionKey: string, since: number): Promise<boolean> {
    return (this.latest.get(sessionKey) ?? -1) >= since;
  }
}
