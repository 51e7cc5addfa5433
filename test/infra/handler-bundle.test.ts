import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_WORKING_DIR, ENTRY_FILE, handlerBuildOptions, LAMBDA_HANDLER, LAMBDA_NODE_OPTIONS, NODE_TARGET } from '../../infra/handler-bundle.ts';
import { describeOutputs, type BundleOutputs } from '../stand-ins/bundle-outputs.ts';
import { deployedEnvWithoutServices, REFUSED_EVENT, requestScript, runFreshProcess, STRANGER_UPDATE_EVENT } from '../stand-ins/bundled-handler-process.ts';
import { addHermesStack } from '../../infra/hermes-app.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { synthesizeHermes } from './hermes-test-app.ts';

describe('the deployed handler bundle', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let entry: string;
  let outputs: BundleOutputs;

  beforeAll(async () => {
    dir = await makeTempDir('hermes-bundle-test-');
    entry = join(dir.path, 'bundle', ENTRY_FILE);
    const { metafile } = await build({ ...handlerBuildOptions(join(dir.path, 'bundle')), metafile: true });
    outputs = describeOutputs(metafile!, entry, BUNDLE_WORKING_DIR);
  }, 60_000);
  afterAll(async () => dir.remove());

  it('loads no dependency before the first request: only the request checks are on the cold path', () => {
    expect(outputs.coldPathInputs.length).toBeGreaterThan(0);
    expect(outputs.coldPathInputs.filter((input) => input.includes('node_modules/'))).toEqual([]);
    expect(outputs.coldPathBytes).toBeLessThan(outputs.totalBytes / 100);
  });

  it('refuses a wrong webhook secret in a fresh process', () => {
    expect(() => runFreshProcess(requestScript(entry, REFUSED_EVENT, 401), deployedEnvWithoutServices(dir.path))).not.toThrow();
  });

  it('loads the agent from its chunks and answers an authorized update in a fresh process', () => {
    expect(() => runFreshProcess(requestScript(entry, STRANGER_UPDATE_EVENT, 200), deployedEnvWithoutServices(dir.path))).not.toThrow();
  });

  it('is what synth packages: the local bundling hook writes the entry and its chunks into the function asset', async () => {
    const app = new App({ outdir: join(dir.path, 'cdk.out') });
    addHermesStack(app, {});
    const { directory } = app.synth();
    const assets = (await readdir(directory)).filter((name) => name.startsWith('asset.')).map((name) => join(directory, name));
    const functionAssets = [];
    for (const asset of assets) if ((await readdir(asset)).includes(ENTRY_FILE)) functionAssets.push(asset);
    expect(functionAssets).toHaveLength(1);
    const chunks = await readdir(join(functionAssets[0]!, 'chunks'));
    expect(chunks.filter((name) => name.endsWith('.mjs')).length).toBeGreaterThan(10);
  }, 60_000);

  it('is built for the runtime, handler and Node options the stack deploys', () => {
    const { template } = synthesizeHermes();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: `nodejs${NODE_TARGET.replace('node', '')}.x`,
      Handler: LAMBDA_HANDLER,
      Environment: { Variables: { NODE_OPTIONS: LAMBDA_NODE_OPTIONS } },
    });
  });
});
