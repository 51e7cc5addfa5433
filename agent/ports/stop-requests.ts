/**
 * A user's request to stop the turn running in a chat (the draft's stop button or `/stop`). The webhook records it
 * at once, outside the chat's queue, and the worker checks it between model steps.
 */
export interface StopRequests {
  request(sessionKey: string, at: number): Promise<void>;
  /** True when a stop for this session was requested at or after `since` (epoch ms). */
  requestedSince(sessionKey: string, since: number): Promise<boolean>;
  /** A turn of this session that ran from `startedAt` ended on a stop at `stoppedAt`. */
  recordStoppedTurn(sessionKey: string, turn: StoppedTurn): Promise<void>;
  /** Whether the session's last stopped turn was running at some moment of `during`: a `/stop` sent then stopped it. */
  stoppedTurnDuring(sessionKey: string, during: { from: number; to: number }): Promise<boolean>;
}

export interface StoppedTurn {
  startedAt: number;
  stoppedAt: number;
}
