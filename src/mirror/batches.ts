/**
 * Turns the record bytes a source Fetch returned for one partition into the batches to Produce on the
 * target, as bytes. A batch is forwarded as is (baseOffset, leader epoch and producer fields patched; the
 * CRC recomputed only when a CRC-covered field changes, after checking the incoming one) unless it must
 * be rebuilt:
 *
 * - offset gaps inside it (a compacted source): Kafka's broker assigns contiguous offsets and would
 *   recompress or reject a batch whose offset deltas skip; rebuilt contiguous with the same codec;
 * - it starts before the resume position (resuming inside a batch): rebuilt from the resume position;
 * - LogAppendTime: the target would stamp its own time; rebuilt as CreateTime with the source's time.
 *
 * Skipped, and counted: control batches (transaction markers), batches of aborted transactions
 * (read_committed), empty batches left by compaction. Committed transactional batches are forwarded with
 * the transactional bit cleared (the target write is not transactional).
 *
 * `runs` maps the outgoing records to source offsets: run r covers records [index, index + length) of
 * outgoing batch `batch` and source offsets [upstream, upstream + length). Every skipped offset starts a
 * new run, and runs never span batches (each batch is a separate Produce: Kafka takes exactly one batch
 * per partition per request, and the target may place them apart), so offset syncs can be exact.
 */
import {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  ATTR_TIMESTAMP_TYPE_LOG_APPEND,
  ATTR_TRANSACTIONAL,
  BATCH_ATTRIBUTES_OFFSET,
  isBatchCrcValid,
  readBatchHeader,
  rewriteBatchCrc,
  setBatchBaseOffset,
  setBatchPartitionLeaderEpoch,
} from '../protocol/batch-header.js';
import { CODEC_NAMES } from '../protocol/compression/index.js';
import { DecodeError } from '../protocol/decode-error.js';
import {
  decodeControlRecord,
  decodeRecordBatch,
  encodeRecordBatch,
  iterateBatches,
  type RecordInput,
} from '../protocol/record-batch.js';

export interface Run {
  upstream: bigint;
  /** Index of the outgoing batch. */
  batch: number;
  /** First record of the run within that batch. */
  index: number;
  length: number;
}

export interface BatchStats {
  forwarded: number;
  crcRewritten: number;
  rebuilt: number;
  skippedControl: number;
  skippedAborted: number;
  skippedEmpty: number;
}

export function emptyStats(): BatchStats {
  return { forwarded: 0, crcRewritten: 0, rebuilt: 0, skippedControl: 0, skippedAborted: 0, skippedEmpty: 0 };
}

export function addStats(into: BatchStats, from: BatchStats): void {
  for (const k of Object.keys(into) as (keyof BatchStats)[]) into[k] += from[k];
}

export interface PreparedPartition {
  batches: Uint8Array[];
  bytes: number;
  records: number;
  runs: Run[];
  /** The source offset after the last batch looked at: the fetch (and, once acknowledged, resume) position. */
  nextOffset: bigint;
  stats: BatchStats;
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

function pushRun(runs: Run[], upstream: bigint, batch: number, index: number, length: number): void {
  const last = runs[runs.length - 1];
  if (
    last &&
    last.batch === batch &&
    last.upstream + BigInt(last.length) === upstream &&
    last.index + last.length === index
  ) {
    last.length += length;
  } else runs.push({ upstream, batch, index, length });
}

/** Clears the fields the target must assign; returns whether the CRC had to be recomputed. */
function patchForward(batch: Uint8Array, transactional: boolean): boolean {
  setBatchBaseOffset(batch, 0n);
  setBatchPartitionLeaderEpoch(batch, -1);
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  const producerSet = v.getBigInt64(43) !== -1n || v.getInt16(51) !== -1 || v.getInt32(53) !== -1;
  if (!producerSet && !transactional) return false;
  // Never re-sign a corrupt batch as valid.
  if (!isBatchCrcValid(batch)) throw new DecodeError('record batch CRC mismatch', 17);
  v.setBigInt64(43, -1n);
  v.setInt16(51, -1);
  v.setInt32(53, -1);
  if (transactional)
    v.setInt16(BATCH_ATTRIBUTES_OFFSET, v.getInt16(BATCH_ATTRIBUTES_OFFSET) & ~ATTR_TRANSACTIONAL);
  rewriteBatchCrc(batch);
  return true;
}

/**
 * Prepares one partition's fetched bytes. `from` is the first source offset wanted; `aborted` the
 * Fetch's aborted-transaction list (read_committed), or null.
 */
export function preparePartition(
  records: Uint8Array,
  from: bigint,
  aborted: readonly AbortedTransaction[] | null,
): PreparedPartition {
  const out: PreparedPartition = {
    batches: [],
    bytes: 0,
    records: 0,
    runs: [],
    nextOffset: from,
    stats: emptyStats(),
  };
  const pendingAborts = aborted ? [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1)) : [];
  const abortedProducers = new Set<bigint>();
  for (const batch of iterateBatches(records)) {
    const header = readBatchHeader(batch);
    if (header.magic !== 2) {
      throw new DecodeError(
        `source batch at offset ${header.baseOffset} has magic ${header.magic}: only v2 is mirrored`,
        16,
      );
    }
    const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
    if (lastOffset < out.nextOffset) continue;
    while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= lastOffset) {
      abortedProducers.add(pendingAborts.shift()!.producerId);
    }
    const transactional = (header.attributes & ATTR_TRANSACTIONAL) !== 0;
    if ((header.attributes & ATTR_CONTROL) !== 0) {
      if (abortedProducers.has(header.producerId)) {
        const first = decodeRecordBatch(batch).records[0];
        if (first && decodeControlRecord(first).type === 'abort') abortedProducers.delete(header.producerId);
      }
      out.stats.skippedControl++;
      out.nextOffset = lastOffset + 1n;
      continue;
    }
    if (transactional && abortedProducers.has(header.producerId)) {
      out.stats.skippedAborted++;
      out.nextOffset = lastOffset + 1n;
      continue;
    }
    if (header.recordCount === 0) {
      out.stats.skippedEmpty++;
      out.nextOffset = lastOffset + 1n;
      continue;
    }
    const logAppend = (header.attributes & ATTR_TIMESTAMP_TYPE_LOG_APPEND) !== 0;
    const contiguous = header.recordCount === header.lastOffsetDelta + 1;
    if (contiguous && !logAppend && header.baseOffset >= out.nextOffset) {
      // Copy: the fetch response buffer is not ours to patch for longer than this call.
      const copy = Buffer.from(batch);
      if (patchForward(copy, transactional)) out.stats.crcRewritten++;
      pushRun(out.runs, header.baseOffset, out.batches.length, 0, header.recordCount);
      out.batches.push(copy);
      out.bytes += copy.length;
      out.records += header.recordCount;
      out.stats.forwarded++;
    } else {
      const decoded = decodeRecordBatch(batch);
      const kept: RecordInput[] = [];
      for (const r of decoded.records) {
        if (r.offset < out.nextOffset) continue;
        pushRun(out.runs, r.offset, out.batches.length, kept.length, 1);
        kept.push({
          key: r.key,
          value: r.value,
          headers: r.headers,
          timestamp: logAppend ? header.maxTimestamp : r.timestamp,
        });
      }
      if (kept.length > 0) {
        const codec = CODEC_NAMES[header.attributes & ATTR_COMPRESSION_MASK] ?? 'none';
        const rebuilt = encodeRecordBatch(kept, { compression: codec });
        out.batches.push(rebuilt);
        out.bytes += rebuilt.length;
        out.records += kept.length;
        out.stats.rebuilt++;
      }
    }
    out.nextOffset = lastOffset + 1n;
  }
  return out;
}
