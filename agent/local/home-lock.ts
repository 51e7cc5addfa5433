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

/** Which boot of the machine a process runs in: a pid from another boot is some other program's now. */
export interface Boot {
  /** Linux names each boot (`/proc/sys/kernel/random/boot_id`); a clock set forward or back does not change it. */
  id?: string;
  /** When the machine booted, estimated from the clock and the uptime: all there is elsewhere. */
  at: number;
}

interface Holder {
  pid: number;
  boot: Partial<Boot>;
}

/** This boot, as the lock records it. */
function thisBoot(): Boot {
  let id: string | undefined;
  try {
    id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    // Not Linux: the estimate alone.
  }
  return { ...(id ? { id } : {}), at: Date.now() - uptime() * 1000 };
}

/**
 * One `npm start` per HERMES_HOME: the local stores guard their files within one process only (the jobs file is read,
 * changed and written whole; fires are deduplicated in memory), so a second process on the same folder would lose
 * jobs and fire every reminder twice. A lock left by a process that is gone, or by one before the machine restarted,
 * is taken over.
 */
export async function lockHome(home: string, { pid = process.pid, boot = thisBoot() }: { pid?: number; boot?: Boot } = {}): Promise<HomeLock> {
  const path = join(home, HOME_LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      // Written whole under another name, then linked: no other start ever reads this lock half-written.
      await writeFileExclusive(path, `${pid}\n${Math.round(boot.at)}\n${boot.id ?? ''}\n`);
      return { release: () => releaseLock(path, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parseHolder(await readFile(path, 'utf8').catch(() => ''));
    if (holder && holder.pid !== pid && holdsIt(holder, boot)) {
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

/** Lines: the pid, the boot time estimate, the boot id (absent in older locks and off Linux). */
function parseHolder(text: string): Holder | undefined {
  const [pidLine, atLine, idLine] = text.trim().split('\n');
  const pid = Number.parseInt(pidLine ?? '', 10);
  if (!Number.isInteger(pid)) return undefined;
  const at = Number.parseInt(atLine ?? '', 10);
  const id = idLine?.trim();
  return { pid, boot: { ...(Number.isInteger(at) ? { at } : {}), ...(id ? { id } : {}) } };
}

/** Running, in this boot: a lock from before a restart names a pid some other program may have now. */
function holdsIt(holder: Holder, boot: Boot): boolean {
  if (!sameBoot(holder.boot, boot)) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** By id where both have one; by the estimate otherwise, which a clock set by more than a minute can mislead. */
function sameBoot(held: Partial<Boot>, boot: Boot): boolean {
  if (held.id !== undefined && boot.id !== undefined) return held.id === boot.id;
  return held.at === undefined || Math.abs(held.at - boot.at) <= SAME_BOOT_MS;
}

function releaseLock(path: string, pid: number): void {
  try {
    if (parseHolder(readFileSync(path, 'utf8'))?.pid === pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
