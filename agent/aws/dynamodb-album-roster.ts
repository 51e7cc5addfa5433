import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlbumMember, AlbumRoster } from '../ports/album-roster.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { albumMemberKey, albumPk } from './table-keys.ts';

/** An album is answered within seconds; its record only has to outlive the queue's retries. */
const ALBUM_TTL_SECONDS = 86_400;

/** One item per member under the album's partition: a conditional PutItem to record, a Query to read. */
export class DynamoDbAlbumRoster implements AlbumRoster {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(album: string, member: Omit<AlbumMember, 'takenBy'>): Promise<void> {
    // A member recorded before (a redelivered update) keeps its record: the condition fails and nothing changes.
    await conditionalWrite(`DynamoDB PutItem (member of album ${album})`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...albumMemberKey(album, member.messageId),
            messageId: member.messageId,
            recordedAt: member.recordedAt,
            message: member.message,
            expiresAt: Math.floor(member.recordedAt / 1000) + ALBUM_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async members(album: string): Promise<AlbumMember[]> {
    const { Items = [] } = await callAws(`DynamoDB Query (album ${album})`, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': albumPk(album) },
          ConsistentRead: true,
        }),
      ),
    );
    return Items.map((item) => ({
      messageId: Number(item.messageId),
      recordedAt: Number(item.recordedAt),
      message: String(item.message),
      ...(item.takenBy !== undefined ? { takenBy: Number(item.takenBy) } : {}),
    }));
  }

  async take(album: string, { leader, messageIds }: { leader: number; messageIds: number[] }): Promise<number[]> {
    const taken = await Promise.all(
      messageIds.map(async (messageId) => {
        const won = await conditionalWrite(`DynamoDB UpdateItem (member of album ${album})`, () =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: albumMemberKey(album, messageId),
              UpdateExpression: 'SET takenBy = :leader',
              ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(takenBy) OR takenBy = :leader)',
              ExpressionAttributeValues: { ':leader': leader },
            }),
          ),
        );
        return won ? messageId : undefined;
      }),
    );
    return taken.filter((id) => id !== undefined);
  }
}
