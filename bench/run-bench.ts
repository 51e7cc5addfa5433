import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { startBenchStack } from './bench-stack.ts';
import { measureBurst } from './burst.ts';
import { measureColdStart } from './cold-start.ts';
import { costRows, memoryRow } from './cost.ts';
import { measureGrowth } from './growth.ts';
import { measurePromptCache, promptCacheRows } from './prompt-cache.ts';
import { measureSkillsPrompt } from './skills-prompt.ts';
import { formatTable, type BenchRow } from './table.ts';
import { measureTurnOverhead } from './turn-overhead.ts';

const RESULTS = new URL('./results/', import.meta.url);

/** Every measurement in one run, on one machine state, so the rows can be compared side by side. */
const rows: BenchRow[] = [
  { metric: 'runtime', value: `Node ${process.version} (the Lambda runs nodejs24.x), ${availableParallelism()} CPUs`, target: '' },
  ...(await measureColdStart()),
];
const stack = await startBenchStack();
try {
  const overhead = await measureTurnOverhead(stack);
  rows.push(...overhead);
  rows.push(...(await measureGrowth(stack)));
  rows.push(...(await measureBurst(stack)));
  const cache = await measurePromptCache(stack.runtime);
  rows.push(...promptCacheRows(cache));
  const pipelineMs = Number(overhead.find((row) => row.metric.startsWith('turn overhead p50'))?.data?.p50 ?? 0);
  rows.push(...costRows(cache, pipelineMs), memoryRow());
  rows.push(...(await measureSkillsPrompt()));
} finally {
  await stack.close();
}

console.log(formatTable(rows));
await mkdir(RESULTS, { recursive: true });
const results = { at: new Date().toISOString(), node: process.version, cpus: availableParallelism(), rows };
await writeFile(new URL('latest.json', RESULTS), `${JSON.stringify(results, null, 2)}\n`);
