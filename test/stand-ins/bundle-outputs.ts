import { resolve } from 'node:path';
import type { Metafile } from 'esbuild';

export interface BundleOutputs {
  /** Every JavaScript file of the bundle (source maps aside), as absolute paths. */
  files: string[];
  totalBytes: number;
  /** The entry and what it imports statically: all a cold container parses before its first request. */
  coldPath: string[];
  /** The metafile's inputs of the cold path, relative to the working directory. */
  coldPathInputs: string[];
  coldPathBytes: number;
}

/**
 * Reads esbuild's metafile for the bundle whose entry is `entryFile`; the metafile's paths are relative to the
 * build's working directory. Chunks made for dynamic imports are entry points too, so the entry is found by its file.
 */
export function describeOutputs(metafile: Metafile, entryFile: string, workingDir: string): BundleOutputs {
  const outputs = new Map(
    Object.entries(metafile.outputs)
      .filter(([path]) => path.endsWith('.mjs'))
      .map(([path, output]) => [resolve(workingDir, path), output] as const),
  );
  if (!outputs.has(resolve(entryFile))) throw new Error(`the bundle has no output ${entryFile}`);
  const coldPath = new Set<string>();
  const visit = (path: string) => {
    if (coldPath.has(path)) return;
    coldPath.add(path);
    for (const imported of outputs.get(path)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(resolve(workingDir, imported.path));
    }
  };
  visit(resolve(entryFile));
  const bytesOf = (paths: Iterable<string>) => [...paths].reduce((sum, path) => sum + outputs.get(path)!.bytes, 0);
  return {
    files: [...outputs.keys()],
    totalBytes: bytesOf(outputs.keys()),
    coldPath: [...coldPath],
    coldPathBytes: bytesOf(coldPath),
    coldPathInputs: [...coldPath].flatMap((path) => Object.keys(outputs.get(path)!.inputs)),
  };
}
