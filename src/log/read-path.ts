/**
 * The read side of Log, kept apart so log.ts stays about state: whole-batch reads for Fetch and
 * timestamp lookups for ListOffsets. Both run synchronously on the owner's thread.
 */
import { decodeRecordBatch } from '../protocol/record-batch.js';
import type { Segment } from './segment.js';

/** `value` limited to [low, high] (bigints have no Math.min/max). */
export function clamp(value: bigint, low: bigint, high: bigint): bigint {
  if (value < low) return low;
  return value > high ? high : value;
}

export function findInSegment(
  segment: Segment,
  target: number,
  logStartOffset: bigint,
): { offset: bigint; timestampMs: bigint } | undefined {
  // Time-index entries hold the max timestamp so far: everything up to an entry with ts < target is older.
  const relative = segment.timeIndex.lookup(target - 1);
  const start = relative < 0 ? 0 : segment.offsetIndex.lookup(relative);
  let found: { offset: bigint; timestampMs: bigint } | undefined;
  segment.scanFrom(start, false, (summary, position) => {
    if (summary.maxTimestampMs < target) return true;
    if (summary.baseOffset + BigInt(summary.lastOffsetDelta) < logStartOffset) return true;
    const batch = segment.read(position, summary.sizeBytes);
    for (const record of decodeRecordBatch(batch).records) {
      if (record.timestamp >= BigInt(target) && record.offset >= logStartOffset) {
        found = { offset: record.offset, timestampMs: record.timestamp };
        return false;
      }
    }
    return true;
  });
  return found;
}

/** Reads whole batches starting at `position`, within maxBytes (at least one batch) and below maxOffset. */
export function readWholeBatches(
  segment: Segment,
  position: number,
  maxBytes: number,
  maxOffset: bigint,
  scratch?: Uint8Array,
): Uint8Array {
  const available = segment.sizeBytes - position;
  // KIP-74: the first batch is returned whole even when larger than maxBytes; size the read for it up front
  // so a big batch costs one read, not two.
  const firstBatchBytes = segment.batchSizeAt(position);
  const chunk = segment.read(position, Math.min(Math.max(maxBytes, firstBatchBytes), available), scratch);
  let end = 0;
  while (chunk.length - end >= 61) {
    const view = new DataView(chunk.buffer, chunk.byteOffset + end, 61);
    const size = view.getInt32(8) + 12;
    const lastOffset = view.getBigInt64(0) + BigInt(view.getInt32(23));
    if (lastOffset >= maxOffset || end + size > chunk.length) break;
    end += size;
  }
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}
