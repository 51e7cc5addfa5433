import { afterAll, beforeAll } from 'vitest';
import { DynamoDbStopRequests } from '../../../agent/aws/dynamodb-stop-requests.ts';
import { MemoryStopRequests } from '../../../agent/local/memory-stop-requests.ts';
import { stopRequestsContract } from '../../contracts/stop-requests.contract.ts';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

stopRequestsContract('DynamoDB on dynalite', async () => ({ subject: new DynamoDbStopRequests(dynamo.doc, await dynamo.createTable()) }));
stopRequestsContract('in-memory', async () => ({ subject: new MemoryStopRequests() }));
