import type { StopRequests, StoppedTurn } from '../ports/stop-requests.ts';

/** Local mode is one process: the bot that records a stop and the queue that runs the turn share these maps. */
export class MemoryStopRequests implements StopRequests {
  private readonly latest = new Map<string, number>();
  private readonly stopped = new Map<string, StoppedTurn>();

  async request(sessionKey: string, at: number): Promise<void> {
    this.latest.set(sessionKey, Math.max(at, this.latest.get(sessionKey) ?? 0));
  }

  async requestedSince(sessionKey: string, since: number): Promise<boolean> {
    return (this.latest.get(sessionKey) ?? -1) >= since;
  }

  async recordStoppedTurn(sessionKey: string, turn: StoppedTurn): Promise<void> {
    this.stopped.set(sessionKey, turn);
  }

  async stoppedTurnDuring(sessionKey: string, during: { from: number; to: number }): Promise<boolean> {
    const turn = this.stopped.get(sessionKey);
    return turn !== undefined && turn.startedAt <= during.to && during.from <= turn.stoppedAt;
  }
}
