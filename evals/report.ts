import type { ScenarioResult } from './pipeline.ts';

const HEADERS = ['scenario', 'provider', 'steps', 'model calls', 'replies', 'result', 'ms'];
/** Log lines shown per failed scenario: the end of the log is where a failure shows. */
const LOG_TAIL = 15;

/** One table row per scenario, then the failures (with the end of their logs) below it. */
export function formatReport(results: ScenarioResult[]): string {
  const rows = results.map((result) => [
    result.name,
    result.provider,
    `${result.stepsRun}/${result.stepsTotal}`,
    String(result.modelCalls),
    String(result.replies),
    result.failures.length === 0 ? 'pass' : 'FAIL',
    String(result.ms),
  ]);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const table = [line(HEADERS), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)];

  const failed = results.filter((result) => result.failures.length > 0);
  const passed = results.length - failed.length;
  const total = results.reduce((sum, result) => sum + result.ms, 0);
  const details = failed.flatMap((result) => [
    '',
    `✗ ${result.name}`,
    ...result.failures.map((failure) => `  - ${failure}`),
    ...(result.logs.length > 0 ? ['  log (last lines):', ...result.logs.slice(-LOG_TAIL).map((log) => `    ${log}`)] : []),
  ]);
  return [...table, '', `${passed}/${results.length} scenarios passed in ${total} ms`, ...details].join('\n');
}
