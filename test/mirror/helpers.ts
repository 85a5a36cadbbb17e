/** Helpers of the mirror integration tests: raw produce to a partition, read everything back as batches. */
import { decodeOffsetSync, offsetSyncsTopic } from '../../src/mirror/formats.js';
import { appendRecords, partitionOffset, readToEnd } from '../../src/mirror/internal-topics.js';
import { readBatches } from '../../src/mirror/record-reader.js';
import { SegmentMap } from '../../src/mirror/translate.js';
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
