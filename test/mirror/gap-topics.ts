// Source topics with an offset gap for the checkpoint tests (a transaction's aborted records and markers on
// real Kafka, a compaction gap on the embedded broker, which has no transactions), and a consumer on the
// target that reads up to a sentinel.
import type kafkajs from 'kafkajs';
import { partitionOffset } from '../../src/mirror/internal-topics.js';
import { createTopics } from '../../src/ops/topics/create.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import { produceCompactionGaps, produceTransactions } from './flows.js';
import { waitFor } from './helpers.js';

/** A source partition with a gap: its visible records and two commit points, in the gap and after it. */
export interface GapTopic {
  topic: string;
  visible: { offset: bigint; value: string }[];
  inGap: bigint;
  afterGap: bigint;
}

/** A just-created topic on real Kafka answers NOT_LEADER_OR_FOLLOWER at first: ListOffsets retries it. */
export async function leadersReady(client: ClusterClient, topic: string, partitions: number): Promise<void> {
  for (let p = 0; p < partitions; p++) await partitionOffset(client, topic, p, 'latest');
}

/** Real Kafka: committed a,b,c (0-2, marker 3), aborted x,y (4-5, marker 6), committed d,e (7-8, marker 9). */
export async function transactionalGap(
  source: ClusterClient,
  sourceBootstrap: string,
  topic: string,
): Promise<GapTopic> {
  await createTopics(source, { names: [topic], partitions: 1 });
  await leadersReady(source, topic, 1);
  await produceTransactions(sourceBootstrap, topic);
  const visible = ['a', 'b', 'c', 'd', 'e'].map((value, i) => ({ offset: BigInt(i < 3 ? i : i + 4), value }));
  return { topic, visible, inGap: 4n, afterGap: 7n };
}

/** Embedded (a compacting source): a compacted topic whose cleaner removed superseded records, leaving gaps. */
export async function compactedGap(source: ClusterClient, topic: string): Promise<GapTopic> {
  const settled = await produceCompactionGaps(source, topic, { settle: true });
  const visible = settled.map((r) => ({ offset: r.offset, value: r.value ?? '' }));
  const i = visible.findIndex((r, k) => k > 0 && r.offset !== visible[k - 1]!.offset + 1n);
  return { topic, visible, inGap: visible[i - 1]!.offset + 1n, afterGap: visible[i]!.offset };
}

/** Joins `groupId` on the target and reads each partition up to its 'sentinel' record. */
export async function consumeUntilSentinel(
  kafka: kafkajs.Kafka,
  groupId: string,
  partitions: readonly (readonly [string, number])[],
): Promise<Map<string, string[]>> {
  const got = new Map<string, string[]>(partitions.map(([t, p]) => [`${t}-${p}`, []]));
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    for (const topic of new Set(partitions.map(([t]) => t))) await consumer.subscribe({ topic });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        got.get(`${topic}-${partition}`)?.push(message.value?.toString() ?? '');
      },
    });
    await waitFor(
      `${groupId} reads to the sentinels`,
      async () => [...got.values()].every((list) => list.includes('sentinel')),
      60_000,
    );
  } finally {
    await consumer.disconnect();
  }
  return got;
}
