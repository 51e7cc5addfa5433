import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Tests that provoke errors expect log lines; they are shown only when the test fails.
    silent: 'passed-only',
    setupFiles: ['test/setup/log-lines-to-console.ts'],
  },
});
