import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from './load-scenarios.ts';
import { ReplayBackend } from './model-backend.ts';
import { EvalPipeline } from './pipeline.ts';

const files = await loadScenarios();

describe('evals: recorded conversations replayed through the Lambda handler', () => {
  let pipeline: EvalPipeline;

  beforeAll(async () => {
    pipeline = await EvalPipeline.start(() => ReplayBackend.start());
  });

  afterAll(async () => {
    await pipeline?.close();
  });

  it.each(files.map((file) => [file.scenario.name, file.scenario] as const))('%s', async (_name, scenario) => {
    const result = await pipeline.run(scenario);
    expect(result.failures, `pipeline log:\n${result.logs.slice(-15).join('\n')}`).toEqual([]);
  });
});
