import { afterAll, beforeAll } from 'vitest';
import { S3MediaStore } from '../../../agent/aws/s3-media-store.ts';
import { mediaStoreContract } from '../../contracts/media-store.contract.ts';
import { startS3rver, type S3rverHarness } from '../../stand-ins/s3rver.ts';

let s3rver: S3rverHarness;
beforeAll(async () => {
  s3rver = await startS3rver();
});
afterAll(async () => {
  await s3rver.close();
});

mediaStoreContract('S3 on s3rver', async () => ({
  subject: new S3MediaStore(s3rver.s3, await s3rver.createBucket(), 'media/'),
}));
