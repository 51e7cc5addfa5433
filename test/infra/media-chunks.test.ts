import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUNDLE_WORKING_DIR, handlerBuildOptions } from '../../infra/handler-bundle.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let metafile: Metafile;

beforeAll(async () => {
  dir = await makeTempDir('hermes-media-chunks-');
  metafile = (await build({ ...handlerBuildOptions(join(dir.path, 'bundle')), metafile: true })).metafile!;
}, 60_000);
afterAll(async () => dir.remove());

/** The sources a chunk and everything it imports statically bring in: what loading that chunk costs. */
function staticInputs(containing: string): string[] {
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const start = outputs.find(([, output]) => Object.keys(output.inputs).some((input) => input.endsWith(containing)));
  if (!start) throw new Error(`no chunk holds ${containing}`);
  const byPath = new Map(outputs.map(([path, output]) => [resolve(BUNDLE_WORKING_DIR, path), output] as const));
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of byPath.get(path)?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(resolve(BUNDLE_WORKING_DIR, imported.path));
    }
  };
  visit(resolve(BUNDLE_WORKING_DIR, start[0]));
  return [...seen].flatMap((path) => Object.keys(byPath.get(path)!.inputs));
}

it('keeps media code out of what a text update loads', () => {
  const textPath = staticInputs('handlers/lambda-app.ts');
  expect(textPath.some((input) => input.endsWith('handlers/incoming-message.ts'))).toBe(true);
  expect(textPath.filter((input) => /handlers\/media\/|media-store\.ts|transcriber\.ts|node_modules\/(unpdf|@aws-sdk\/client-transcribe|@ai-sdk\/openai)\//.test(input))).toEqual([]);
});

it('loads the PDF library only with the PDF reader', () => {
  const mediaPath = staticInputs('handlers/media/media-turn.ts');
  expect(mediaPath.some((input) => input.endsWith('handlers/media/convert-file.ts'))).toBe(true);
  expect(mediaPath.filter((input) => input.includes('node_modules/unpdf/'))).toEqual([]);
  expect(staticInputs('handlers/media/pdf-text.ts').some((input) => input.includes('node_modules/unpdf/'))).toBe(true);
});

it('reads a PDF with unpdf as bundled for the Lambda (pdf.js inside esbuild chunks)', async () => {
  const outdir = join(dir.path, 'pdf-only');
  await build({ ...handlerBuildOptions(outdir), entryPoints: { 'pdf-text': join(import.meta.dirname, '..', '..', 'handlers', 'media', 'pdf-text.ts') }, outdir });
  const { readPdf } = (await import(pathToFileURL(join(outdir, 'pdf-text.mjs')).href)) as typeof import('../../handlers/media/pdf-text.ts');
  const pdf = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', 'meeting-notes.pdf'));
  const result = await readPdf(pdf, { maxPages: 5, maxChars: 10_000 });
  expect(result.pages).toBe(2);
  expect(result.text).toContain('Decision: ship version 2 on Friday.');
}, 60_000);

it('loads the audio parser only for a recording shared as a file, and it reads one as bundled for the Lambda', async () => {
  expect(staticInputs('handlers/media/media-turn.ts').filter((input) => input.includes('node_modules/music-metadata/'))).toEqual([]);
  const outdir = join(dir.path, 'audio-only');
  await build({ ...handlerBuildOptions(outdir), entryPoints: { 'audio-length': join(import.meta.dirname, '..', '..', 'handlers', 'media', 'audio-length.ts') }, outdir });
  const { audioSeconds } = (await import(pathToFileURL(join(outdir, 'audio-length.mjs')).href)) as typeof import('../../handlers/media/audio-length.ts');
  const ogg = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', 'voice-reminder.ogg'));
  expect(await audioSeconds(ogg, 'audio/ogg')).toBe(4);
  expect(await audioSeconds(new Uint8Array([0xff, 0xfb, 0, 0]), 'audio/mpeg')).toBeUndefined();
}, 60_000);
