import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files share one module graph per worker: each file set up its own graph of the server's modules
    // (the express stack, every plug-in, Ajv), about two thirds of the conformance suites' time. Files share no
    // state through it: each makes its own Standin and sandbox.
    isolate: false,
    env: { PACT_DO_NOT_TRACK: 'true', NODE_ENV: 'test' },
    // The JSON report is what .ci/run reads for its one-line summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
