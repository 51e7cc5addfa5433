import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MediaStore, StoredMedia } from '../ports/media-store.ts';
import { assertSafePrefix, assertSafeRelativePath } from '../../tools/skill-paths.ts';
import { callAws, hasErrorName, toStoreError } from './aws-failure.ts';

/** Media as objects under `prefix` in one bucket (by default the skills bucket, under `media/`). */
export class S3MediaStore implements MediaStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    assertSafePrefix(prefix);
  }

  async put(key: string, content: Uint8Array, contentType: string): Promise<StoredMedia> {
    assertSafeRelativePath(key);
    const objectKey = this.prefix + key;
    await callAws(`S3 PutObject (s3://${this.bucket}/${objectKey})`, () =>
      this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: content, ContentType: contentType })),
    );
    return { key, contentType, size: content.byteLength };
  }

  async get(key: string): Promise<{ content: Uint8Array; contentType: string } | undefined> {
    assertSafeRelativePath(key);
    const objectKey = this.prefix + key;
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      const content = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      return { content, contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (hasErrorName(error, 'NoSuchKey', 'NotFound')) return undefined;
      throw toStoreError(`S3 GetObject (s3://${this.bucket}/${objectKey})`, error);
    }
  }

  uri(key: string): string {
    assertSafeRelativePath(key);
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  async list(prefix: string): Promise<string[]> {
    assertSafePrefix(prefix);
    const keys: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await callAws(`S3 ListObjectsV2 (s3://${this.bucket}/${this.prefix}${prefix})`, () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: continuationToken })),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(this.prefix.length));
      continuationToken = page.NextContinuationToken;
    } while (continuationToken);
    return keys.sort();
  }
}
