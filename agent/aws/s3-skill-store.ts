import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SkillStore } from '../../tools/ports/skill-store.ts';
import { assertSafePrefix, assertSafeRelativePath } from '../../tools/skill-paths.ts';
import { callAws, hasErrorName, toStoreError } from './aws-failure.ts';

/** The skills tree as objects under `prefix` in one bucket; the object key is `prefix + path`. */
export class S3SkillStore implements SkillStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    assertSafePrefix(prefix);
  }

  async listFiles(prefix = ''): Promise<string[]> {
    assertSafePrefix(prefix);
    const files: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await callAws(`S3 ListObjectsV2 (s3://${this.bucket}/${this.prefix}${prefix})`, () =>
        this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: continuationToken }),
        ),
      );
      for (const object of page.Contents ?? []) {
        // Keys ending in "/" are folder markers (the S3 console creates them), not files.
        if (object.Key && !object.Key.endsWith('/')) files.push(object.Key.slice(this.prefix.length));
      }
      continuationToken = page.NextContinuationToken;
    } while (continuationToken);
    return files.sort();
  }

  async readFile(path: string): Promise<string | undefined> {
    assertSafeRelativePath(path);
    const key = this.prefix + path;
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (hasErrorName(error, 'NoSuchKey', 'NotFound')) return undefined;
      throw toStoreError(`S3 GetObject (s3://${this.bucket}/${key})`, error);
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    assertSafeRelativePath(path);
    const key = this.prefix + path;
    const contentType = path.endsWith('.md') ? 'text/markdown; charset=utf-8' : 'text/plain; charset=utf-8';
    await callAws(`S3 PutObject (s3://${this.bucket}/${key})`, () =>
      this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: content, ContentType: contentType })),
    );
  }

  async deleteFile(path: string): Promise<void> {
    assertSafeRelativePath(path);
    const key = this.prefix + path;
    // S3 answers 204 for a missing key too, so deleting a missing file needs no special case.
    await callAws(`S3 DeleteObject (s3://${this.bucket}/${key})`, () =>
      this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
  }
}
