import type { ModelMessage } from 'ai';

/** Stands in for every turn of the session up to and including `coversThrough`. */
export interface Summary {
  text: string;
  coversThrough: string;
}

/** One exchange: the user's message and every assistant/tool message the loop produced for it. */
export interface Turn {
  /** Sort key within the session, ordered by arrival: see `turnId`. */
  id: string;
  at: number;
  messages: ModelMessage[];
  /**
   * Set on the turn that compacted the window. Travelling with the turn, the summary costs no write of its
   * own, and it is stored exactly when the turn that relied on it is.
   */
  summary?: Summary;
}

/** A reset (/new) ends what the window looks back at: everything before it is hidden. */
export interface Reset {
  id: string;
  kind: 'reset';
  at: number;
}

export interface SessionWindow {
  /** The newest summary of older turns, when one exists after the last reset. */
  summary?: Summary;
  /** When the turn carrying `summary` was received; see `summaryToCarry` in agent-loop.ts. */
  summaryAt?: number;
  /** Oldest first; only turns after the last reset and after what the newest summary covers. */
  turns: Turn[];
  /** True when the store stopped at `maxTurns` before reaching either: older turns exist unsummarized. */
  truncated: boolean;
}

/** Per-conversation settings that outlive /new, such as the model chosen with /model. */
export interface ChatSettings {
  model?: string;
}

export interface SessionStore {
  /**
   * Stores a whole turn as one unit: readers see all of it or none of it. Concurrent appends never overwrite
   * each other; appending an id that is already stored fails with DuplicateTurnError and changes nothing.
   */
  appendTurn(sessionKey: string, turn: Turn): Promise<void>;
  /**
   * The recent window: at most `maxTurns` turns, back to the latest reset or to what the newest stored summary
   * covers, whichever is later.
   */
  loadWindow(sessionKey: string, maxTurns: number): Promise<SessionWindow>;
  /** Whether a turn with this id is stored, wherever it sorts. */
  hasTurn(sessionKey: string, id: string): Promise<boolean>;
  /** Starts a fresh conversation; earlier turns stay stored but leave the window. */
  reset(sessionKey: string, at: number, eventId?: string): Promise<void>;
  /**
   * Deletes the newest turn and returns it (/undo, /retry); undefined when the conversation has none since its
   * latest reset. A summary that turn carried goes with it; the turns it covered are still stored, so the window
   * shows them again and the next turn folds them anew.
   */
  removeLastTurn(sessionKey: string): Promise<Turn | undefined>;
  loadSettings(sessionKey: string): Promise<ChatSettings>;
  saveSettings(sessionKey: string, settings: ChatSettings): Promise<void>;
}
