import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { NotFoundError } from '../errors.ts';
import { keywordScore } from '../memory-search.ts';
import type { MemoryEntry, MemoryHit, MemoryStore, MemoryTarget } from '../ports/memory-store.ts';
import { KeyedMutex, readFileIfExists, writeFileAtomic } from './atomic-file.ts';

/** Hermes' own format: `MEMORY.md` and `USER.md`, entries separated by a line holding `§`. */
const FILES: Record<MemoryTarget, string> = { memory: 'MEMORY.md', user: 'USER.md' };
const DELIMITER = '\n§\n';

export class FileMemoryStore implements MemoryStore {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly root: string) {}

  async list(userId: string, target: MemoryTarget): Promise<MemoryEntry[]> {
    const raw = (await readFileIfExists(this.path(userId, target))) ?? '';
    return raw
      .split(DELIMITER)
      .map((text) => text.trim())
      .filter(Boolean)
      .map((text) => ({ id: entryId(text), target, text }));
  }

  add(userId: string, target: MemoryTarget, text: string): Promise<MemoryEntry> {
    return this.edit(userId, target, (entries) => {
      const entry = { id: entryId(text), target, text };
      return { entries: [...entries, entry], result: entry };
    });
  }

  replace(userId: string, target: MemoryTarget, id: string, text: string): Promise<void> {
    return this.edit(userId, target, (entries) => ({
      entries: entries.map((entry) => (entry.id === id ? { id: entryId(text), target, text } : entry)),
      result: undefined,
      mustContain: id,
    }));
  }

  remove(userId: string, target: MemoryTarget, id: string): Promise<void> {
    return this.edit(userId, target, (entries) => ({
      entries: entries.filter((entry) => entry.id !== id),
      result: undefined,
      mustContain: id,
    }));
  }

  async search(userId: string, query: string, limit: number): Promise<MemoryHit[]> {
    const all = [...(await this.list(userId, 'memory')), ...(await this.list(userId, 'user'))];
    return all
      .map((entry) => ({ ...entry, score: keywordScore(query, entry.text) }))
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  private edit<T>(
    userId: string,
    target: MemoryTarget,
    change: (entries: MemoryEntry[]) => { entries: MemoryEntry[]; result: T; mustContain?: string },
  ): Promise<T> {
    const path = this.path(userId, target);
    return this.mutex.run(path, async () => {
      const current = await this.list(userId, target);
      const { entries, result, mustContain } = change(current);
      if (mustContain !== undefined && !current.some((entry) => entry.id === mustContain)) {
        throw new NotFoundError(`No ${target} entry with id ${mustContain}.`);
      }
      await writeFileAtomic(path, entries.map((entry) => entry.text).join(DELIMITER) + (entries.length ? '\n' : ''));
      return result;
    });
  }

  private path(userId: string, target: MemoryTarget): string {
    return join(this.root, encodeURIComponent(userId), FILES[target]);
  }
}

function entryId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
