import { createHash } from 'node:crypto';
import { appendFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../../tools/errors.ts';
import type { Logger } from '../logger.ts';
import { keywordScore } from '../memory-search.ts';
import { timeStamp } from '../turn-rendering.ts';
import type { Exchange, MemoryEntry, MemoryHit, MemoryReplacement, MemoryStore, MemoryTarget } from '../../tools/ports/memory-store.ts';
import { KeyedMutex, parseStoredJson, readFileIfExists, writeFileAtomic } from './atomic-file.ts';

/** Hermes' own format: `MEMORY.md` and `USER.md`, entries separated by a line holding `§`. */
const FILES: Record<MemoryTarget, string> = { memory: 'MEMORY.md', user: 'USER.md' };
const DELIMITER = '\n§\n';
/** A file written on Windows (or by an editor there) separates with CRLF; Python's text mode reads both alike. */
const ANY_DELIMITER = /\r?\n§\r?\n/;
const EXCHANGE_LOG = 'exchanges.jsonl';
/** Recall searches the newest exchanges only, so its cost stays flat as the log grows. */
const SEARCHED_EXCHANGES = 2_000;

/**
 * Each user's notebook in a folder of their own (`memories/<user>/MEMORY.md`), except the owner's: classic Hermes
 * keeps one notebook for the one person it serves, `memories/MEMORY.md` and `USER.md`, and a HERMES_HOME shared with
 * it should show that person what Hermes learned. The owner is the terminal's user and the first allowed user of the
 * bot. An owner's notebook kept in their own folder by an earlier version is read with the classic one and moved into
 * it at the first change.
 */
export class FileMemoryStore implements MemoryStore {
  private readonly mutex = new KeyedMutex();
  private readonly owners: ReadonlySet<string>;
  private readonly log: Pick<Logger, 'warn'> | undefined;
  private readonly timezone: string;

  /** `timezone`: HERMES_TIMEZONE, in which a recalled exchange is dated as the model saw it sent. */
  constructor(
    private readonly root: string,
    { owners = [], log, timezone = 'UTC' }: { owners?: string[]; log?: Pick<Logger, 'warn'>; timezone?: string } = {},
  ) {
    this.owners = new Set(owners);
    this.log = log;
    this.timezone = timezone;
  }

  async list(userId: string, target: MemoryTarget): Promise<MemoryEntry[]> {
    const raw = (await readFileIfExists(this.path(userId, target))) ?? '';
    const earlier = this.owners.has(userId) ? ((await readFileIfExists(this.ownFolderPath(userId, target))) ?? '') : '';
    // Hermes drops repeated entries when it loads the file (memory_tool.py), so a copy made by hand or by an older
    // version neither takes the budget twice nor makes its text impossible to quote uniquely.
    const texts = [raw, earlier]
      .flatMap((file) => file.split(ANY_DELIMITER))
      .map((text) => text.replace(/\r\n/g, '\n').trim())
      .filter(Boolean);
    return [...new Set(texts)].map((text) => ({ id: entryId(text), target, text }));
  }

  add(userId: string, target: MemoryTarget, text: string): Promise<MemoryEntry> {
    return this.edit(userId, target, (entries) => {
      const entry = { id: entryId(text), target, text };
      return { entries: [...entries, entry], result: entry };
    });
  }

  replace(userId: string, { target, id, text }: MemoryReplacement): Promise<void> {
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

  async recordExchange(userId: string, exchange: Exchange): Promise<void> {
    const dir = join(this.root, encodeURIComponent(userId));
    const line = `${JSON.stringify(exchange)}\n`;
    // Every turn appends; the user's folder is made only the first time, when the append finds it missing.
    try {
      await appendFile(join(dir, EXCHANGE_LOG), line, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true });
      await appendFile(join(dir, EXCHANGE_LOG), line, 'utf8');
    }
  }

  async search(userId: string, query: string, limit: number): Promise<MemoryHit[]> {
    const entries: MemoryHit[] = [...(await this.list(userId, 'memory')), ...(await this.list(userId, 'user'))].map((entry) => ({
      target: entry.target,
      text: entry.text,
      score: keywordScore(query, entry.text),
    }));
    const logPath = join(this.root, encodeURIComponent(userId), EXCHANGE_LOG);
    const log = (await readFileIfExists(logPath)) ?? '';
    const exchanges: MemoryHit[] = log
      .split('\n')
      .filter(Boolean)
      .slice(-SEARCHED_EXCHANGES)
      .flatMap((line) => this.exchangeOf(line, logPath))
      .map((exchange) => {
        const text = `${timeStamp(exchange.at, this.timezone)} user: ${exchange.userText}\nassistant: ${exchange.assistantText}`;
        return { target: 'conversation' as const, text, score: keywordScore(query, exchange.userText) };
      });
    return [...entries, ...exchanges]
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /**
   * A line cut short (a crash or a full disk mid-append, which also runs the next line into it) is passed over:
   * refusing it would fail every recall until thousands of exchanges later.
   */
  private exchangeOf(line: string, logPath: string): Exchange[] {
    try {
      return [parseStoredJson<Exchange>(line, `A line of ${logPath}`)];
    } catch (error) {
      this.log?.warn('a damaged line of the exchange log was passed over', { error });
      return [];
    }
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
      // Its entries are in the classic notebook now; kept aside, not deleted, so nothing is lost should that go wrong.
      if (this.owners.has(userId)) await rename(this.ownFolderPath(userId, target), `${this.ownFolderPath(userId, target)}.merged`).catch(() => undefined);
      return result;
    });
  }

  private path(userId: string, target: MemoryTarget): string {
    return this.owners.has(userId) ? join(this.root, FILES[target]) : this.ownFolderPath(userId, target);
  }

  private ownFolderPath(userId: string, target: MemoryTarget): string {
    return join(this.root, encodeURIComponent(userId), FILES[target]);
  }
}

function entryId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
