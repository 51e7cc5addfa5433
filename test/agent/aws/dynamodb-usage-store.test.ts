import { afterAll, beforeAll } from 'vitest';
import { DynamoDbUsageStore } from '../../../agent/aws/dynamodb-usage-store.ts';
import { usageStoreContract } from '../../contracts/usage-store.contract.ts';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

usageStoreContract('DynamoDB on dynalite', async () => ({ subject: new DynamoDbUsageStore(dynamo.doc, await dynamo.createTable()) }));
