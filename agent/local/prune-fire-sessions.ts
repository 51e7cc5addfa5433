import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every run of a job leaves a session folder of its own (`sessions/cron:<job>:<slot>`, encoded), which matters only
 * while the fire could be delivered again; a job every five minutes leaves some 8,600 a month. On AWS the table's TTL
 * removes those rows after HERMES_SESSION_TTL_DAYS; `npm start` removes the folders as old at each start. Chats'
 * own sessions are kept, as the table keeps a chat's rows while it is written to. Returns how many were removed.
 */
export async function pruneFireSessions(sessionsDir: string, { olderThanDays, now = Date.now() }: { olderThanDays: number; now?: number }): Promise<number> {
  const names = await readdir(sessionsDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const cutoff = now - olderThanDays * 86_400_000;
  let removed = 0;
  for (const name of names) {
    if (!safeDecode(name).startsWith('cron:')) continue;
    const path = join(sessionsDir, name);
    const found = await stat(path).catch(() => undefined);
    if (!found?.isDirectory() || found.mtimeMs >= cutoff) continue;
    await rm(path, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
