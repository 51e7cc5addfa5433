import { execFileSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const REPO = new URL('..', import.meta.url).pathname;

/** A commit the text path is compared against, and why it is the one. */
export interface BaselineCommit {
  commit: string;
  label: string;
}

/**
 * Builds the handler bundle of an earlier commit with that commit's own build options (its infra/handler-bundle.ts),
 * sharing today's node_modules, so a cold start can be timed against today's in the same run. Undefined when this
 * clone does not hold the commit (a shallow clone in CI).
 */
export async function buildCommitBundle(baseline: BaselineCommit, dir: string): Promise<string | undefined> {
  const source = join(dir, `src-${baseline.commit}`);
  try {
    execFileSync('git', ['-C', REPO, 'cat-file', '-e', `${baseline.commit}^{commit}`], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  await mkdir(source, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${REPO}" archive --format=tar ${baseline.commit} | tar -x -C "${source}"`]);
  await symlink(join(REPO, 'node_modules'), join(source, 'node_modules'), 'dir');
  const bundleModule = (await import(pathToFileURL(join(source, 'infra', 'handler-bundle.ts')).href)) as {
    handlerBuildOptions: (outdir: string) => Parameters<typeof build>[0];
    ENTRY_FILE: string;
  };
  const outdir = join(dir, `bundle-${baseline.commit}`);
  await build(bundleModule.handlerBuildOptions(outdir));
  return join(outdir, bundleModule.ENTRY_FILE);
}
