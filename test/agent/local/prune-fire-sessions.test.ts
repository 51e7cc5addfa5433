import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneFireSessions } from '../../../agent/local/prune-fire-sessions.ts';
import { useTempDirs } from '../../stand-ins/temp-dir.ts';

describe('pruneFireSessions', () => {
  const tempDir = useTempDirs();

  it("removes the sessions of job runs older than the TTL, keeping newer runs and every chat's own", async () => {
    const dir = { path: await tempDir('hermes-sessions-') };
    const now = Date.UTC(2026, 11, 2);
    const folder = async (key: string, daysOld: number) => {
      const path = join(dir.path, encodeURIComponent(key));
      await mkdir(path);
      await writeFile(join(path, 'row.json'), '{}');
      const at = new Date(now - daysOld * 86_400_000);
      await utimes(path, at, at);
    };
    await folder('cron:hermes-p42-1a2b:2026-08-01T09:00:00.000Z', 120);
    await folder('cron:hermes-p42-1a2b:2026-11-30T09:00:00.000Z', 2);
    await folder('tg:42', 400);
    await folder('terminal:local', 400);

    expect(await pruneFireSessions(dir.path, { olderThanDays: 90, now })).toBe(1);
    expect((await readdir(dir.path)).map(decodeURIComponent).sort()).toEqual(['cron:hermes-p42-1a2b:2026-11-30T09:00:00.000Z', 'terminal:local', 'tg:42']);
  });

  it('does nothing where no session was ever stored', async () => {
    expect(await pruneFireSessions('/nonexistent/hermes/sessions', { olderThanDays: 90 })).toBe(0);
  });
});
