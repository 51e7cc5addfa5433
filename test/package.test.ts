import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const read = <T>(name: string) => JSON.parse(readFileSync(join(root, name), 'utf8')) as T;

/**
 * npm 11.16 lists dependencies whose install scripts `allowScripts` does not approve, and a later npm blocks them
 * (npm-approve-scripts, read 2026-12-02). Node 24 itself arrives by the `node` package's install script, so an
 * unapproved one would break `npm ci && npm test` on a fresh machine.
 */
it('approves, in allowScripts, the install script of every package the lockfile says has one', () => {
  const withScripts = Object.entries(read<{ packages: Record<string, { hasInstallScript?: boolean }> }>('package-lock.json').packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  expect(withScripts.length).toBeGreaterThan(0);
  const approved = read<{ allowScripts?: Record<string, boolean> }>('package.json').allowScripts ?? {};
  expect(withScripts.filter((name) => approved[name] !== true)).toEqual([]);
});
