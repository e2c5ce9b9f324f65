import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts', 'server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { PACT_DO_NOT_TRACK: 'true', NODE_ENV: 'test' },
    // The JSON report is what .ci/run reads for its one-line summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
