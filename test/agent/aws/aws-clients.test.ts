import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';
import { startS3rver, type S3rverHarness } from '../../stand-ins/s3rver.ts';

let dynamo: DynaliteHarness;
let s3rver: S3rverHarness;
beforeAll(async () => {
  [dynamo, s3rver] = await Promise.all([startDynalite(), startS3rver()]);
});
afterAll(async () => {
  await Promise.all([dynamo.close(), s3rver.close()]);
});

// The clients are built once per process, so each test loads a fresh copy of the module after setting the env.
beforeEach(() => {
  vi.resetModules();
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_ENDPOINT_URL', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

it('reaches DynamoDB through AWS_ENDPOINT_URL_DYNAMODB and drops undefined attributes', async () => {
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  const { createDocumentClient } = await import('../../../agent/aws/aws-clients.ts');
  const doc = createDocumentClient();
  expect(createDocumentClient()).toBe(doc);
  await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: { pk: 'p', sk: 's', gone: undefined } }));
  expect((await doc.send(new GetCommand({ TableName: dynamo.tableName, Key: { pk: 'p', sk: 's' } }))).Item).toEqual({ pk: 'p', sk: 's' });
  doc.destroy();
});

it('uses path-style S3 addressing when an S3 endpoint is configured, virtual-host style otherwise', async () => {
  const { loadConfig } = await import('../../../agent/config.ts');
  const emulated = (await import('../../../agent/aws/aws-clients.ts')).createS3Client(loadConfig({ AWS_ENDPOINT_URL_S3: s3rver.endpoint }).s3ForcePathStyle);
  expect(emulated.config.forcePathStyle).toBe(true);
  emulated.destroy();

  vi.resetModules();
  const real = (await import('../../../agent/aws/aws-clients.ts')).createS3Client(loadConfig({}).s3ForcePathStyle);
  expect(real.config.forcePathStyle).toBe(false);
  real.destroy();
});
