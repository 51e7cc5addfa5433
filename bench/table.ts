export interface BenchRow {
  metric: string;
  value: string;
  target: string;
  /** Undefined for rows that only inform (no target). */
  pass?: boolean;
  /** The numbers behind `value`, kept for the JSON results. */
  data?: Record<string, unknown>;
}

const HEADERS = ['metric', 'value', 'target', 'pass'] as const;

/** One plain-text table with aligned columns, the way it is pasted into an issue. */
export function formatTable(rows: BenchRow[]): string {
  const cells = rows.map((row) => [row.metric, row.value, row.target, row.pass === undefined ? '-' : row.pass ? 'yes' : 'NO']);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(HEADERS), rule, ...cells.map(line)].join('\n');
}

export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}
