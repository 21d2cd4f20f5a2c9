import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

/**
 * Tests that need Redis as well as PostgreSQL run once, on PostgreSQL; so do the fault tests, which start and
 * break services of their own.
 */
const postgresOnly = ['src/**/*.redis.test.ts', 'src/faults/**/*.test.ts'];

// The whole suite runs twice: on embedded PGlite and on a real PostgreSQL that the global set-up starts.
export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // Servers start in tests; a machine shared with browser load tests can be slow for a while.
      testTimeout: 60_000,
      projects: [
        {
          extends: true,
          test: {
            name: 'pglite',
            env: { TALK_TEST_STORAGE: 'pglite' },
            exclude: ['**/node_modules/**', ...postgresOnly],
          },
        },
        {
          extends: true,
          test: {
            name: 'postgres',
            env: { TALK_TEST_STORAGE: 'postgres' },
            globalSetup: ['src/testing/global-setup.ts'],
          },
        },
      ],
    },
  }),
);
