import { join, resolve } from 'node:path';
import type { Config } from '../../agent/config.ts';
import { ConfigError } from '../../tools/errors.ts';
import type { MediaStore } from '../../agent/ports/media-store.ts';

let cached: { config: Config; store: Promise<MediaStore> } | undefined;

/**
 * The media store, built when the first file arrives (not at start, so text-only containers never load it):
 * S3 when a bucket is configured, files under HERMES_HOME otherwise. On Lambda a local disk would lose the files.
 */
export function mediaStoreFor(config: Config): Promise<MediaStore> {
  if (cached?.config !== config) cached = { config, store: build(config) };
  return cached.store;
}

async function build(config: Config): Promise<MediaStore> {
  const { bucket, prefix } = config.media;
  if (bucket) {
    const [{ createS3Client }, { S3MediaStore }] = await Promise.all([import('../../agent/aws/aws-clients.ts'), import('../../agent/aws/s3-media-store.ts')]);
    return new S3MediaStore(createS3Client(config.s3ForcePathStyle), bucket, prefix);
  }
  if (config.onLambda) {
    throw new ConfigError('HERMES_MEDIA_S3_BUCKET', 'must be set on Lambda (or HERMES_SKILLS_S3_BUCKET): received files cannot live on the function\'s local disk.');
  }
  const { FileMediaStore } = await import('../../agent/local/file-media-store.ts');
  return new FileMediaStore(join(resolve(config.home), 'media'));
}
