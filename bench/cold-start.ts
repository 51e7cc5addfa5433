import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { makeTempDir } from '../test/helpers/temp-dir.ts';
import { lambdaEnv, SECRETS } from '../test/reliability/helpers/lambda-env.ts';
import { median, msSince } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

const WARM_UPS = 2;
const RUNS = 10;
const TARGET_RATIO = 2.5;
/** From the verified bundling notes: bundled CommonJS dependencies still call `require`, which ESM lacks. */
const REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200 });\n';

interface ProcessSample {
  /** Spawn to exit: what a cold container pays before it can answer, Node's own start-up included. */
  processMs: number;
  /** Reported by the child: the import (and request) alone. */
  innerMs: number;
}

/**
 * Bundles the deployed entry as the infrastructure does and times fresh Node processes importing it, against an
 * empty handler module measured the same way. Samples are interleaved so drift in machine load hits both alike.
 */
export async function measureColdStart(): Promise<BenchRow[]> {
  const dir = await makeTempDir('hermes-bundle-');
  try {
    const bundle = join(dir.path, 'handler.mjs');
    const empty = join(dir.path, 'empty.mjs');
    const buildStarted = process.hrtime.bigint();
    await build({
      entryPoints: [new URL('../handlers/lambda.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: REQUIRE_BANNER },
      outfile: bundle,
      logLevel: 'error',
    });
    const buildMs = msSince(buildStarted);
    await writeFile(empty, EMPTY_HANDLER);
    const bytes = await readFile(bundle);
    const gzipBytes = gzipSync(bytes).length;

    const variants = {
      empty: importScript(empty),
      bundle: importScript(bundle),
      refused: refusedRequestScript(bundle),
      firstUpdate: firstUpdateScript(bundle),
    };
    const env = childEnv(dir.path);
    const samples = { empty: [] as ProcessSample[], bundle: [] as ProcessSample[], refused: [] as ProcessSample[], firstUpdate: [] as ProcessSample[] };
    for (let run = 0; run < WARM_UPS + RUNS; run += 1) {
      for (const [name, script] of Object.entries(variants) as Array<[keyof typeof variants, string]>) {
        const sample = runChild(script, env);
        if (run >= WARM_UPS) samples[name].push(sample);
      }
    }
    const whole = (name: keyof typeof samples) => median(samples[name].map((sample) => sample.processMs));
    const inner = (name: keyof typeof samples) => median(samples[name].map((sample) => sample.innerMs));
    const ratio = whole('bundle') / whole('empty');

    return [
      {
        metric: 'bundle size (esbuild, minified ESM)',
        value: `${(bytes.length / 1e6).toFixed(2)} MB, ${Math.round(gzipBytes / 1024)} KB gzip (built in ${ms(buildMs)})`,
        target: '',
        data: { bytes: bytes.length, gzipBytes, buildMs },
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
        metric: '  first authorized update: import + app build',
        value: `${ms(whole('firstUpdate'))} whole process, ${ms(inner('firstUpdate'))} inside`,
        target: '',
        data: { samples: samples.firstUpdate },
      },
    ];
  } finally {
    await dir.remove();
  }
}

function importScript(file: string): string {
  return `const t = process.hrtime.bigint(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
}

const CONTEXT = "const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hermes', getRemainingTimeInMillis: () => 30000 };";

/** A wrong secret is refused before the agent is loaded: what scanners of the public URL cost. */
function refusedRequestScript(file: string): string {
  const event = { headers: { 'x-telegram-bot-api-secret-token': 'wrong' }, requestContext: { http: { method: 'POST' } }, rawPath: '/', body: '{}' };
  return requestScript(file, event, 401);
}

/**
 * An authorized update builds the whole app (config, clients, provider, bot). It comes from a stranger in a
 * group, which the bot ignores silently, so nothing touches the network.
 */
function firstUpdateScript(file: string): string {
  const update = {
    update_id: 1,
    message: { message_id: 1, date: 1_700_000_000, chat: { id: -100, type: 'supergroup', title: 'g' }, from: { id: 999, is_bot: false, first_name: 'x' }, text: 'hi' },
  };
  const event = { headers: { 'x-telegram-bot-api-secret-token': SECRETS.webhookSecret }, requestContext: { http: { method: 'POST' } }, rawPath: '/', body: JSON.stringify(update) };
  return requestScript(file, event, 200);
}

function requestScript(file: string, event: object, expectedStatus: number): string {
  return [
    'const t = process.hrtime.bigint();',
    `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    CONTEXT,
    `const result = await handler(${JSON.stringify(event)}, context);`,
    `if (result.statusCode !== ${expectedStatus}) throw new Error('expected ${expectedStatus}, got ' + result.statusCode);`,
    'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));',
  ].join('\n');
}

/** The deployed variables with unreachable endpoints: neither measured request may touch them. */
function childEnv(home: string): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const unreachable = 'http://127.0.0.1:9';
  return {
    ...inherited,
    ...lambdaEnv({ dynamoEndpoint: unreachable, table: 'hermes', s3Endpoint: unreachable, bucket: 'hermes-skills', home, botApiRoot: unreachable, modelUrl: unreachable }),
  };
}

function runChild(script: string, env: NodeJS.ProcessEnv): ProcessSample {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
  const processMs = msSince(started);
  if (child.status !== 0) throw new Error(`cold-start child failed: ${child.stderr}`);
  return { processMs, innerMs: Number(child.stdout) };
}
