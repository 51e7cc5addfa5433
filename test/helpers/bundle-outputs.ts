import { resolve } from 'node:path';
import type { Metafile } from 'esbuild';

export interface BundleOutputs {
  /** Every JavaScript file of the bundle (source maps aside). */
  files: string[];
  totalBytes: number;
  /** The entry and what it imports statically: all a cold container parses before its first request. */
  coldPath: string[];
  coldPathBytes: number;
}

/**
 * Reads esbuild's metafile for the bundle whose entry is `entryFile`. Paths stay as the metafile gives them,
 * relative to esbuild's working directory. Chunks made for dynamic imports are entry points too, so the entry is
 * found by its file.
 */
export function describeOutputs(metafile: Metafile, entryFile: string): BundleOutputs {
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const byPath = new Map(outputs);
  const entry = outputs.find(([path]) => resolve(path) === resolve(entryFile));
  if (!entry) throw new Error(`the bundle has no output ${entryFile}`);
  const coldPath = new Set<string>();
  const visit = (path: string) => {
    if (coldPath.has(path)) return;
    coldPath.add(path);
    for (const imported of byPath.get(path)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry[0]);
  const bytesOf = (paths: Iterable<string>) => [...paths].reduce((sum, path) => sum + byPath.get(path)!.bytes, 0);
  return { files: outputs.map(([path]) => path), totalBytes: bytesOf(byPath.keys()), coldPath: [...coldPath], coldPathBytes: bytesOf(coldPath) };
}
