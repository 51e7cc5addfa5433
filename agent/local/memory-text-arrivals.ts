import type { TextArrivals } from '../ports/text-arrivals.ts';
import { ARRIVAL_TTL_MS, seenOf, type Recorded } from '../text-arrivals-seen.ts';

/** Local mode is one process: the poller that queues an update and the worker that answers it share this map. */
export class MemoryTextArrivals implements TextArrivals {
  private readonly conversations = new Map<string, Map<string, Recorded>>();

  constructor(private readonly now: () => number = Date.now) {}

  async record(conversation: string, { updateId, textOf }: { updateId: number; textOf?: number }): Promise<void> {
    const entries = this.conversations.get(conversation) ?? new Map<string, Recorded>();
    this.conversations.set(conversation, entries);
    const name = textOf === undefined ? 'other' : String(textOf);
    const at = this.now();
    const stored = entries.get(name);
    // A stale entry gives way whatever its id: Telegram picks update ids afresh after a week without updates.
    if (!stored || stored.id < updateId || stored.at < at - ARRIVAL_TTL_MS) entries.set(name, { id: updateId, at });
  }

  async seen(conversation: string, senderId: number, since: number): Promise<{ newestText?: number; newestOther?: number }> {
    return seenOf([...(this.conversations.get(conversation) ?? new Map<string, Recorded>())], { senderId: String(senderId), since });
  }
}
