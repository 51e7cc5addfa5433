import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rowFromItem } from '../../agent/aws/dynamodb-session-items.ts';
import { MESSAGE_SK_PREFIX, sessionPk } from '../../agent/aws/table-keys.ts';
import type { Turn } from '../../agent/ports/session-store.ts';

/**
 * Every turn stored for a session, oldest first, read straight from the table: unlike a window it is not cut
 * at resets or summaries, so it shows exactly what was persisted.
 */
export async function storedTurns(doc: DynamoDBDocumentClient, table: string, sessionKey: string): Promise<Turn[]> {
  const turns: Turn[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': sessionPk(sessionKey), ':msg': MESSAGE_SK_PREFIX },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const row = rowFromItem(item);
      if (row.kind === 'turn') turns.push({ id: row.id, at: row.at, messages: row.messages });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return turns;
}

/** The text of a turn's user message, for order and content checks. */
export function userTextOf(turn: Turn): string {
  const first = turn.messages[0];
  return first && typeof first.content === 'string' ? first.content : JSON.stringify(first?.content);
}
