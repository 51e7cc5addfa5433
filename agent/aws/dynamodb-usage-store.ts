import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { assertDay, type DailyUsage, type UsageStore, type UsageFigures } from '../ports/usage-store.ts';
import { callAws } from './aws-failure.ts';
import { DAY_SK_PREFIX, usagePk } from './table-keys.ts';

/** Usage is kept for about 13 months, so a year can be compared with the one before. */
const KEEP_SECONDS = 400 * 86_400;

/**
 * One item per user and day in the single table (`USAGE#<user>`, `DAY#<day>`). An UpdateItem with ADD counts
 * atomically, so concurrent turns never lose each other's tokens; a range read is one Query.
 */
export class DynamoDbUsageStore implements UsageStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(userId: string, day: string, figures: UsageFigures): Promise<void> {
    assertDay(day);
    const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + KEEP_SECONDS;
    await callAws(`DynamoDB UpdateItem (usage of ${day})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: usagePk(userId), sk: DAY_SK_PREFIX + day },
          UpdateExpression: 'ADD uncachedInputTokens :u, cachedInputTokens :c, outputTokens :o, turns :t SET expiresAt = :e',
          ExpressionAttributeValues: {
            ':u': figures.uncachedInputTokens,
            ':c': figures.cachedInputTokens,
            ':o': figures.outputTokens,
            ':t': figures.turns,
            ':e': expiresAt,
          },
        }),
      ),
    );
  }

  async read(userId: string, fromDay: string, toDay: string): Promise<DailyUsage[]> {
    assertDay(fromDay);
    assertDay(toDay);
    if (fromDay > toDay) return [];
    const days: DailyUsage[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await callAws('DynamoDB Query (usage)', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': usagePk(userId), ':from': DAY_SK_PREFIX + fromDay, ':to': DAY_SK_PREFIX + toDay },
            // The budget check reads what the turn before wrote a moment ago (the queue starts the next one at once).
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        days.push({
          day: String(item.sk).slice(DAY_SK_PREFIX.length),
          uncachedInputTokens: Number(item.uncachedInputTokens ?? 0),
          cachedInputTokens: Number(item.cachedInputTokens ?? 0),
          outputTokens: Number(item.outputTokens ?? 0),
          turns: Number(item.turns ?? 0),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return days;
  }
}
