import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkpointItem, turnItem, type SessionItem } from '../agent/aws/dynamodb-session-items.ts';
import type { Turn } from '../agent/ports/session-store.ts';
import { summaryId } from '../agent/session-keys.ts';
import { storedTurn, SUMMARY_TEXT } from './chat-fixture.ts';

/** BatchWriteItem's limit, and how many batches go out at once. */
const BATCH_SIZE = 25;
const PARALLEL_BATCHES = 8;
/** Compaction keeps about half the window (20 of 40 turns) verbatim and folds the rest into a summary. */
const TURNS_PER_SUMMARY = 20;
const EXPIRES_AT = Math.floor(Date.now() / 1000) + 90 * 86_400;

/** `count` turns, one a minute, ending a minute ago: older than anything the benchmark sends next. */
export function pastTurns(count: number): Turn[] {
  const start = Date.now() - (count + 1) * 60_000;
  return Array.from({ length: count }, (_, n) => storedTurn(n, start + n * 60_000));
}

/**
 * Writes a chat's history straight into the table, as the real store's rows, with a summary every 20 turns the
 * way compaction leaves them. The newest 20 turns stay unsummarized, so a chat of any length continues in the
 * same state: a summary plus a tail of 20 turns (a short chat has only its turns).
 */
export async function seedHistory(doc: DynamoDBDocumentClient, table: string, sessionKey: string, turns: Turn[]): Promise<void> {
  const items: SessionItem[] = [];
  turns.forEach((turn, index) => {
    items.push(turnItem(sessionKey, turn, EXPIRES_AT));
    const summarizedThrough = index + 1;
    if (summarizedThrough % TURNS_PER_SUMMARY === 0 && turns.length - summarizedThrough >= TURNS_PER_SUMMARY) {
      const checkpoint = { kind: 'summary' as const, id: summaryId(turn.id), at: turn.at, text: SUMMARY_TEXT, coversThrough: turn.id };
      items.push(checkpointItem(sessionKey, checkpoint, EXPIRES_AT));
    }
  });
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
