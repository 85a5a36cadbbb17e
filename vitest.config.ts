import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (no servers beyond what a test starts itself: codec, log, CLI plumbing, embedded
 * broker in-process) and `integration` (needs the real Apache Kafka, started once per run by the global
 * setup and shared by every file). Vitest runs a project's global setup only when one of its files is
 * selected, so `npx vitest run test/protocol` never starts a JVM.
 */
const shared = {
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/compat/**', '**/node_modules/**'],
        },
      },
      {
        test: {
          ...shared,
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/compat/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
