import type { TextArrivals } from '../ports/text-arrivals.ts';

/** Local mode is one process: the poller that queues an update and the worker that answers it share these maps. */
export class MemoryTextArrivals implements TextArrivals {
  private readonly conversations = new Map<string, { texts: Map<number, number>; other: number | undefined }>();

  async record(conversation: string, { updateId, textOf }: { updateId: number; textOf?: number }): Promise<void> {
    const seen = this.conversations.get(conversation) ?? { texts: new Map<number, number>(), other: undefined };
    this.conversations.set(conversation, seen);
    if (textOf === undefined) seen.other = Math.max(updateId, seen.other ?? updateId);
    else seen.texts.set(textOf, Math.max(updateId, seen.texts.get(textOf) ?? updateId));
  }

  async seen(conversation: string, senderId: number): Promise<{ newestText?: number; newestOther?: number }> {
    const seen = this.conversations.get(conversation);
    if (!seen) return {};
    const others = [...seen.texts].filter(([sender]) => sender !== senderId).map(([, id]) => id);
    const newestOther = Math.max(seen.other ?? -1, ...others);
    const newestText = seen.texts.get(senderId);
    return { ...(newestText !== undefined ? { newestText } : {}), ...(newestOther >= 0 ? { newestOther } : {}) };
  }
}
