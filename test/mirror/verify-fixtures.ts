// Shared by the kt mirror verify integration suites: cluster handles, a produce that waits out a
// just-created topic's missing leader, test records, the JSON-shape helper and the process launcher.
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import type { RecordInput } from '../../src/protocol/record-batch.js';
import { type KtResult, runKt } from '../cli/run-kt.js';
import { producePartition as produceOnce, type SimpleRecord } from './helpers.js';

export interface Clusters {
  source: ClusterClient;
  target: ClusterClient;
  sourceBootstrap: string;
  targetBootstrap: string;
}

export async function connect(bootstrap: string): Promise<ClusterClient> {
  const client = new ClusterClient({ bootstrapServers: [bootstrap] });
  await client.connect();
  return client;
}

/**
 * producePartition, asked again while a just-created topic's leader is not known everywhere yet (a real
 * Kafka answers NOT_LEADER_OR_FOLLOWER or LEADER_NOT_AVAILABLE for a moment after CreateTopics).
 */
export async function producePartition(
  client: ClusterClient,
  topic: string,
  partition: number,
  batch: readonly RecordInput[],
  compression?: Parameters<typeof produceOnce>[4],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await produceOnce(client, topic, partition, batch, compression);
    } catch (error) {
      if (attempt >= 30 || !/error (5|6)$/.test((error as Error).message)) throw error;
      client.invalidateLeaders(topic);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export function records(n: number, tag: string): RecordInput[] {
  const now = BigInt(Date.now()) - 60_000n;
  return Array.from({ length: n }, (_, i) => ({
    key: i % 4 === 0 ? null : Buffer.from(`${tag}-key-${i}`),
    value: Buffer.from(`${tag}-value-${i}`),
    headers: [
      { key: 'seq', value: Buffer.from(String(i)) },
      { key: 'nil', value: null },
    ],
    // Increasing: --from-source-offset seeks the target by the smallest compared timestamp.
    timestamp: now + BigInt(i),
  }));
}

export const asInput = (r: SimpleRecord): RecordInput => ({
  key: r.key === null ? null : Buffer.from(r.key),
  value: r.value === null ? null : Buffer.from(r.value),
  headers: r.headers.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value) })),
  timestamp: r.timestamp,
});

/** The JSON output's structure: every key, with the type of its value (arrays: of their first element). */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

export const RANGE_SHAPES = {
  missingRanges: [{ sourceFrom: 'number', sourceTo: 'number', count: 'number', trailing: 'boolean' }],
  duplicatedRanges: [
    {
      sourceFrom: 'number',
      sourceTo: 'number',
      count: 'number',
      targetFrom: 'number',
      targetTo: 'number',
      duplicateFrom: 'number',
      duplicateTo: 'number',
    },
  ],
  divergingRanges: [
    {
      sourceFrom: 'number',
      sourceTo: 'number',
      targetFrom: 'number',
      targetTo: 'number',
      count: 'number',
      fields: ['string'],
    },
  ],
  unexpectedRanges: [],
  rangesTruncated: 'boolean',
};

/** `kt mirror verify` as a process (the built binary; npm test builds first). */
export function kt(args: string[]): Promise<KtResult> {
  return runKt(['mirror', 'verify', ...args], {
    env: { KT_CONFIG: '/nonexistent/kt-config.yaml' },
    timeoutMs: 120_000,
  });
}
