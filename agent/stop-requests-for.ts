import type { Config } from './config.ts';
import { MemoryStopRequests } from './local/memory-stop-requests.ts';
import type { StopRequests } from './ports/stop-requests.ts';

/** Where the worker reads stop requests: the shared table when the webhook and worker are separate invocations. */
export async function stopRequestsFor(config: Config): Promise<StopRequests> {
  if (config.sessions.backend !== 'dynamodb') return new MemoryStopRequests();
  const [{ createDocumentClient }, { DynamoDbStopRequests }] = await Promise.all([
    import('./aws/aws-clients.ts'),
    import('./aws/dynamodb-stop-requests.ts'),
  ]);
  return new DynamoDbStopRequests(createDocumentClient(), config.sessions.table);
}
