import { vi } from 'vitest';

/** Everything the process writes while it runs: stdout, stderr and every console method. */
export function captureOutput(): { text: () => string } {
  const chunks: string[] = [];
  const keep = (...values: unknown[]) => void chunks.push(values.map((value) => (typeof value === 'string' ? value : String(value))).join(' '));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(Buffer.from(chunk).toString('utf8')), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(Buffer.from(chunk).toString('utf8')), true));
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) vi.spyOn(console, method).mockImplementation(keep);
  return { text: () => chunks.join('\n') };
}
