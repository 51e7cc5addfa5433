import { readdir, realpath, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ValidationError } from '../../tools/errors.ts';
import type { SkillStore } from '../../tools/ports/skill-store.ts';
import { assertSafePrefix, assertSafeRelativePath } from '../../tools/skill-paths.ts';
import { readFileIfExists, WRITE_IN_PROGRESS, writeFileAtomic } from './atomic-file.ts';

/** Skills as plain files under `HERMES_HOME/skills`, the layout classic Hermes uses. */
export class FileSkillStore implements SkillStore {
  constructor(private readonly root: string) {}

  async listFiles(prefix = ''): Promise<string[]> {
    assertSafePrefix(prefix);
    const files: string[] = [];
    await this.walk(join(this.root, prefix), files);
    return files.map((file) => relative(this.root, file).split(sep).join('/')).sort();
  }

  async readFile(path: string): Promise<string | undefined> {
    assertSafeRelativePath(path);
    await this.assertInsideRoot(path);
    // A folder's path names no file, as in S3, where "references" is no object.
    return readFileIfExists(join(this.root, path)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    });
  }

  async writeFile(path: string, content: string): Promise<void> {
    assertSafeRelativePath(path);
    await this.assertInsideRoot(path);
    await writeFileAtomic(join(this.root, path), content);
  }

  /**
   * A symbolic link already in the skills folder (a copied collection, a git checkout) must not lead a read or a
   * write outside it; the listing leaves links out, and so do reads and writes through them.
   */
  private async assertInsideRoot(path: string): Promise<void> {
    const root = await realpath(this.root).catch(() => undefined);
    if (root === undefined) return;
    let existing = join(this.root, path);
    for (;;) {
      const real = await realpath(existing).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (real !== undefined) {
        if (real !== root && !real.startsWith(root + sep)) throw new ValidationError(`Path "${path}" leads outside the skills folder.`);
        return;
      }
      existing = dirname(existing);
    }
  }

  async deleteFile(path: string): Promise<void> {
    assertSafeRelativePath(path);
    await this.assertInsideRoot(path);
    await rm(join(this.root, path), { force: true });
    await this.pruneEmptyDirs(dirname(join(this.root, path)));
  }

  private async walk(dir: string, into: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(full, into);
      else if (entry.isFile() && !WRITE_IN_PROGRESS.test(entry.name)) into.push(full);
    }
  }

  /** Object stores have no directories; removing empty ones keeps both adapters listing the same tree. */
  private async pruneEmptyDirs(dir: string): Promise<void> {
    while (dir.startsWith(this.root) && dir !== this.root) {
      try {
        if ((await readdir(dir)).length > 0) return;
        await rmdir(dir);
      } catch {
        return;
      }
      dir = dirname(dir);
    }
  }
}
