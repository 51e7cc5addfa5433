import { afterAll, beforeAll } from 'vitest';
import { DynamoDbTextArrivals } from '../../../agent/aws/dynamodb-text-arrivals.ts';
import { MemoryTextArrivals } from '../../../agent/local/memory-text-arrivals.ts';
import { textArrivalsContract } from '../../contracts/text-arrivals.contract.ts';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

textArrivalsContract('DynamoDB on dynalite', async (now) => ({ subject: new DynamoDbTextArrivals(dynamo.doc, await dynamo.createTable(), now) }));
textArrivalsContract('in-memory', async (now) => ({ subject: new MemoryTextArrivals(now) }));
