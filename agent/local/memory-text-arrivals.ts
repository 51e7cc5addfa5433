import type { TextArrivals } from '../ports/text-arrivals.ts';

/** Local mode is one process: the poller that queues a text and the worker that answers it share this map. */
export class MemoryTextArrivals implements TextArrivals {
  private readonly newestIds = new Map<string, number>();

  async record(key: string, updateId: number): Promise<void> {
    this.newestIds.set(key, Math.max(updateId, this.newestIds.get(key) ?? updateId));
  }

  async newest(key: string): Promise<number | undefined> {
    return this.newestIds.get(key);
  }
}
