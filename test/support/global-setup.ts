// vitest globalSetup: decides which cluster targets run and tells the workers (provide/inject).
//
// KT_TEST_TARGET=real|embedded|both (default real).
// - real: needs Java 17+ (and Maven when test/real-kafka/lib is missing or stale). When they are missing,
//   one line says so and the real-target suites are skipped; with KT_REQUIRE_REAL_KAFKA=1 (CI) that is a
//   failure instead. The cluster itself (real Kafka named `test`) is started lazily by the first suite
//   that needs it (see clusters.ts), so a run of unit tests only never pays for a JVM; this teardown
//   releases the run's lease, which stops the cluster if this run started it and no other run uses it.
// - embedded: needs src/broker/index.ts to export startBroker; until it does, one line says so and the
//   embedded-target suites are skipped.

import type { TestProject } from 'vitest/node';
import { realKafkaUnavailableReason, releaseKafka } from '../real-kafka/harness.js';
import { embeddedUnavailableReason } from './embedded.js';
import { parseTargets, REAL_CLUSTER_NAME } from './targets.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const targets = parseTargets(process.env.KT_TEST_TARGET);
  let realSkip: string | null = null;
  let embeddedSkip: string | null = null;

  if (targets.includes('real')) {
    realSkip = (await realKafkaUnavailableReason()) ?? null;
    if (realSkip !== null) {
      if (process.env.KT_REQUIRE_REAL_KAFKA === '1') {
        throw new Error(`KT_REQUIRE_REAL_KAFKA=1 but the real Kafka cannot run: ${realSkip}`);
      }
      console.log(`[kt-test] real Kafka tests skipped: ${realSkip}`);
    }
  }
  if (targets.includes('embedded')) {
    embeddedSkip = await embeddedUnavailableReason();
    if (embeddedSkip !== null) console.log(`[kt-test] embedded broker tests skipped: ${embeddedSkip}`);
  }

  project.provide('ktTargets', targets);
  project.provide('ktRealSkipReason', realSkip);
  project.provide('ktEmbeddedSkipReason', embeddedSkip);
  project.provide('ktLeaseHolder', process.pid);

  return async () => {
    if (realSkip !== null || !targets.includes('real')) return;
    const outcome = await releaseKafka(REAL_CLUSTER_NAME, { holder: process.pid });
    if (outcome === 'stopped') console.log(`[kt-test] stopped real Kafka '${REAL_CLUSTER_NAME}'`);
  };
}
