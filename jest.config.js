// Three projects, each what its name says:
//   unit         no server, no network, no subprocess, no tool install (passes under `unshare -n`);
//   workflow     workflow code on Temporal's time-skipping test server (the bootstrapped binary);
//   integration  the real local stack (Temporal dev server, moto, local Textract) from globalSetup,
//                shared by every integration file, and the processes docket ships, compiled.
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// jose and cookie (fastify's inject) ship ES modules only: jest's CommonJS runtime loads them compiled.
const transform = { '^.+\\.ts$': swc, '/node_modules/(jose|cookie)/.+\\.js$': swc };
const transformIgnorePatterns = ['/node_modules/(?!(jose|cookie)/)'];

/** @type {import('jest').Config} */
module.exports = {
  // A global option (ignored inside projects): servers start, OCR runs, workflows wait on real timers.
  testTimeout: 120_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'workflow',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
