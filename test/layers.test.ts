import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * The top-level folders from the ground floor up. A file may import from its own floor and the floors below it,
 * never from one above: the tools know nothing of the loop that calls them, the loop nothing of Telegram, and none
 * of them of the infrastructure, the evals or the bench built on top.
 */
const FLOORS: Record<string, number> = { tools: 1, agent: 2, handlers: 3, infra: 4, evals: 4, bench: 5 };

/** The stand-ins for AWS, Telegram and the models are shared with the evals and the bench by design; nothing else of test/ is. */
const SHARED_TEST_FOLDER = 'test/stand-ins/';

interface ImportEdge {
  from: string;
  to: string;
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** Static imports, re-exports and `import()` calls (types included) that name a file of this tree. */
function relativeImports(file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of source.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const to = relative(ROOT, resolve(ROOT, dirname(file), match[1]!)).split(sep).join('/');
    edges.push({ from: file, to });
  }
  return edges;
}

const floorOf = (path: string) => FLOORS[path.split('/')[0]!];

describe('imports between top-level folders', async () => {
  const files = (await Promise.all(Object.keys(FLOORS).map(sourceFiles))).flat();
  const edges = (await Promise.all(files.map(async (file) => relativeImports(file, await readFile(join(ROOT, file), 'utf8'))))).flat();

  it('reads the whole tree', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(edges.length).toBeGreaterThan(500);
  });

  it('never run from a lower floor to a higher one (tools → agent → handlers → infra, evals → bench)', () => {
    const upward = edges.filter(({ from, to }) => floorOf(to) !== undefined && floorOf(to)! > floorOf(from)!);
    expect(upward).toEqual([]);
  });

  it('reach into test/ only for the shared stand-ins, and only from the evals and the bench', () => {
    const intoTests = edges.filter(({ to }) => to.startsWith('test/'));
    expect(intoTests.filter(({ from, to }) => !to.startsWith(SHARED_TEST_FOLDER) || floorOf(from)! < FLOORS.evals!)).toEqual([]);
  });
});
