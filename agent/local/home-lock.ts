import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../tools/errors.ts';

/** Names this assistant, so classic Hermes' own pid files under a shared HERMES_HOME are not taken for it. */
export const HOME_LOCK_FILE = 'hermes-serverless.pid';

export interface HomeLock {
  /** Removes the lock, unless another process has taken it since; synchronous, so it can run as the process exits. */
  release(): void;
}

/**
 * One `npm start` per HERMES_HOME: the local stores guard their files within one process only (the jobs file is read,
 * changed and written whole; fires are deduplicated in memory), so a second process on the same folder would lose
 * jobs and fire every reminder twice. A lock left by a process that died is taken over.
 */
export async function lockHome(home: string, pid: number = process.pid): Promise<HomeLock> {
  const path = join(home, HOME_LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await writeFile(path, `${pid}\n`, { flag: 'wx' });
      return { release: () => releaseLock(path, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
    if (Number.isInteger(holder) && holder !== pid && isRunning(holder)) {
      throw new ConfigError(
        'HERMES_HOME',
        `${home} is in use by another npm start (process ${holder}). Stop that one first, or point HERMES_HOME at another folder; two at once would lose jobs and send every reminder twice.`,
      );
    }
    // Left by a process that is gone (or by this one): moved aside, then taken. Of two starts taking it over at once,
    // one moves the dead process's lock; the other finds none (and races for the free lock) or moves the winner's
    // fresh one, which it puts back before trying again.
    const aside = `${path}.${pid}.stale`;
    try {
      await rename(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = Number.parseInt((await readFile(aside, 'utf8').catch(() => '')).trim(), 10);
    if (Number.isInteger(moved) && moved !== holder) await rename(aside, path);
    else await unlink(aside).catch(() => undefined);
  }
  throw new ConfigError('HERMES_HOME', `${home}: could not take ${HOME_LOCK_FILE}, which keeps changing; is another npm start starting there?`);
}

function releaseLock(path: string, pid: number): void {
  try {
    if (Number.parseInt(readFileSync(path, 'utf8').trim(), 10) === pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
