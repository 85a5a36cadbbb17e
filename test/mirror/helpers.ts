/** Helpers of the mirror integration tests: raw produce to a partition, read everything back as batches. */
import kafkajs from 'kafkajs';
import { decodeOffsetSync, offsetSyncsTopic } from '../../src/mirror/formats.js';
import { appendRecords, partitionOffset, readToEnd } from '../../src/mirror/internal-topics.js';
import { readBatches } from '../../src/mirror/record-reader.js';
import { SegmentMap } from '../../src/mirror/translate.js';
import { createTopics } from '../../src/ops/topics/create.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import {
  type CompressionCodec,
  decodeRecordBatch,
  encodeRecordBatch,
  type RecordInput,
} from '../../src/protocol/record-batch.js';

const PRODUCE = 0;

export interface SimpleRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
  timestamp: bigint;
}

export async function producePartition(
  client: ClusterClient,
  topic: string,
  partition: number,
  records: readonly RecordInput[],
  compression: CompressionCodec = 'none',
): Promise<void> {
  const batch = encodeRecordBatch(records, { compression });
  const response = await client.sendToLeader(topic, partition, PRODUCE, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
  });
  const code = response?.responses[0]?.partitionResponses[0]?.errorCode;
  if (code !== 0) throw new Error(`produce to ${topic}-${partition}: error ${code}`);
}

/** Every batch of a partition (raw header) and its decoded records, from the start to the end. */
export async function readPartition(
  client: ClusterClient,
  topic: string,
  partition: number,
): Promise<{ codecs: number[]; records: SimpleRecord[] }> {
  const endOffset = await partitionOffset(client, topic, partition, 'latest');
  const fromOffset = await partitionOffset(client, topic, partition, 'earliest');
  const codecs: number[] = [];
  const records: SimpleRecord[] = [];
  const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString());
  // Every batch, control batches (transaction markers) included: the raw log, read_uncommitted.
  await readBatches(
    client,
    topic,
    partition,
    { fromOffset, endOffset, isolation: 'read_uncommitted', fetchBytesMax: 8 << 20 },
    (batch, header) => {
      codecs.push(header.attributes & 7);
      for (const r of decodeRecordBatch(batch).records) {
        if (r.offset < fromOffset || r.offset >= endOffset) continue;
        records.push({
          offset: r.offset,
          key: text(r.key),
          value: text(r.value),
          headers: r.headers.map((x) => [x.key, text(x.value)]),
          timestamp: r.timestamp,
        });
      }
    },
  );
  return { codecs, records };
}

export async function readOffsetSyncs(source: ClusterClient, targetAlias: string) {
  const syncs: ReturnType<typeof decodeOffsetSync>[] = [];
  await readToEnd(source, offsetSyncsTopic(targetAlias), (k, v) => syncs.push(decodeOffsetSync(k, v)));
  return syncs;
}

/** Translates a source offset through the segment map built from `syncs` (src/mirror/translate.ts). */
export function translate(
  syncs: readonly { topic: string; partition: number; upstreamOffset: bigint; downstreamOffset: bigint }[],
  topic: string,
  partition: number,
  upstream: bigint,
): bigint | undefined {
  const map = new SegmentMap();
  for (const s of syncs) {
    if (s.topic === topic && s.partition === partition) map.push(s.upstreamOffset, s.downstreamOffset);
  }
  return map.translate(upstream)?.offset;
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { appendRecords };

// ---------------------------------------------- checkpoints: gapped source topics, consumers on the target

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
  const kafka = new kafkajs.Kafka({ brokers: [sourceBootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({
    transactionalId: `tx-${topic}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  for (const [batch, commit] of [
    [['a', 'b', 'c'], true],
    [['x', 'y'], false],
    [['d', 'e'], true],
  ] as const) {
    const tx = await producer.transaction();
    await tx.send({ topic, messages: batch.map((value) => ({ value, partition: 0 })) });
    await (commit ? tx.commit() : tx.abort());
  }
  await producer.disconnect();
  const visible = ['a', 'b', 'c', 'd', 'e'].map((value, i) => ({ offset: BigInt(i < 3 ? i : i + 4), value }));
  return { topic, visible, inGap: 4n, afterGap: 7n };
}

/** Embedded: a compacted topic whose cleaner removed superseded records, leaving offset gaps. */
export async function compactedGap(source: ClusterClient, topic: string): Promise<GapTopic> {
  await createTopics(source, {
    names: [topic],
    partitions: 1,
    configs: {
      'cleanup.policy': 'compact',
      'segment.bytes': '1024',
      'min.cleanable.dirty.ratio': '0.01',
      'segment.ms': '100',
    },
  });
  await leadersReady(source, topic, 1);
  for (let i = 0; i < 30; i++) {
    await producePartition(source, topic, 0, [
      { key: Buffer.from(`k${i % 3}`), value: Buffer.from(`v${i}`) },
      { key: Buffer.from(`u${i}`), value: Buffer.from(`w${i}`) },
    ]);
  }
  const read = async () => (await readPartition(source, topic, 0)).records.map((r) => `${r.offset}`).join();
  await waitFor('compaction gaps', async () => {
    const offsets = (await readPartition(source, topic, 0)).records.map((r) => r.offset);
    return offsets.some((o, i) => i > 0 && o !== offsets[i - 1]! + 1n);
  });
  // The cleaner may take more than one pass: wait until two reads agree.
  let previous = await read();
  await waitFor('compaction settled', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const now = await read();
    const same = now === previous;
    previous = now;
    return same;
  });
  const visible = (await readPartition(source, topic, 0)).records.map((r) => ({
    offset: r.offset,
    value: r.value ?? '',
  }));
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
