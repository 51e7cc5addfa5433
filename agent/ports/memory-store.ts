/** Hermes keeps two notebooks per user: `memory` (the agent's notes) and `user` (facts about the person). */
export type MemoryTarget = 'memory' | 'user';

export interface MemoryEntry {
  id: string;
  target: MemoryTarget;
  text: string;
}

export interface MemoryHit extends MemoryEntry {
  score: number;
}

export interface MemoryStore {
  /** Entries oldest first, for the prompt snapshot and the usage figure. */
  list(userId: string, target: MemoryTarget): Promise<MemoryEntry[]>;
  add(userId: string, target: MemoryTarget, text: string): Promise<MemoryEntry>;
  /** Replaces the text of one entry (found by the caller through `list`). */
  replace(userId: string, target: MemoryTarget, id: string, text: string): Promise<void>;
  remove(userId: string, target: MemoryTarget, id: string): Promise<void>;
  /** Best matches first across both targets; never another user's entries. */
  search(userId: string, query: string, limit: number): Promise<MemoryHit[]>;
}
