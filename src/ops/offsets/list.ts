/**
 * `kt offsets TOPIC[:P,…] --time …` (Kafka's kafka-get-offsets): the offset of each partition for a time,
 * through ListOffsets sent to each partition's leader.
 *
 * JSON shape (stable):
 *   { "time": string, "timestamp": number,
 *     "offsets": [ { "topic": string, "partition": number, "offset": number|null, "timestamp": number|null } ] }
 * `timestamp` at the top is the ListOffsets timestamp (-1 latest, -2 earliest, -3 max-timestamp, else epoch
 * ms). Per partition, offset null means no record at or after the time; timestamp is the record's (or null).
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError, usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';
import { checkTopicNames } from '../topics/input.js';
import { fetchTopicMetadata, notFound } from '../topics/metadata.js';
import type { ParsedTime } from './time.js';

export interface TopicPartitions {
  topic: string;
  /** undefined: every partition. */
  partitions?: number[];
}

/** "orders", "orders:0,2", "orders:1-3": kafka-get-offsets' topic-partition syntax, one topic per spec. */
export function parseTopicPartitions(spec: string): TopicPartitions {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return { topic: spec };
  const topic = spec.slice(0, colon);
  const partitions: number[] = [];
  for (const part of spec.slice(colon + 1).split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range)
      throw usageError(`${spec}: expected TOPIC or TOPIC:P[,P…] with partition numbers or ranges like 0-3`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw usageError(`${spec}: range ${part} runs backwards`);
    if (to - from > 100_000) throw usageError(`${spec}: range ${part} is too large`);
    for (let p = from; p <= to; p++) partitions.push(p);
  }
  return { topic, partitions: [...new Set(partitions)].sort((a, b) => a - b) };
}

export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: bigint | null;
  timestamp: bigint | null;
}

/** Offsets at `time` for the selected partitions, sorted by topic and partition. */
export async function offsetsForTime(
  client: ClusterClient,
  selections: readonly TopicPartitions[],
  time: ParsedTime,
): Promise<{ time: string; timestamp: bigint; offsets: PartitionOffset[] }> {
  if (selections.length === 0) throw usageError('Name at least one topic');
  checkTopicNames(
    selections.map((s) => s.topic),
    'look up offsets of topic',
  );
  const names = [...new Set(selections.map((s) => s.topic))];
  const { topics, missing } = await fetchTopicMetadata(client, names);
  if (missing.length > 0) throw notFound(missing);
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const sel of selections) {
    const meta = topics.find((t) => t.name === sel.topic)!;
    const wanted = sel.partitions ?? meta.partitions.map((p) => p.partition);
    for (const partition of wanted) {
      const p = meta.partitions.find((x) => x.partition === partition);
      if (!p) {
        throw new KtError(
          'KT_NOT_FOUND',
          `Topic "${sel.topic}" has no partition ${partition} (it has ${meta.partitions.length})`,
        );
      }
      if (p.leader < 0) throw kafkaError(5, null, `${sel.topic}-${partition}`);
      const perTopic = byLeader.get(p.leader) ?? new Map<string, number[]>();
      byLeader.set(p.leader, perTopic);
      const list = perTopic.get(sel.topic) ?? [];
      if (!list.includes(partition)) list.push(partition);
      perTopic.set(sel.topic, list);
    }
  }
  const offsets: PartitionOffset[] = [];
  await Promise.all(
    [...byLeader].map(async ([leader, perTopic]) => {
      const response = await client.send({ nodeId: leader }, 2, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [...perTopic].map(([name, partitions]) => ({
          name,
          partitions: partitions.map((partitionIndex) => ({
            partitionIndex,
            timestamp: time.timestamp,
            currentLeaderEpoch: -1,
          })),
        })),
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== ErrorCode.NONE)
            throw kafkaError(p.errorCode, null, `${t.name}-${p.partitionIndex}`);
          offsets.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: p.offset >= 0n ? p.offset : null,
            timestamp: p.timestamp >= 0n ? p.timestamp : null,
          });
        }
      }
    }),
  );
  offsets.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { time: time.spec, timestamp: time.timestamp, offsets };
}
