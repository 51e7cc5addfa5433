import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenarios } from './load-scenarios.ts';
import { ReplayBackend } from './model-backend.ts';
import { EvalPipeline, type ModelBackendFactory, type ScenarioResult } from './pipeline.ts';
import { MissingRecordingCredential } from './recording/provider-upstream.ts';
import { recordingBackends } from './recording/recording-backends.ts';
import { writeRecordedScenario } from './recording/rewrite-scenario.ts';
import { formatReport } from './report.ts';

const USAGE = 'usage: npm run evals [-- --only <scenario>[,<scenario>...]] [-- --record]';

/**
 * `npm run evals` replays every scenario and exits non-zero when one fails. With --record, the model answers come
 * from the real provider and each scenario's exchanges are rewritten with them.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { record: { type: 'boolean', default: false }, only: { type: 'string', multiple: true, default: [] } } });
  const only = values.only.flatMap((names) => names.split(',')).filter(Boolean);
  const files = await loadScenarios(only);

  let backends: ModelBackendFactory = () => ReplayBackend.start();
  if (values.record) {
    try {
      backends = recordingBackends(files.map((file) => file.scenario.provider), process.env);
    } catch (error) {
      if (!(error instanceof MissingRecordingCredential)) throw error;
      console.error(error.message);
      return 2;
    }
  }

  const pipeline = await EvalPipeline.start(backends);
  const results: ScenarioResult[] = [];
  const notes: string[] = [];
  try {
    for (const file of files) {
      const result = await pipeline.run(file.scenario);
      results.push(result);
      if (!values.record) continue;
      if (result.providerErrors.length > 0) {
        notes.push(`not rewritten: ${relative(process.cwd(), file.path)} (${result.providerErrors.join('; ')})`);
      } else {
        await writeRecordedScenario(file.path, result.answered);
        notes.push(`rewritten: ${relative(process.cwd(), file.path)} (${result.answered.flat().length} exchanges)`);
      }
    }
  } finally {
    await pipeline.close();
  }
  console.log(formatReport(results));
  if (notes.length > 0) console.log(['', ...notes].join('\n'));
  return results.every((result) => result.failures.length === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exit(2);
  },
);
