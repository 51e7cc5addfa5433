import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOME_LOCK_FILE, lockHome } from '../../../agent/local/home-lock.ts';
import { useTempDirs } from '../../stand-ins/temp-dir.ts';

/** The id of a process that has exited, so none runs under it (ids are reused only after many more processes). */
function exitedPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

const BOOTED_AT = Math.round(Date.now() - uptime() * 1000);
const holderOf = async (home: string) => Number((await readFile(join(home, HOME_LOCK_FILE), 'utf8')).split('\n')[0]);

describe('lockHome', () => {
  const tempDir = useTempDirs();
  const home = () => tempDir('hermes-lock-');

  it('holds HERMES_HOME for one process, refusing another while it runs, and frees it on release', async () => {
    const path = await home();
    const lock = await lockHome(path);
    expect(await holderOf(path)).toBe(process.pid);
    await expect(lockHome(path, { pid: process.pid + 1 })).rejects.toThrow(`is in use by another npm start (process ${process.pid})`);
    await expect(lockHome(path, { pid: process.pid + 1 })).rejects.toThrow(`If no other npm start runs, remove ${join(path, HOME_LOCK_FILE)}.`);
    lock.release();
    await expect(readFile(join(path, HOME_LOCK_FILE), 'utf8')).rejects.toThrow(/ENOENT/);
    (await lockHome(path, { pid: 4242 })).release();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const path = await home();
    await writeFile(join(path, HOME_LOCK_FILE), `${exitedPid()}\n${BOOTED_AT}\n`);
    await lockHome(path);
    expect(await holderOf(path)).toBe(process.pid);
  });

  it('takes over a lock from before the machine restarted, though its process id now belongs to another program', async () => {
    const path = await home();
    // Process 1 always runs; the lock says the machine booted a day earlier than it did.
    await writeFile(join(path, HOME_LOCK_FILE), `1\n${BOOTED_AT - 86_400_000}\n`);
    await lockHome(path);
    expect(await holderOf(path)).toBe(process.pid);
  });

  it('refuses while the holder runs in this boot, though the clock was set an hour since it started', async () => {
    const path = await home();
    // The parent process stands in for the holder; Linux's boot id says it is this boot whatever the clock says.
    await writeFile(join(path, HOME_LOCK_FILE), `${process.ppid}\n${BOOTED_AT - 3_600_000}\nboot-a\n`);
    await expect(lockHome(path, { boot: { id: 'boot-a', at: BOOTED_AT } })).rejects.toThrow(`process ${process.ppid}`);
    expect(await holderOf(path)).toBe(process.ppid);
  });

  it('takes over a lock from another boot by its boot id, though the boot times look alike', async () => {
    const path = await home();
    await writeFile(join(path, HOME_LOCK_FILE), `1\n${BOOTED_AT}\nboot-a\n`);
    await lockHome(path, { boot: { id: 'boot-b', at: BOOTED_AT } });
    expect(await holderOf(path)).toBe(process.pid);
  });

  it('records this boot so that the next start can tell', async () => {
    const path = await home();
    await lockHome(path, { boot: { id: 'boot-a', at: BOOTED_AT } });
    await expect(lockHome(path, { pid: process.pid + 1, boot: { id: 'boot-a', at: BOOTED_AT + 3_600_000 } })).rejects.toThrow(`process ${process.pid}`);
  });

  it('takes over a lock file that names no process (emptied by a crash or by hand)', async () => {
    const path = await home();
    await writeFile(join(path, HOME_LOCK_FILE), '');
    await lockHome(path);
    expect(await holderOf(path)).toBe(process.pid);
  });

  it('leaves a lock another process took since alone when releasing', async () => {
    const path = await home();
    const lock = await lockHome(path);
    await writeFile(join(path, HOME_LOCK_FILE), `${process.pid + 1}\n${BOOTED_AT}\n`);
    lock.release();
    expect(await holderOf(path)).toBe(process.pid + 1);
  });

  it('lets only one of two starts racing over the lock of a process that is gone take it', async () => {
    const path = await home();
    const dead = exitedPid();
    for (let round = 0; round < 30; round += 1) {
      await writeFile(join(path, HOME_LOCK_FILE), `${dead}\n${BOOTED_AT}\n`);
      // This process and its parent stand in for two starts: both are running.
      const outcomes = await Promise.allSettled([lockHome(path, { pid: process.pid }), lockHome(path, { pid: process.ppid })]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect([process.pid, process.ppid]).toContain(await holderOf(path));
    }
  });

  it('lets only one of two starts take a free lock at once', async () => {
    const path = await home();
    for (let round = 0; round < 30; round += 1) {
      const outcomes = await Promise.allSettled([lockHome(path, { pid: process.pid }), lockHome(path, { pid: process.ppid })]);
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(won).toHaveLength(1);
      (won[0] as PromiseFulfilledResult<{ release: () => void }>).value.release();
    }
  });
});
