import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

describe('npm run evals -- --record', () => {
  it('exits with a message naming the missing key before running anything', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'DEEPSEEK_API_KEY'));
    const failure = await run(process.execPath, ['--import', 'tsx', 'evals/run-evals.ts', '--record', '--only', 'reminder-once'], { cwd: root, env }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--record needs DEEPSEEK_API_KEY/);
    expect(failure?.stdout).toBe('');
  });
});
