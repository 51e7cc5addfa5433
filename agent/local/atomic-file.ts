import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage, StoreError } from '../../tools/errors.ts';

/** The name of a file being written (`<name>.<uuid>.tmp`), which a listing leaves out; a user's own `.tmp` files stay in. */
export const WRITE_IN_PROGRESS = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Write to a temp file and rename, so a crash never leaves a half-written file behind. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, content, 'utf8');
  await rename(temp, path);
}

/** Like writeFileAtomic, but fails with EEXIST instead of replacing a file that is already there. */
export async function writeFileExclusive(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, content, 'utf8');
  try {
    await link(temp, path);
  } finally {
    await unlink(temp);
  }
}

export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A JSON file's content, or `fallback` when there is no file. A damaged file is refused by name and left as it is. */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  const raw = await readFileIfExists(path);
  return raw === undefined ? fallback : parseStoredJson<T>(raw, path);
}

/** JSON read from `where` (a file, or a line of one); what is wrong is said with the place, so it can be fixed by hand. */
export function parseStoredJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StoreError(`${where} is not valid JSON (${errorMessage(error)}). Fix or remove it; it is left as it is.`, { cause: error });
  }
}

/** Runs tasks for one key strictly one after another; read-modify-write on a file needs this within a process. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
