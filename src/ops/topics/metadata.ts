/**
 * Topic metadata through the protocol client: which topics exist, their partitions (leader, replicas, ISR,
 * offline replicas) and the selection rules shared by list, describe, delete and alter: explicit names
 * (each must exist: KT_NOT_FOUND otherwise, unless `ifExists`) or a whole-name regex.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { ZERO_UUID } from '../../protocol/reader.js';
import { delay, kafkaError } from '../cluster/connect.js';

export interface PartitionMeta {
  partition: number;
  /** -1 when the partition has no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
  offline: number[];
  errorCode: number;
}

export interface TopicMeta {
  name: string;
  topicId: string | null;
  internal: boolean;
  partitions: PartitionMeta[];
}

export interface TopicSelection {
  /** Exact topic names; each must exist unless `ifExists`. */
  names?: readonly string[];
  /** Whole-name pattern (applies when no names are given). */
  regex?: RegExp;
  /** Include internal topics (__consumer_offsets, …) when selecting by regex or listing all. */
  includeInternal?: boolean;
  /** Missing named topics are left out instead of failing. */
  ifExists?: boolean;
}

/** Metadata of `names` (null = all topics), sorted by name, partitions by index. */
export async function fetchTopicMetadata(
  client: ClusterClient,
  names: readonly string[] | null,
): Promise<{ topics: TopicMeta[]; missing: string[] }> {
  const response = await client.refreshMetadata(names);
  const topics: TopicMeta[] = [];
  const missing: string[] = [];
  for (const t of response.topics) {
    const name = t.name ?? '';
    if (t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      missing.push(name);
      continue;
    }
    // LEADER_NOT_AVAILABLE still carries partitions (a topic being created): keep it, leaders are -1.
    if (t.errorCode !== ErrorCode.NONE && t.errorCode !== ErrorCode.LEADER_NOT_AVAILABLE)
      throw kafkaError(t.errorCode, null, `Topic "${name}"`);
    topics.push({
      name,
      topicId: t.topicId === ZERO_UUID ? null : t.topicId,
      internal: t.isInternal,
      partitions: t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          leader: p.leaderId,
          replicas: [...p.replicaNodes],
          isr: [...p.isrNodes],
          offline: [...p.offlineReplicas],
          errorCode: p.errorCode,
        }))
        .sort((a, b) => a.partition - b.partition),
    });
  }
  topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { topics, missing };
}

/** The topics a selection names; KT_NOT_FOUND for a missing named topic unless `ifExists`. */
export async function selectTopics(client: ClusterClient, selection: TopicSelection): Promise<TopicMeta[]> {
  const names = selection.names ?? [];
  if (names.length > 0) {
    const unique = [...new Set(names)];
    const { topics, missing } = await fetchTopicMetadata(client, unique);
    if (missing.length > 0 && !selection.ifExists) throw notFound(missing);
    return topics;
  }
  const { topics } = await fetchTopicMetadata(client, null);
  return topics.filter(
    (t) => (selection.includeInternal || !t.internal) && (!selection.regex || selection.regex.test(t.name)),
  );
}

export function notFound(missing: readonly string[]): KtError {
  const list = missing.map((n) => `"${n}"`).join(', ');
  return new KtError(
    'KT_NOT_FOUND',
    missing.length === 1 ? `Topic ${list} does not exist` : `Topics ${list} do not exist`,
    { hint: 'List topics with: kt topics list' },
  );
}

/** The replication factor Kafka tools report: the replica count of partition 0 (0 without partitions). */
export function replicationFactor(topic: TopicMeta): number {
  return topic.partitions[0]?.replicas.length ?? 0;
}

/**
 * Waits (bounded) until metadata agrees with `done`, e.g. after CreateTopics until every new partition
 * has a leader, so the next command sees the change. Returns false when the bound ran out.
 */
export async function waitForMetadata(
  client: ClusterClient,
  names: readonly string[],
  done: (topics: TopicMeta[], missing: string[]) => boolean,
  timeoutMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const { topics, missing } = await fetchTopicMetadata(client, names);
    if (done(topics, missing)) return true;
    if (Date.now() >= deadline) return false;
    await delay(Math.min(50 * 2 ** attempt, 500));
  }
}
