/** Hermes keeps two notebooks per user: `memory` (the agent's notes) and `user` (facts about the person). */
export type MemoryTarget = 'memory' | 'user';

/** Each notebook's budget in characters. */
export type MemoryLimits = Record<MemoryTarget, number>;

export interface MemoryEntry {
  id: string;
  target: MemoryTarget;
  text: string;
}

export interface MemoryHit {
  /** Where the hit came from: a saved entry, or an earlier conversation exchange. */
  target: MemoryTarget | 'conversation';
  text: string;
  score: number;
}

/** One finished exchange, recorded so later sessions can recall what was said. */
export interface Exchange {
  sessionKey: string;
  userText: string;
  assistantText: string;
  at: number;
}

export interface MemoryReplacement {
  target: MemoryTarget;
  id: string;
  text: string;
}

export interface MemoryStore {
  /** Entries oldest first, for the prompt snapshot and the usage figure. */
  list(userId: string, target: MemoryTarget): Promise<MemoryEntry[]>;
  add(userId: string, target: MemoryTarget, text: string): Promise<MemoryEntry>;
  /** Replaces the text of one entry (found by the caller through `list`). */
  replace(userId: string, replacement: MemoryReplacement): Promise<void>;
  remove(userId: string, target: MemoryTarget, id: string): Promise<void>;
  /** Appends an exchange to the user's event log (AgentCore extracts long-term facts from these). */
  recordExchange(userId: string, exchange: Exchange): Promise<void>;
  /** Best matches first across saved entries and recorded exchanges; never another user's. */
  search(userId: string, query: string, limit: number): Promise<MemoryHit[]>;
}
