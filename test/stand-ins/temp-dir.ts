import { afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function makeTempDir(prefix = 'hermes-test-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** For a suite: temp folders made on demand, each removed after the test that made it. */
export function useTempDirs(): (prefix?: string) => Promise<string> {
  const made: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((remove) => remove()));
  });
  return async (prefix) => {
    const dir = await makeTempDir(prefix);
    made.push(dir.remove);
    return dir.path;
  };
}
