// vitest globalSetup: decides which cluster targets run and tells the workers (provide/inject).
//
// KT_TEST_TARGET=real|embedded|both (default real).
// - real: needs Java 17+ (and Maven when test/real-kafka/lib is missing or stale). When they are missing,
//   one line says so and the real-target suites are skipped; with KT_REQUIRE_REAL_KAFKA=1 (CI) that is a
//   failure instead. Otherwise the real Kafka named `test` is started (or reused, e.g. one left running by
//   `npm run kafka:start -- --name test`) and leased for this run; the teardown releases the lease, which
//   stops the cluster if a test run started it and no other concurrent run still uses it. A failure to
//   start fails the run, with the tail of the Kafka log.
// - embedded: needs src/broker/index.ts to export startBroker; until it does, one line says so and the
//   embedded-target suites are skipped.

import type { TestProject } from 'vitest/node';
import {
  acquireKafka,
  ensureKafkaLib,
  realKafkaUnavailableReason,
  releaseKafka,
} from '../real-kafka/harness.js';
import { embeddedUnavailableReason } from './embedded.js';
import { parseTargets, REAL_CLUSTER_NAME } from './targets.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const targets = parseTargets(process.env.KT_TEST_TARGET);
  let realSkip: string | null = null;
  let realBootstrap: string | null = null;
  const log = (line: string): void => console.log(`[kt-test] ${line}`);
  let embeddedSkip: string | null = null;

  // Embedded first: it may throw (a broken src/broker), and nothing must be started by then.
  if (targets.includes('embedded')) {
    embeddedSkip = await embeddedUnavailableReason();
    if (embeddedSkip !== null) console.log(`[kt-test] embedded broker tests skipped: ${embeddedSkip}`);
  }
  if (targets.includes('real')) {
    realSkip = (await realKafkaUnavailableReason()) ?? null;
    if (realSkip !== null) {
      if (process.env.KT_REQUIRE_REAL_KAFKA === '1') {
        throw new Error(`KT_REQUIRE_REAL_KAFKA=1 but the real Kafka cannot run: ${realSkip}`);
      }
      console.log(`[kt-test] real Kafka tests skipped: ${realSkip}`);
    } else {
      await ensureKafkaLib({ log });
      const instance = await acquireKafka(REAL_CLUSTER_NAME, { holder: process.pid, log });
      realBootstrap = instance.bootstrap;
      log(`real Kafka '${REAL_CLUSTER_NAME}' at bootstrap=${realBootstrap} (pid ${instance.pid})`);
    }
  }

  project.provide('ktTargets', targets);
  project.provide('ktRealSkipReason', realSkip);
  project.provide('ktEmbeddedSkipReason', embeddedSkip);
  project.provide('ktRealBootstrap', realBootstrap);

  return async () => {
    if (realBootstrap === null) return;
    const outcome = await releaseKafka(REAL_CLUSTER_NAME, { holder: process.pid });
    log(
      outcome === 'stopped'
        ? `stopped real Kafka '${REAL_CLUSTER_NAME}'`
        : `left real Kafka '${REAL_CLUSTER_NAME}' running (${outcome})`,
    );
  };
}
