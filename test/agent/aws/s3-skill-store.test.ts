import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { S3SkillStore } from '../../../agent/aws/s3-skill-store.ts';
import { StoreError } from '../../../tools/errors.ts';
import { skillLibraryContract } from '../../contracts/skill-library.contract.ts';
import { skillStoreContract } from '../../contracts/skill-store.contract.ts';
import { startS3rver, type S3rverHarness } from '../../stand-ins/s3rver.ts';

let s3rver: S3rverHarness;
beforeAll(async () => {
  s3rver = await startS3rver();
});
afterAll(async () => {
  await s3rver.close();
});

skillStoreContract('S3 on s3rver', async () => ({
  subject: new S3SkillStore(s3rver.s3, await s3rver.createBucket(), 'skills/'),
}));

skillLibraryContract('S3 on s3rver', async () => ({
  subject: new S3SkillStore(s3rver.s3, await s3rver.createBucket(), 'skills/'),
}));

it('keeps stores with different prefixes in one bucket apart', async () => {
  const bucket = await s3rver.createBucket();
  const alice = new S3SkillStore(s3rver.s3, bucket, 'users/alice/skills/');
  const bob = new S3SkillStore(s3rver.s3, bucket, 'users/bob/skills/');
  await alice.writeFile('pasta/SKILL.md', 'alice');
  await bob.writeFile('tea/SKILL.md', 'bob');
  expect(await alice.listFiles()).toEqual(['pasta/SKILL.md']);
  expect(await bob.listFiles()).toEqual(['tea/SKILL.md']);
  expect(await bob.readFile('pasta/SKILL.md')).toBeUndefined();
  await bob.deleteFile('pasta/SKILL.md');
  expect(await alice.readFile('pasta/SKILL.md')).toBe('alice');
});

it('works with an empty prefix', async () => {
  const store = new S3SkillStore(s3rver.s3, await s3rver.createBucket(), '');
  await store.writeFile('a/SKILL.md', 'x');
  expect(await store.listFiles()).toEqual(['a/SKILL.md']);
});

it('labels markdown files as markdown and everything else as plain text', async () => {
  const bucket = await s3rver.createBucket();
  const store = new S3SkillStore(s3rver.s3, bucket, 'skills/');
  await store.writeFile('a/SKILL.md', 'x');
  await store.writeFile('a/scripts/run.sh', 'x');
  const contentType = async (key: string) => (await s3rver.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentType;
  expect(await contentType('skills/a/SKILL.md')).toBe('text/markdown; charset=utf-8');
  expect(await contentType('skills/a/scripts/run.sh')).toBe('text/plain; charset=utf-8');
});

it('reports S3 failures as StoreErrors naming the object, not as missing files', async () => {
  const store = new S3SkillStore(s3rver.s3, 'hermes-no-such-bucket', 'skills/');
  await expect(store.readFile('a/SKILL.md')).rejects.toThrow(StoreError);
  await expect(store.writeFile('a/SKILL.md', 'x')).rejects.toThrow(/S3 PutObject \(s3:\/\/hermes-no-such-bucket\/skills\/a\/SKILL.md\) failed: NoSuchBucket/);
});
