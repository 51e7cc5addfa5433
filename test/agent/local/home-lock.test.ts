import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOME_LOCK_FILE, lockHome } from '../../../agent/local/home-lock.ts';
import { useTempDirs } from '../../stand-ins/temp-dir.ts';

/** The id of a process that has exited, so none runs under it (ids are reused only after many more processes). */
function exitedPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('lockHome', () => {
  const tempDir = useTempDirs();
  const home = () => tempDir('hermes-lock-');

  it('holds HERMES_HOME for one process, refusing another while it runs, and frees it on release', async () => {
    const path = await home();
    const lock = await lockHome(path);
    expect(await readFile(join(path, HOME_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await expect(lockHome(path, process.pid + 1)).rejects.toThrow(`is in use by another npm start (process ${process.pid})`);
    lock.release();
    await expect(readFile(join(path, HOME_LOCK_FILE), 'utf8')).rejects.toThrow(/ENOENT/);
    (await lockHome(path, 4242)).release();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const path = await home();
    await writeFile(join(path, HOME_LOCK_FILE), `${exitedPid()}\n`);
    await lockHome(path);
    expect(await readFile(join(path, HOME_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('takes over a lock file that names no process (emptied by a crash or by hand)', async () => {
    const path = await home();
    await writeFile(join(path, HOME_LOCK_FILE), '');
    await lockHome(path);
    expect(await readFile(join(path, HOME_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('leaves a lock another process took since alone when releasing', async () => {
    const path = await home();
    const lock = await lockHome(path);
    await writeFile(join(path, HOME_LOCK_FILE), `${process.pid + 1}\n`);
    lock.release();
    expect(await readFile(join(path, HOME_LOCK_FILE), 'utf8')).toBe(`${process.pid + 1}\n`);
  });

  it('lets only one of two starts racing over the lock of a process that is gone take it', async () => {
    const path = await home();
    const dead = exitedPid();
    for (let round = 0; round < 30; round += 1) {
      await writeFile(join(path, HOME_LOCK_FILE), `${dead}\n`);
      // This process and its parent stand in for two starts: both are running.
      const outcomes = await Promise.allSettled([lockHome(path, process.pid), lockHome(path, process.ppid)]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const holder = Number((await readFile(join(path, HOME_LOCK_FILE), 'utf8')).trim());
      expect([process.pid, process.ppid]).toContain(holder);
    }
  });
});
