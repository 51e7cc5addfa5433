import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChatSettings, SessionStore, SessionWindow, Summary, Turn } from '../agent/ports/session-store.ts';

interface HistoryItem {
  turns: Turn[];
  summary?: Summary;
}

/**
 * The baseline the real store is measured against: a chat's whole history as ONE DynamoDB item. Every turn
 * reads the item, appends and writes it back, and the prompt is the entire history. Simple, and it grows
 * without bound until DynamoDB's 400 KB item limit refuses the write. Concurrent appends would also overwrite
 * each other; the benchmark drives it one turn at a time so only size and time are compared.
 */
export class NaiveHistoryStore implements SessionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async appendTurn(sessionKey: string, { summary, ...turn }: Turn): Promise<void> {
    const history = await this.read(sessionKey);
    const kept = summary ? history.turns.filter((earlier) => earlier.id > summary.coversThrough) : history.turns;
    const latest = summary ?? history.summary;
    await this.write(sessionKey, { turns: [...kept, turn], ...(latest ? { summary: latest } : {}) });
  }

  async loadWindow(sessionKey: string): Promise<SessionWindow> {
    const { turns, summary } = await this.read(sessionKey);
    return { turns, truncated: false, ...(summary ? { summary } : {}) };
  }

  async hasTurn(sessionKey: string, id: string): Promise<boolean> {
    return (await this.read(sessionKey)).turns.some((turn) => turn.id === id);
  }

  async reset(sessionKey: string): Promise<void> {
    await this.write(sessionKey, { turns: [] });
  }

  async removeLastTurn(sessionKey: string): Promise<Turn | undefined> {
    const history = await this.read(sessionKey);
    const last = history.turns.pop();
    if (last) await this.write(sessionKey, history);
    return last;
  }

  /** The benchmark never switches models. */
  async loadSettings(): Promise<ChatSettings> {
    return {};
  }

  async saveSettings(): Promise<void> {}

  /** Writes a whole history at once, as seeding does; fails like appendTurn once the item is too large. */
  async write(sessionKey: string, history: HistoryItem): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: `NAIVE#${sessionKey}`, sk: 'HISTORY', history: JSON.stringify(history) } }));
  }

  private async read(sessionKey: string): Promise<HistoryItem> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `NAIVE#${sessionKey}`, sk: 'HISTORY' } }));
    return Item ? (JSON.parse(String(Item.history)) as HistoryItem) : { turns: [] };
  }
}
