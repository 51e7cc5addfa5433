import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { makeTempDir } from './temp-dir.ts';

export interface S3rverHarness {
  endpoint: string;
  /** The emulator's own HTTP server, e.g. to count requests on the wire. */
  server: Server;
  s3: S3Client;
  /** A bucket created at start, for suites that need only one. */
  bucket: string;
  /** A fresh, uniquely named bucket: isolation per test without restarting the server. */
  createBucket(): Promise<string>;
  close(): Promise<void>;
}

async function createBucket(s3: S3Client): Promise<string> {
  const bucket = `hermes-${randomUUID()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** s3rver on a free loopback port, storing objects in a temp dir removed on close. */
export async function startS3rver(): Promise<S3rverHarness> {
  const dir = await makeTempDir('hermes-s3rver-');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir.path });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // Path-style addressing: the emulator has one host name, not one per bucket.
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    server: server.httpServer,
    s3,
    bucket: await createBucket(s3),
    createBucket: () => createBucket(s3),
    close: async () => {
      s3.destroy();
      await server.close();
      await dir.remove();
    },
  };
}
