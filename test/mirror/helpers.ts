/** Helpers of the mirror integration tests: raw produce to a partition, read everything back as batches. */
import { decodeOffsetSync, offsetSyncsTopic } from '../../src/mirror/formats.js';
import { appendRecords, partitionOffset, readToEnd } from '../../src/mirror/internal-topics.js';
import { SegmentMap } from '../../src/mirror/translate.js';
import { readBatchHeader } from '../../src/protocol/batch-header.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import {
  type CompressionCodec,
  decodeRecordBatch,
  encodeRecordBatch,
  iterateBatches,
  type RecordInput,
} from '../../src/protocol/record-batch.js';

const PRODUCE = 0;
const FETCH = 1;

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
  const end = await partitionOffset(client, topic, partition, 'latest');
  let next = await partitionOffset(client, topic, partition, 'earliest');
  const codecs: number[] = [];
  const records: SimpleRecord[] = [];
  while (next < end) {
    const response = await client.sendToLeader(
      topic,
      partition,
      FETCH,
      {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 8 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic,
            partitions: [
              {
                partition,
                currentLeaderEpoch: -1,
                fetchOffset: next,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: 8 << 20,
              },
            ],
          },
        ],
      },
      { version: 12 },
    );
    const bytes = response.responses[0]?.partitions[0]?.records ?? new Uint8Array(0);
    for (const batch of iterateBatches(bytes)) {
      const h = readBatchHeader(batch);
      if (h.baseOffset + BigInt(h.lastOffsetDelta) < next) continue;
      codecs.push(h.attributes & 7);
      for (const r of decodeRecordBatch(batch).records) {
        records.push({
          offset: r.offset,
          key: r.key === null ? null : Buffer.from(r.key).toString(),
          value: r.value === null ? null : Buffer.from(r.value).toString(),
          headers: r.headers.map((x) => [x.key, x.value === null ? null : Buffer.from(x.value).toString()]),
          timestamp: r.timestamp,
        });
      }
      next = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
    }
  }
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
