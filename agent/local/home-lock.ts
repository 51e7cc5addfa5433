import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, rename, unlink } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../tools/errors.ts';
import { writeFileExclusive } from './atomic-file.ts';

/** Names this assistant, so classic Hermes' own pid files under a shared HERMES_HOME are not taken for it. */
export const HOME_LOCK_FILE = 'hermes-serverless.pid';

/** Boot times read a second or so apart in one boot; another boot is further off than this. */
const SAME_BOOT_MS = 60_000;

export interface HomeLock {
  /** Removes the lock, unless another process has taken it since; synchronous, so it can run as the process exits. */
  release(): void;
}

interface Holder {
  pid: number;
  /** When this machine booted, as the holder saw it: a pid from another boot is some other program's now. */
  bootedAt?: number;
}

/**
 * One `npm start` per HERMES_HOME: the local stores guard their files within one process only (the jobs file is read,
 * changed and written whole; fires are deduplicated in memory), so a second process on the same folder would lose
 * jobs and fire every reminder twice. A lock left by a process that is gone, or by one before the machine restarted,
 * is taken over.
 */
export async function lockHome(home: string, { pid = process.pid, bootedAt = Date.now() - uptime() * 1000 }: { pid?: number; bootedAt?: number } = {}): Promise<HomeLock> {
  const path = join(home, HOME_LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      // Written whole under another name, then linked: no other start ever reads this lock half-written.
      await writeFileExclusive(path, `${pid}\n${Math.round(bootedAt)}\n`);
      return { release: () => releaseLock(path, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parseHolder(await readFile(path, 'utf8').catch(() => ''));
    if (holder && holder.pid !== pid && holdsIt(holder, bootedAt)) {
      throw new ConfigError(
        'HERMES_HOME',
        `${home} is in use by another npm start (process ${holder.pid}). Stop that one first, or point HERMES_HOME at another folder; two at once would lose jobs and send every reminder twice. If no other npm start runs, remove ${path}.`,
      );
    }
    // Left by a process that is gone: moved aside, then taken. Of two starts taking it over at once, one moves the
    // gone process's lock; the other finds none (and races for the free lock) or moves the winner's fresh one, which
    // it puts back before trying again.
    const aside = `${path}.${pid}.stale`;
    try {
      await rename(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = parseHolder(await readFile(aside, 'utf8').catch(() => ''));
    if (moved && moved.pid !== holder?.pid) await rename(aside, path);
    else await unlink(aside).catch(() => undefined);
  }
  throw new ConfigError('HERMES_HOME', `${home}: could not take ${HOME_LOCK_FILE}, which keeps changing; is another npm start starting there?`);
}

function parseHolder(text: string): Holder | undefined {
  const [pid, bootedAt] = text.trim().split('\n').map((line) => Number.parseInt(line, 10));
  if (pid === undefined || !Number.isInteger(pid)) return undefined;
  return { pid, ...(bootedAt !== undefined && Number.isInteger(bootedAt) ? { bootedAt } : {}) };
}

/** Running, in this boot: a lock from before a restart names a pid some other program may have now. */
function holdsIt(holder: Holder, bootedAt: number): boolean {
  if (holder.bootedAt !== undefined && Math.abs(holder.bootedAt - bootedAt) > SAME_BOOT_MS) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(path: string, pid: number): void {
  try {
    if (parseHolder(readFileSync(path, 'utf8'))?.pid === pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
