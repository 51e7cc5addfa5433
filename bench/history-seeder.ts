import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { turnItem, type SessionItem } from '../agent/aws/dynamodb-session-items.ts';
import { planCompaction } from '../agent/compaction.ts';
import type { Config } from '../agent/config.ts';
import type { SessionWindow, Turn } from '../agent/ports/session-store.ts';
import { storedTurn, SUMMARY_TEXT } from './chat-fixture.ts';

/** BatchWriteItem's limit, and how many batches go out at once. */
const BATCH_SIZE = 25;
const PARALLEL_BATCHES = 8;
const EXPIRES_AT = Math.floor(Date.now() / 1000) + 90 * 86_400;

export type CompactionSettings = Pick<Config, 'contextTokens' | 'windowTurns'>;

/** The benchmark's chats exchange a message a minute, which is when each stored and measured turn was received. */
const TURN_SPACING_MS = 60_000;

/** A chat whose `count` turns so far, and then `more` measured ones, all lie in the past, the newest a minute ago. */
export function chatTimeline(count: number, more = 0): { turns: Turn[]; receivedAt: (n: number) => number } {
  const origin = Date.now() - (count + more + 1) * TURN_SPACING_MS;
  const receivedAt = (n: number) => origin + n * TURN_SPACING_MS;
  return { turns: Array.from({ length: count }, (_, n) => storedTurn(n, receivedAt(n))), receivedAt };
}

/**
 * The turns as the agent loop would have left them: the same compaction plan runs before each one, and a turn
 * that compacted carries its summary. A chat of any length so continues exactly where real use would be.
 */
export function compactedHistory(turns: Turn[], settings: CompactionSettings): Turn[] {
  let window: SessionWindow = { turns: [], truncated: false };
  return turns.map((turn) => {
    const plan = planCompaction(window, { budgetTokens: settings.contextTokens, windowTurns: settings.windowTurns, now: turn.at });
    const summary = plan ? { text: SUMMARY_TEXT, coversThrough: plan.older.at(-1)!.id } : window.summary;
    const stored = plan ? { ...turn, summary: summary! } : turn;
    window = { ...(summary ? { summary } : {}), turns: [...(plan ? plan.tail : window.turns), turn], truncated: false };
    return stored;
  });
}

export interface SeededChat {
  table: string;
  sessionKey: string;
  turns: Turn[];
}

/** Writes a chat's history straight into the table as the real store's rows. */
export async function seedHistory(doc: DynamoDBDocumentClient, { table, sessionKey, turns }: SeededChat): Promise<void> {
  const items: SessionItem[] = turns.map((turn) => turnItem(sessionKey, turn, EXPIRES_AT));
  const batches = Array.from({ length: Math.ceil(items.length / BATCH_SIZE) }, (_, n) => items.slice(n * BATCH_SIZE, (n + 1) * BATCH_SIZE));
  for (let n = 0; n < batches.length; n += PARALLEL_BATCHES) {
    await Promise.all(batches.slice(n, n + PARALLEL_BATCHES).map((batch) => writeBatch(doc, table, batch)));
  }
}

async function writeBatch(doc: DynamoDBDocumentClient, table: string, items: SessionItem[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length > 0) {
    const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}
