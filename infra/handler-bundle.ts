import { fileURLToPath } from 'node:url';
import { buildSync, type BuildOptions } from 'esbuild';

/** Dispatches Function URL requests to the Telegram handler and `hermes.cron` events to the cron handler. */
const HANDLER_ENTRY = fileURLToPath(new URL('../handlers/lambda.ts', import.meta.url));
/** Chunk names hash paths relative to this, so the same code gives the same asset wherever `cdk` is run from. */
export const BUNDLE_WORKING_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The Lambda runtime's Node.js major, which agent-function.ts deploys. */
export const NODE_TARGET = 'node24';

/** Without the flag Node ignores the bundle's source maps and stack traces point into minified code. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

const ENTRY_NAME = 'index';
/** The entry chunk, which Lambda's handler setting names. */
export const ENTRY_FILE = `${ENTRY_NAME}.mjs`;
export const LAMBDA_HANDLER = `${ENTRY_NAME}.handler`;

/** esbuild's ESM output has no `require`; some bundled CommonJS dependencies still call it. */
const CREATE_REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * The function's code, for the deployment and the benchmark alike. Split into chunks, the entry holds only the
 * request checks: what the handler imports lazily (the agent, each provider, each AWS client) lives in chunks
 * that load when a request first needs them, so a refused request never parses the agent, and a DeepSeek
 * deployment never parses Bedrock. The AWS SDK is bundled: it cold-loads faster than the runtime's copy.
 */
export function handlerBuildOptions(outdir: string): BuildOptions {
  return {
    entryPoints: { [ENTRY_NAME]: HANDLER_ENTRY },
    absWorkingDir: BUNDLE_WORKING_DIR,
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    minify: true,
    // Lambda runs with --enable-source-maps (LAMBDA_NODE_OPTIONS), so stack traces point at the sources.
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: CREATE_REQUIRE_BANNER },
    logLevel: 'warning',
  };
}

/** Synchronous, because CDK's local bundling hook is. */
export function bundleHandler(outdir: string): void {
  buildSync(handlerBuildOptions(outdir));
}
