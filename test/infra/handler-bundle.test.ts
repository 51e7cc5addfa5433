import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_FILE, handlerBuildOptions, LAMBDA_HANDLER, NODE_TARGET } from '../../infra/handler-bundle.ts';
import { describeOutputs, type BundleOutputs } from '../helpers/bundle-outputs.ts';
import { deployedEnvWithoutServices, REFUSED_EVENT, requestScript, runFreshProcess, STRANGER_UPDATE_EVENT } from '../helpers/bundled-handler-process.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { synthesizeHermes } from './hermes-test-app.ts';

describe('the deployed handler bundle', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let entry: string;
  let metafile: Metafile;
  let outputs: BundleOutputs;

  beforeAll(async () => {
    dir = await makeTempDir('hermes-bundle-test-');
    entry = join(dir.path, 'bundle', ENTRY_FILE);
    metafile = (await build({ ...handlerBuildOptions(join(dir.path, 'bundle')), metafile: true })).metafile!;
    outputs = describeOutputs(metafile, entry);
  }, 60_000);
  afterAll(async () => dir.remove());

  it('loads no dependency before the first request: only the request checks are on the cold path', () => {
    const coldInputs = outputs.coldPath.flatMap((path) => Object.keys(metafile.outputs[path]!.inputs));
    expect(coldInputs.filter((input) => input.includes('node_modules/'))).toEqual([]);
    expect(outputs.coldPathBytes).toBeLessThan(outputs.totalBytes / 100);
  });

  it('refuses a wrong webhook secret in a fresh process', () => {
    expect(() => runFreshProcess(requestScript(entry, REFUSED_EVENT, 401), deployedEnvWithoutServices(dir.path))).not.toThrow();
  });

  it('loads the agent from its chunks and answers an authorized update in a fresh process', () => {
    expect(() => runFreshProcess(requestScript(entry, STRANGER_UPDATE_EVENT, 200), deployedEnvWithoutServices(dir.path))).not.toThrow();
  });

  it('is built for the runtime and handler the stack deploys', () => {
    const { template } = synthesizeHermes();
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: `nodejs${NODE_TARGET.replace('node', '')}.x`, Handler: LAMBDA_HANDLER });
  });
});
