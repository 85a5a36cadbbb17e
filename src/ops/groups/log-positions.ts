/**
 * Where the logs are, for lag and for reset plans: partitions and leaders from Metadata, log-start and
 * log-end offsets (ListOffsets earliest/latest, read_uncommitted like Kafka's tool), offsets by time, and
 * the timestamp of the record at an offset (one small Fetch per leader) for time lag.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError } from '../../errors/kt-error.js';
import { readBatchHeader } from '../../protocol/batch-header.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { decodeRecordBatch, isControlBatch, iterateBatches } from '../../protocol/record-batch.js';
import { EARLIEST, LATEST, listOffsets, type PartitionRef } from '../consume/positions.js';

const FETCH = 1;
/** Fetch v13+ addresses topics by id. */
const FETCH_VERSION_MAX = 12;
/** Enough for the first batch in nearly every case; Kafka returns a whole first batch even if larger. */
const TIMESTAMP_FETCH_BYTES_MAX = 64 * 1024;
const READ_UNCOMMITTED = 0;
const TIMESTAMP_FETCH_WAIT_MS = 200;
/** Partitions that answered without a record (a retriable error, a leader move) are asked again. */
const TIMESTAMP_FETCH_ATTEMPTS = 3;

export type { PartitionRef } from '../consume/positions.js';

export const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** Partitions (with leaders) of existing topics; `missing` lists topics the cluster does not have. */
export async function topicPartitions(
  client: ClusterClient,
  topics: readonly string[],
): Promise<{ partitions: Map<string, PartitionRef[]>; missing: string[] }> {
  const partitions = new Map<string, PartitionRef[]>();
  const missing: string[] = [];
  if (topics.length === 0) return { partitions, missing };
  const metadata = await client.refreshMetadata([...new Set(topics)]);
  for (const name of new Set(topics)) {
    const t = metadata.topics.find((x) => x.name === name);
    if (!t || t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      missing.push(name);
      continue;
    }
    if (t.errorCode !== ErrorCode.NONE)
      throw new KtError('KT_KAFKA', `topic ${name}: error ${t.errorCode} in Metadata`);
    partitions.set(
      name,
      t.partitions
        .map((p) => ({ topic: name, partition: p.partitionIndex, leader: p.leaderId }))
        .sort((a, b) => a.partition - b.partition),
    );
  }
  return { partitions, missing: missing.sort() };
}

export interface LogRange {
  logStart: bigint;
  logEnd: bigint;
}

/** Log start and end of each partition, keyed by keyOf(topic, partition). */
export async function logRanges(
  client: ClusterClient,
  refs: readonly PartitionRef[],
): Promise<Map<string, LogRange>> {
  const [start, end] = await Promise.all([
    listOffsets(client, refs, () => EARLIEST, READ_UNCOMMITTED),
    listOffsets(client, refs, () => LATEST, READ_UNCOMMITTED),
  ]);
  const out = new Map<string, LogRange>();
  for (const r of refs)
    out.set(keyOf(r.topic, r.partition), { logStart: start.get(r) ?? 0n, logEnd: end.get(r) ?? 0n });
  return out;
}

/** The offset of the first record at or after `timestampMs` per partition; -1 when there is none. */
export async function offsetsAtTime(
  client: ClusterClient,
  refs: readonly PartitionRef[],
  timestampMs: bigint,
): Promise<Map<string, bigint>> {
  const found = await listOffsets(client, refs, () => timestampMs, READ_UNCOMMITTED);
  const out = new Map<string, bigint>();
  for (const r of refs) out.set(keyOf(r.topic, r.partition), found.get(r) ?? -1n);
  return out;
}

/**
 * The timestamp of the first data record at or after `offset` in each partition (control records and
 * aborted-transaction markers skipped), keyed by keyOf; absent when none was returned (nothing there,
 * the offset fell off the log start, or only control records in the first batches).
 */
export async function firstRecordTimestamps(
  client: ClusterClient,
  positions: ReadonlyArray<{ ref: PartitionRef; offset: bigint }>,
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  let pending = [...positions];
  for (let attempt = 0; attempt < TIMESTAMP_FETCH_ATTEMPTS && pending.length > 0; attempt++) {
    await fetchTimestampsOnce(client, pending, out);
    pending = pending.filter((p) => !out.has(keyOf(p.ref.topic, p.ref.partition)));
  }
  return out;
}

async function fetchTimestampsOnce(
  client: ClusterClient,
  positions: ReadonlyArray<{ ref: PartitionRef; offset: bigint }>,
  out: Map<string, bigint>,
): Promise<void> {
  const byLeader = new Map<number, Array<{ ref: PartitionRef; offset: bigint }>>();
  for (const p of positions) byLeader.set(p.ref.leader, [...(byLeader.get(p.ref.leader) ?? []), p]);
  await Promise.all(
    [...byLeader].map(async ([leader, list]) => {
      const conn = await client.connection({ nodeId: leader });
      const version = Math.min(conn.versionFor(FETCH), FETCH_VERSION_MAX);
      const topics = new Map<string, Array<{ ref: PartitionRef; offset: bigint }>>();
      for (const p of list) topics.set(p.ref.topic, [...(topics.get(p.ref.topic) ?? []), p]);
      const response = await conn.send(
        FETCH,
        {
          replicaId: -1,
          // minBytes 1 with a short wait: the broker answers as soon as the record is readable.
          maxWaitMs: TIMESTAMP_FETCH_WAIT_MS,
          minBytes: 1,
          maxBytes: TIMESTAMP_FETCH_BYTES_MAX * list.length,
          isolationLevel: READ_UNCOMMITTED,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [...topics].map(([topic, ps]) => ({
            topic,
            partitions: ps.map((p) => ({
              partition: p.ref.partition,
              currentLeaderEpoch: -1,
              fetchOffset: p.offset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: TIMESTAMP_FETCH_BYTES_MAX,
            })),
          })),
        },
        { version },
      );
      for (const t of response.responses) {
        for (const p of t.partitions) {
          const wanted = list.find((x) => x.ref.topic === t.topic && x.ref.partition === p.partitionIndex);
          if (!wanted || p.errorCode !== ErrorCode.NONE || !p.records || p.records.length === 0) continue;
          const ts = firstTimestamp(p.records, wanted.offset);
          if (ts !== undefined) out.set(keyOf(t.topic, p.partitionIndex), ts);
        }
      }
    }),
  );
}

function firstTimestamp(records: Uint8Array, offset: bigint): bigint | undefined {
  for (const batch of iterateBatches(records)) {
    const header = readBatchHeader(batch);
    if (header.baseOffset + BigInt(header.lastOffsetDelta) < offset) continue;
    if (isControlBatch(header)) continue;
    // read_uncommitted, like Kafka's lag: an aborted transaction's records count as the next ones.
    const decoded = decodeRecordBatch(batch);
    for (const r of decoded.records) if (r.offset >= offset) return r.timestamp;
  }
  return undefined;
}
