import type { Config } from './config.ts';
import { MemoryTextArrivals } from './local/memory-text-arrivals.ts';
import type { TextArrivals } from './ports/text-arrivals.ts';

/** Where the worker reads the texts the webhook queued: the shared table when they are separate invocations. */
export async function textArrivalsFor(config: Config): Promise<TextArrivals> {
  if (config.sessions.backend !== 'dynamodb') return new MemoryTextArrivals();
  const [{ createDocumentClient }, { DynamoDbTextArrivals }] = await Promise.all([import('./aws/aws-clients.ts'), import('./aws/dynamodb-text-arrivals.ts')]);
  return new DynamoDbTextArrivals(createDocumentClient(), config.sessions.table);
}
