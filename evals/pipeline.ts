import type { Runtime } from '../agent/runtime.ts';
import { lambdaApp, resetLambdaApp } from '../handlers/lambda-app.ts';
import type { RecordedExchange } from '../test/stand-ins/replay-model-server.ts';
import { startDynalite } from '../test/stand-ins/dynalite.ts';
import { lambdaContext } from '../test/stand-ins/lambda-events.ts';
import { startS3rver } from '../test/stand-ins/s3rver.ts';
import { checkStep } from './assertions.ts';
import { captureLogLines } from './log-capture.ts';
import type { ModelBackend } from './model-backend.ts';
import { replacePipelineEnv } from './process-env.ts';
import type { Scenario } from './scenario-schema.ts';
import { ScenarioWorld, type SharedEmulators } from './scenario-world.ts';
import { driveStep } from './step-driver.ts';

export interface ScenarioResult {
  name: string;
  provider: Scenario['provider'];
  stepsRun: number;
  stepsTotal: number;
  modelCalls: number;
  replies: number;
  /** Empty when the scenario passed; each entry names its step. */
  failures: string[];
  ms: number;
  /** The pipeline's JSON log lines, for explaining a failure. */
  logs: string[];
  /** The exchanges that answered each step that ran. */
  answered: RecordedExchange[][];
  providerErrors: string[];
}

export type ModelBackendFactory = (provider: Scenario['provider']) => Promise<ModelBackend>;

/**
 * Runs scenarios through the deployed entry point. DynamoDB and S3 emulators start once; every other service and
 * the model backend are fresh per scenario, and the Lambda app is rebuilt per scenario (a cold start) from an
 * environment that points it at them.
 */
export class EvalPipeline {
  private constructor(
    private readonly emulators: SharedEmulators,
    private readonly modelBackend: ModelBackendFactory,
  ) {}

  static async start(modelBackend: ModelBackendFactory): Promise<EvalPipeline> {
    const [dynamo, s3] = await Promise.all([startDynalite(), startS3rver()]);
    return new EvalPipeline({ dynamo, s3 }, modelBackend);
  }

  async run(scenario: Scenario): Promise<ScenarioResult> {
    const started = performance.now();
    const result: ScenarioResult = {
      name: scenario.name,
      provider: scenario.provider,
      stepsRun: 0,
      stepsTotal: scenario.steps.length,
      modelCalls: 0,
      replies: 0,
      failures: [],
      ms: 0,
      logs: [],
      answered: [],
      providerErrors: [],
    };
    const world = await ScenarioWorld.open(this.emulators, await this.modelBackend(scenario.provider));
    const logs = captureLogLines();
    const restoreEnv = replacePipelineEnv(world.env(scenario));
    resetLambdaApp();
    try {
      const runtime = await appRuntime();
      await seed(runtime, scenario.setup);
      for (const [index, step] of scenario.steps.entries()) {
        if (step.coldStart) resetLambdaApp();
        const observation = await driveStep(world, step, index);
        const failures = await checkStep(observation, step.expect, { runtime, scheduler: world.scheduler });
        result.stepsRun += 1;
        result.modelCalls += observation.model.requests.length;
        result.replies += observation.replies.length;
        result.answered.push(observation.model.answered);
        result.providerErrors.push(...observation.model.providerErrors);
        const name = `step ${index + 1}${step.label ? ` (${step.label})` : ''}`;
        result.failures.push(...failures.map((failure) => `${name}: ${failure}`));
        // A replayed step that failed may have left recorded answers unconsumed; later steps would get the wrong ones.
        if (failures.length > 0 && !world.model.recording) break;
      }
    } catch (error) {
      result.failures.push(`step ${result.stepsRun + 1}: crashed: ${(error as Error).stack ?? String(error)}`);
    } finally {
      restoreEnv();
      resetLambdaApp();
      logs.stop();
      await world.close();
    }
    result.logs = logs.lines;
    result.ms = Math.round(performance.now() - started);
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([this.emulators.dynamo.close(), this.emulators.s3.close()]);
  }
}

/** The cold start the first webhook would trigger; the handler then reuses this same app, as a warm container does. */
async function appRuntime(): Promise<Runtime> {
  return (await lambdaApp(lambdaContext())).runtime;
}

async function seed(runtime: Runtime, setup: Scenario['setup']): Promise<void> {
  for (const skill of setup.skills) await runtime.skills.store.writeFile(skill.path, skill.content);
  for (const entry of setup.memory) await runtime.memory.add(entry.userId, entry.target, entry.text);
  runtime.skills.invalidate();
}
