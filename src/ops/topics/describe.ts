/**
 * `kt topics list` and `kt topics describe`: topics with partition counts, and per partition the
 * kafka-topics.sh layout (Leader, Replicas, Isr) plus log start and high-watermark offsets, the topic's
 * non-default configs, and the health filters of kafka-topics.sh.
 *
 * JSON shapes (stable):
 *   list:     { "topics": [ { "name": string, "partitions": number, "replicationFactor": number,
 *                             "internal": boolean } ] }
 *   describe: { "topics": [ { "name": string, "topicId": string|null, "internal": boolean,
 *                             "partitionCount": number, "replicationFactor": number,
 *                             "configs": { [name]: string|null },
 *                             "partitions": [ { "partition": number, "leader": number|null,
 *                                 "replicas": number[], "isr": number[], "offline": number[],
 *                                 "logStartOffset": number|null, "highWatermark": number|null,
 *                                 "issues": ("unavailable"|"under-min-isr"|"at-min-isr"|"under-replicated")[] } ] } ] }
 * Topics are sorted by name, partitions by index; `leader` is null when the partition has none.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { topicOverrides } from '../configs/describe.js';
import {
  type PartitionMeta,
  replicationFactor,
  selectTopics,
  type TopicMeta,
  type TopicSelection,
} from './metadata.js';

export interface TopicListEntry {
  name: string;
  partitions: number;
  replicationFactor: number;
  internal: boolean;
}

export async function listTopics(
  client: ClusterClient,
  options: { regex?: RegExp; includeInternal?: boolean } = {},
): Promise<{ topics: TopicListEntry[] }> {
  const topics = await selectTopics(client, options);
  return {
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: replicationFactor(t),
      internal: t.internal,
    })),
  };
}

export type PartitionIssue = 'unavailable' | 'under-min-isr' | 'at-min-isr' | 'under-replicated';
export const PARTITION_ISSUES: readonly PartitionIssue[] = [
  'unavailable',
  'under-min-isr',
  'at-min-isr',
  'under-replicated',
];

export interface PartitionDescription {
  partition: number;
  leader: number | null;
  replicas: number[];
  isr: number[];
  offline: number[];
  logStartOffset: bigint | null;
  highWatermark: bigint | null;
  issues: PartitionIssue[];
}

export interface TopicDescription {
  name: string;
  topicId: string | null;
  internal: boolean;
  partitionCount: number;
  replicationFactor: number;
  configs: Record<string, string | null>;
  partitions: PartitionDescription[];
}

export interface DescribeTopicsOptions extends TopicSelection {
  /** Keep only partitions with any of these issues (and topics with such partitions). */
  issues?: readonly PartitionIssue[];
  /** Keep only topics with config overrides. */
  withOverrides?: boolean;
  /** Skip the ListOffsets round trips (log start and high watermark become null). */
  offsets?: boolean;
}

/** Kafka's min.insync.replicas default when the topic config does not say. */
const MIN_ISR_DEFAULT = 1;

/**
 * kafka-topics.sh's rules (TopicCommand.PartitionDescription): unavailable = no leader or a leader that is
 * not a live broker; under-min-isr = no leader or ISR < min.insync.replicas; at-min-isr = a leader and
 * ISR = min.insync.replicas; under-replicated = a leader and ISR < replicas.
 */
export function partitionIssues(
  p: PartitionMeta,
  minIsr: number,
  liveBrokers: ReadonlySet<number>,
): PartitionIssue[] {
  const hasLeader = p.leader >= 0;
  const issues: PartitionIssue[] = [];
  if (!hasLeader || !liveBrokers.has(p.leader)) issues.push('unavailable');
  if (!hasLeader || p.isr.length < minIsr) issues.push('under-min-isr');
  if (hasLeader && p.isr.length === minIsr) issues.push('at-min-isr');
  if (hasLeader && p.isr.length < p.replicas.length) issues.push('under-replicated');
  return issues;
}

export async function describeTopics(
  client: ClusterClient,
  options: DescribeTopicsOptions,
): Promise<{ topics: TopicDescription[] }> {
  const topics = await selectTopics(client, options);
  const configs = await topicOverrides(
    client,
    topics.map((t) => t.name),
  );
  const live = new Set(client.brokers.keys());
  const wantOffsets = options.offsets !== false;
  const offsets = wantOffsets ? await logOffsets(client, topics) : new Map<string, OffsetPair>();
  const described: TopicDescription[] = [];
  for (const t of topics) {
    const topicConfigs = configs.get(t.name) ?? {};
    if (options.withOverrides && Object.keys(topicConfigs).length === 0) continue;
    const minIsr = Number(topicConfigs['min.insync.replicas'] ?? MIN_ISR_DEFAULT);
    let partitions = t.partitions.map((p) => {
      const pair = offsets.get(`${t.name}\u0000${p.partition}`);
      return {
        partition: p.partition,
        leader: p.leader < 0 ? null : p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offline: p.offline,
        logStartOffset: pair?.logStart ?? null,
        highWatermark: pair?.highWatermark ?? null,
        issues: partitionIssues(p, minIsr, live),
      };
    });
    const wanted = options.issues ?? [];
    if (wanted.length > 0) {
      partitions = partitions.filter((p) => p.issues.some((i) => wanted.includes(i)));
      if (partitions.length === 0) continue;
    }
    described.push({
      name: t.name,
      topicId: t.topicId,
      internal: t.internal,
      partitionCount: t.partitions.length,
      replicationFactor: replicationFactor(t),
      configs: topicConfigs,
      partitions,
    });
  }
  return { topics: described };
}

interface OffsetPair {
  logStart: bigint | null;
  highWatermark: bigint | null;
}

/** Earliest and latest offsets of every partition with a leader, one ListOffsets pair per leader. */
async function logOffsets(
  client: ClusterClient,
  topics: readonly TopicMeta[],
): Promise<Map<string, OffsetPair>> {
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const t of topics) {
    for (const p of t.partitions) {
      if (p.leader < 0) continue;
      const perTopic = byLeader.get(p.leader) ?? new Map<string, number[]>();
      byLeader.set(p.leader, perTopic);
      const list = perTopic.get(t.name) ?? [];
      list.push(p.partition);
      perTopic.set(t.name, list);
    }
  }
  const out = new Map<string, OffsetPair>();
  await Promise.all(
    [...byLeader].map(async ([leader, perTopic]) => {
      const [earliest, latest] = await Promise.all(
        [-2n, -1n].map((timestamp) =>
          client
            .send({ nodeId: leader }, 2, {
              replicaId: -1,
              isolationLevel: 0,
              topics: [...perTopic].map(([name, partitions]) => ({
                name,
                partitions: partitions.map((partitionIndex) => ({
                  partitionIndex,
                  timestamp,
                  currentLeaderEpoch: -1,
                })),
              })),
            })
            .catch(() => null),
        ),
      );
      for (const [which, response] of [
        ['logStart', earliest],
        ['highWatermark', latest],
      ] as const) {
        for (const t of response?.topics ?? []) {
          for (const p of t.partitions) {
            const key = `${t.name}\u0000${p.partitionIndex}`;
            const pair = out.get(key) ?? { logStart: null, highWatermark: null };
            pair[which] = p.errorCode === ErrorCode.NONE && p.offset >= 0n ? p.offset : null;
            out.set(key, pair);
          }
        }
      }
    }),
  );
  return out;
}
