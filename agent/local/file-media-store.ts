import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaStore, StoredMedia } from '../ports/media-store.ts';
import { assertSafePrefix, assertSafeRelativePath } from '../../tools/skill-paths.ts';

/** Media under `HERMES_HOME/media/<key>`; the content type sits beside each file, as S3 keeps it with the object. */
export class FileMediaStore implements MediaStore {
  constructor(private readonly root: string) {}

  async put(key: string, content: Uint8Array, contentType: string): Promise<StoredMedia> {
    assertSafeRelativePath(key);
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, content);
    await writeFile(`${path}.type`, contentType, 'utf8');
    await rename(temp, path);
    return { key, contentType, size: content.byteLength };
  }

  async get(key: string): Promise<{ content: Uint8Array; contentType: string } | undefined> {
    assertSafeRelativePath(key);
    const path = join(this.root, key);
    try {
      const [content, contentType] = await Promise.all([readFile(path), readFile(`${path}.type`, 'utf8')]);
      return { content: new Uint8Array(content), contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertSafePrefix(prefix);
    let entries: string[];
    try {
      entries = await readdir(this.root, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A file counts once its type is written beside it; a put interrupted halfway is not listed.
    const present = new Set(entries);
    return entries.filter((key) => key.startsWith(prefix) && present.has(`${key}.type`)).sort();
  }
}
