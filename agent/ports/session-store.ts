import type { ModelMessage } from 'ai';

/** One exchange: the user's message and every assistant/tool message the loop produced for it. */
export interface Turn {
  /** Sort key within the session, ordered by arrival: see `turnId`. */
  id: string;
  at: number;
  messages: ModelMessage[];
}

/**
 * A checkpoint ends what the window looks back at: a summary stands in for every turn up to `coversThrough`,
 * a reset (/new) hides everything before it.
 */
export type Checkpoint =
  | { id: string; kind: 'summary'; at: number; text: string; coversThrough: string }
  | { id: string; kind: 'reset'; at: number };

export interface SessionWindow {
  /** The summary of older turns, when one exists after the last reset. */
  summary?: { text: string; coversThrough: string };
  /** Oldest first; only turns after the last checkpoint (and, for a summary, after what it covers). */
  turns: Turn[];
  /** True when the store stopped at `maxTurns` before finding a checkpoint: older turns exist unsummarized. */
  truncated: boolean;
}

export interface SessionStore {
  /**
   * Stores a whole turn as one unit: readers see all of it or none of it. Concurrent appends never overwrite
   * each other; appending an id that is already stored fails with DuplicateTurnError and changes nothing.
   */
  appendTurn(sessionKey: string, turn: Turn): Promise<void>;
  /** The recent window: at most `maxTurns` turns back to the latest checkpoint. */
  loadWindow(sessionKey: string, maxTurns: number): Promise<SessionWindow>;
  /** Records a summary that replaces the turns up to and including `coversThrough`. */
  saveSummary(sessionKey: string, summary: { text: string; coversThrough: string; at: number }): Promise<void>;
  /** Starts a fresh conversation; earlier turns stay stored but leave the window. */
  reset(sessionKey: string, at: number, eventId?: string): Promise<void>;
}
