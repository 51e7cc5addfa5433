import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueuedEvent } from '../ports/turn-queue.ts';
import { readFileIfExists, writeFileAtomic } from './atomic-file.ts';

/** An event the queue took and has not finished with, and when it was queued. */
export interface JournaledEvent {
  event: QueuedEvent;
  sentAt: number;
  /** An attempt began: the process may have died after it stored an answer, or while its reply waited. */
  started?: true;
}

/**
 * The events `npm start`'s queue holds, one file each under `HERMES_HOME/queue/`, written before the update is
 * acknowledged and removed once it was answered (or given up). Telegram forgets an update as soon as the next
 * getUpdates confirms it, so without this a crash, a closed laptop lid that ran out of battery, or Ctrl-C while a
 * reply waited to be sent again lost the message for good; the next start runs what is left.
 */
export class FileQueueJournal {
  constructor(private readonly dir: string) {}

  async add(entry: JournaledEvent): Promise<void> {
    await writeFileAtomic(this.path(entry.event.deduplicationId), JSON.stringify(entry));
  }

  async remove(deduplicationId: string): Promise<void> {
    await rm(this.path(deduplicationId), { force: true });
  }

  /** What is left, oldest first. A file that does not parse (a crash mid-write cannot leave one; a hand edit can) is left alone. */
  async pending(): Promise<JournaledEvent[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const entries = await Promise.all(names.filter((name) => name.endsWith('.json')).map((name) => this.read(join(this.dir, name))));
    return entries.filter((entry): entry is JournaledEvent => entry !== undefined).sort((a, b) => a.sentAt - b.sentAt);
  }

  private async read(path: string): Promise<JournaledEvent | undefined> {
    try {
      const entry = JSON.parse((await readFileIfExists(path)) ?? 'null') as JournaledEvent | null;
      return entry && typeof entry.sentAt === 'number' && typeof entry.event?.deduplicationId === 'string' ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  private path(deduplicationId: string): string {
    return join(this.dir, `${encodeURIComponent(deduplicationId)}.json`);
  }
}
