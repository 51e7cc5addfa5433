import { afterAll, beforeAll } from 'vitest';
import { DynamoDbAlbumRoster } from '../../../agent/aws/dynamodb-album-roster.ts';
import { albumRosterContract } from '../../contracts/album-roster.contract.ts';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

albumRosterContract('DynamoDB on dynalite', async () => ({
  subject: new DynamoDbAlbumRoster(dynamo.doc, await dynamo.createTable()),
}));
