// Shared helpers of the kt produce / kt consume integration tests: run the built kt against a cluster,
// create topics with kafkajs, read a topic back as JSONL.
import { spawn } from 'node:child_process';
import type { Kafka } from 'kafkajs';
import { collectOutput, KT_BIN, type KtResult, runKt } from '../cli/run-kt.js';
import type { ClusterFixture } from '../support/clusters.js';

export function ktOn(cluster: ClusterFixture) {
  return (args: string[], input?: string | Buffer, timeoutMs = 60_000): Promise<KtResult> =>
    runKt(args, {
      env: { KT_BOOTSTRAP_SERVER: cluster.bootstrap, KT_CONFIG: '/nonexistent/kt-test-config.yaml' },
      ...(input === undefined ? {} : { input }),
      timeoutMs,
    });
}

/**
 * Creates a topic and waits (bounded) until every partition has a leader: kafkajs' own waitForLeaders
 * gives up after 3 quick retries, too few on a loaded 2-core machine.
 */
export async function createTopic(
  kafka: Kafka,
  topic: string,
  numPartitions: number,
  configEntries: { name: string; value: string }[] = [],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }],
      waitForLeaders: false,
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions ?? [];
        if (partitions.length === numPartitions && partitions.every((p) => p.leader >= 0)) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

export interface JsonlLine {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: string;
  key: unknown;
  value: unknown;
  headers: { key: string; value: unknown }[];
}

export function parseJsonl(stdout: string): JsonlLine[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonlLine);
}

/** Runs a shell pipeline with kt on PATH-free absolute paths; resolves with stdout, stderr and code. */
export function shell(
  script: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', script], {
    env: { ...process.env, NO_COLOR: '1', KT: `${process.execPath} ${KT_BIN}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectOutput(child, timeoutMs);
}
