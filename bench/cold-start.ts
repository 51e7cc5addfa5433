import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_WORKING_DIR, ENTRY_FILE, handlerBuildOptions } from '../infra/handler-bundle.ts';
import { describeOutputs } from '../test/stand-ins/bundle-outputs.ts';
import {
  deployedEnvWithoutServices,
  importScript,
  REFUSED_EVENT,
  requestScript,
  runFreshProcess,
  STRANGER_UPDATE_EVENT,
  type ProcessSample,
} from '../test/stand-ins/bundled-handler-process.ts';
import { makeTempDir } from '../test/stand-ins/temp-dir.ts';
import { buildCommitBundle, type BaselineCommit } from './commit-bundle.ts';
import { median, msSince } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

const WARM_UPS = 2;
const RUNS = 10;
const TARGET_RATIO = 2.5;
const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200 });\n';
/**
 * The commits before and after photos, documents and voice arrived (issue 15): the first authorized update of each,
 * timed beside today's in the same run, shows what the media code costs the text path.
 */
const BEFORE_MEDIA: BaselineCommit = { commit: '8786ffd', label: 'before media' };
const WITH_MEDIA: BaselineCommit = { commit: '698ab73', label: 'media merged' };
/** The media merge may cost the first text update at most this much, inside the process. */
const MEDIA_TARGET_RATIO = 1.1;

/**
 * Bundles the deployed entry as the infrastructure does and times fresh Node processes importing it, against an
 * empty handler module measured the same way. Samples are interleaved so drift in machine load hits both alike.
 */
export async function measureColdStart(): Promise<BenchRow[]> {
  const dir = await makeTempDir('hermes-bundle-');
  try {
    const outdir = join(dir.path, 'bundle');
    const bundle = join(outdir, ENTRY_FILE);
    const empty = join(dir.path, 'empty.mjs');
    const buildStarted = process.hrtime.bigint();
    const { metafile } = await build({ ...handlerBuildOptions(outdir), metafile: true });
    const buildMs = msSince(buildStarted);
    await writeFile(empty, EMPTY_HANDLER);
    const outputs = describeOutputs(metafile!, bundle, BUNDLE_WORKING_DIR);
    const gzipBytes = (await Promise.all(outputs.files.map(async (path) => gzipSync(await readFile(path)).length))).reduce((sum, bytes) => sum + bytes, 0);

    const [beforeMedia, withMedia] = await Promise.all([buildCommitBundle(BEFORE_MEDIA, dir.path), buildCommitBundle(WITH_MEDIA, dir.path)]);

    const variants: Record<string, string> = {
      empty: importScript(empty),
      bundle: importScript(bundle),
      refused: requestScript(bundle, REFUSED_EVENT, 401),
      firstUpdate: requestScript(bundle, STRANGER_UPDATE_EVENT, 200),
      ...(beforeMedia && withMedia
        ? { beforeMedia: requestScript(beforeMedia, STRANGER_UPDATE_EVENT, 200), withMedia: requestScript(withMedia, STRANGER_UPDATE_EVENT, 200) }
        : {}),
    };
    const env = deployedEnvWithoutServices(dir.path);
    const samples: Record<string, ProcessSample[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    for (let run = 0; run < WARM_UPS + RUNS; run += 1) {
      for (const [name, script] of Object.entries(variants)) {
        const sample = runFreshProcess(script, env);
        if (run >= WARM_UPS) samples[name]!.push(sample);
      }
    }
    const whole = (name: string) => median(samples[name]!.map((sample) => sample.processMs));
    const inner = (name: string) => median(samples[name]!.map((sample) => sample.innerMs));
    const ratio = whole('bundle') / whole('empty');

    return [
      {
        metric: 'bundle size (esbuild, minified ESM, split)',
        value: `${(outputs.totalBytes / 1e6).toFixed(2)} MB in ${outputs.files.length} files, ${Math.round(gzipBytes / 1024)} KB gzip (built in ${ms(buildMs)})`,
        target: '',
        data: { bytes: outputs.totalBytes, files: outputs.files.length, gzipBytes, buildMs },
      },
      {
        metric: '  loaded before the first request (entry and its static imports)',
        value: `${Math.round(outputs.coldPathBytes / 1024)} KB in ${outputs.coldPath.length} files`,
        target: '',
        data: { bytes: outputs.coldPathBytes, files: outputs.coldPath },
      },
      {
        metric: `cold import, whole process, median of ${RUNS}`,
        value: `bundle ${ms(whole('bundle'))} vs empty ${ms(whole('empty'))}`,
        target: '',
        data: { bundle: samples.bundle, empty: samples.empty },
      },
      {
        metric: 'cold import ratio bundle / empty',
        value: `${ratio.toFixed(2)}x`,
        target: `< ${TARGET_RATIO}x`,
        pass: ratio < TARGET_RATIO,
        data: { ratio },
      },
      {
        metric: '  import alone, timed inside the process',
        value: `bundle ${ms(inner('bundle'))} vs empty ${ms(inner('empty'))}`,
        target: '',
        data: { bundle: inner('bundle'), empty: inner('empty') },
      },
      {
        metric: '  refused request (wrong secret): import + 401',
        value: `${ms(whole('refused'))} whole process, ${ms(inner('refused'))} inside`,
        target: '',
        data: { samples: samples.refused },
      },
      {
        metric: '  first authorized update: import + loading the agent + app build',
        value: `${ms(whole('firstUpdate'))} whole process, ${ms(inner('firstUpdate'))} inside`,
        target: '',
        data: { samples: samples.firstUpdate },
      },
      mediaCostRow(samples.beforeMedia ? { before: inner('beforeMedia'), withMedia: inner('withMedia'), now: inner('firstUpdate') } : undefined),
    ];
  } finally {
    await dir.remove();
  }
}

/** The first authorized update before and after the media merge, and today, all timed inside fresh processes in this run. */
function mediaCostRow(medians: { before: number; withMedia: number; now: number } | undefined): BenchRow {
  const metric = `  first authorized update, same run: ${BEFORE_MEDIA.label} (${BEFORE_MEDIA.commit}) / ${WITH_MEDIA.label} (${WITH_MEDIA.commit})`;
  if (!medians) return { metric, value: 'skipped: this clone does not hold both commits', target: '' };
  const ratio = medians.withMedia / medians.before;
  return {
    metric,
    value: `${ms(medians.before)} vs ${ms(medians.withMedia)} inside: ${ratio.toFixed(2)}x (today ${ms(medians.now)})`,
    target: `< ${MEDIA_TARGET_RATIO}x`,
    pass: ratio < MEDIA_TARGET_RATIO,
    data: { ...medians, ratio },
  };
}
