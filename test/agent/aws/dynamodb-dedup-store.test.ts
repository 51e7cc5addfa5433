import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoDbDedupStore } from '../../../agent/aws/dynamodb-dedup-store.ts';
import { dedupStoreContract } from '../../contracts/dedup-store.contract.ts';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

dedupStoreContract('DynamoDB on dynalite', async () => ({
  subject: new DynamoDbDedupStore(dynamo.doc, await dynamo.createTable()),
}));

// dynalite never runs TTL deletion, like AWS running late, so the expired record is still there when claimed again.
it('lets an expired record be claimed again', async () => {
  let now = Date.UTC(2026, 0, 1);
  const store = new DynamoDbDedupStore(dynamo.doc, await dynamo.createTable(), () => now);
  expect(await store.claim('update:7', 60)).toBe(true);
  now += 59_000;
  expect(await store.claim('update:7', 60)).toBe(false);
  now += 2_000;
  expect(await store.claim('update:7', 60)).toBe(true);
  expect(await store.claim('update:7', 60)).toBe(false);
});
