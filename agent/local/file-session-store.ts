import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuplicateTurnError, StoreError } from '../../tools/errors.ts';
import type { Logger } from '../logger.ts';
import type { ChatSettings, SessionStore, SessionWindow, Turn } from '../ports/session-store.ts';
import { resetId } from '../session-keys.ts';
import { windowFromNewestRows, type SessionRow } from '../session-window.ts';
import { readFileIfExists, readJsonFile, writeFileAtomic, writeFileExclusive } from './atomic-file.ts';

/** One file per row under `sessions/<key>/`, named by the row id, so a turn is written (and renamed) as a unit. */
export class FileSessionStore implements SessionStore {
  private readonly log: Pick<Logger, 'warn'> | undefined;

  constructor(
    private readonly root: string,
    { log }: { log?: Pick<Logger, 'warn'> } = {},
  ) {
    this.log = log;
  }

  async appendTurn(sessionKey: string, turn: Turn): Promise<void> {
    try {
      await writeFileExclusive(this.rowPath(sessionKey, turn.id), JSON.stringify({ kind: 'turn', ...turn }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DuplicateTurnError(`Turn ${turn.id} of session ${sessionKey} is already stored.`);
      throw error;
    }
  }

  async loadWindow(sessionKey: string, maxTurns: number): Promise<SessionWindow> {
    return windowFromNewestRows(await this.newestRows(sessionKey, maxTurns + 1), maxTurns);
  }

  async hasTurn(sessionKey: string, id: string): Promise<boolean> {
    return (await readFileIfExists(this.rowPath(sessionKey, id))) !== undefined;
  }

  async reset(sessionKey: string, at: number, eventId?: string): Promise<void> {
    await this.writeRow(sessionKey, { kind: 'reset', id: resetId(at, eventId), at });
  }

  async removeLastTurn(sessionKey: string): Promise<Turn | undefined> {
    const [newest] = await this.newestRows(sessionKey, 1);
    if (!newest || newest.kind !== 'turn') return undefined;
    await rm(this.rowPath(sessionKey, newest.id), { force: true });
    const { kind: _kind, ...turn } = newest;
    return turn;
  }

  async loadSettings(sessionKey: string): Promise<ChatSettings> {
    return readJsonFile<ChatSettings>(this.settingsPath(sessionKey), {});
  }

  async saveSettings(sessionKey: string, settings: ChatSettings): Promise<void> {
    await writeFileAtomic(this.settingsPath(sessionKey), JSON.stringify(settings));
  }

  private async newestRows(sessionKey: string, count: number): Promise<SessionRow[]> {
    const dir = this.dir(sessionKey);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // Sort by row id, not file name: the encoding and the `.json` suffix change the order (id `X` sorts before
    // `X#~reset`, but `X.json` after `X%23~reset.json`).
    const newest = names
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({ name, id: decodeURIComponent(name.slice(0, -'.json'.length)) }))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, count)
      .map((entry) => entry.name);
    const rows = await Promise.all(newest.map((name) => this.readRow(join(dir, name))));
    return rows.filter((row): row is SessionRow => row !== undefined);
  }

  /**
   * A row file a crash left empty, or one edited by hand into something else, is passed over and left where it is:
   * refusing it would fail every turn of the chat, /new included, until it drops out of the window.
   */
  private async readRow(path: string): Promise<SessionRow | undefined> {
    try {
      return (await readJsonFile<SessionRow | null>(path, null)) ?? undefined;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this.log?.warn('a damaged turn file was passed over', { error });
      return undefined;
    }
  }

  /** Not a `.json` row file, so the window never reads it. */
  private settingsPath(sessionKey: string): string {
    return join(this.dir(sessionKey), 'settings');
  }

  private dir(sessionKey: string): string {
    return join(this.root, encodeURIComponent(sessionKey));
  }

  private rowPath(sessionKey: string, id: string): string {
    return join(this.dir(sessionKey), `${encodeURIComponent(id)}.json`);
  }

  private async writeRow(sessionKey: string, row: SessionRow): Promise<void> {
    await writeFileAtomic(this.rowPath(sessionKey, row.id), JSON.stringify(row));
  }
}
