import { defineConfig } from 'vitest/config';

// Integration tests start real brokers (Apache Kafka from Maven jars, the embedded broker): give them room,
// and keep files in separate forks so a crash in one cannot take down the others.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 2,
  },
});
