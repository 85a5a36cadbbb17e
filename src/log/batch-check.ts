/**
 * Header-level validation of stored RecordBatch v2 bytes, shared by append (bytes from a producer or a
 * leader) and recovery (bytes from our own files after a crash). Records are never decoded here: the
 * CRC-32C covers attributes..end, so a valid CRC plus a sane header means the batch is intact.
 */

import {
  BATCH_ATTRIBUTES_OFFSET,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
} from '../protocol/batch-header.js';
import { crc32c } from '../protocol/crc32c.js';
import { LogError } from './errors.js';

/** The parts of a batch header the log needs, read without allocating a header object per field. */
export interface BatchSummary {
  /** Whole batch size in bytes (batchLength + 12). */
  sizeBytes: number;
  baseOffset: bigint;
  lastOffsetDelta: number;
  recordCount: number;
  maxTimestampMs: number;
  attributes: number;
  partitionLeaderEpoch: number;
}

/**
 * Checks the batch starting at `position` within `buf[position, position+available)`. Returns the summary,
 * or a string saying why the bytes are not a valid batch (truncated, impossible length, wrong magic, bad
 * CRC, negative deltas). Never throws on bad input.
 */
export function checkBatchAt(buf: Uint8Array, position: number, available: number): BatchSummary | string {
  if (available < BATCH_HEADER_BYTES) return `truncated header: ${available} bytes left`;
  const view = new DataView(buf.buffer, buf.byteOffset + position, available);
  const batchLength = view.getInt32(8);
  const sizeBytes = batchLength + BATCH_LOG_OVERHEAD_BYTES;
  if (batchLength < BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD_BYTES)
    return `impossible batch length ${batchLength}`;
  if (sizeBytes > available) return `truncated batch: needs ${sizeBytes} bytes, ${available} left`;
  const magic = view.getInt8(16);
  if (magic !== 2) return `unsupported magic ${magic}`;
  const lastOffsetDelta = view.getInt32(23);
  const recordCount = view.getInt32(57);
  if (lastOffsetDelta < 0 || recordCount < 0) return `negative lastOffsetDelta/recordCount`;
  const stored = view.getUint32(17);
  const computed = crc32c(buf.subarray(position + BATCH_ATTRIBUTES_OFFSET, position + sizeBytes));
  if (stored !== computed) return `CRC mismatch: stored ${stored}, computed ${computed}`;
  return {
    sizeBytes,
    baseOffset: view.getBigInt64(0),
    lastOffsetDelta,
    recordCount,
    maxTimestampMs: Number(view.getBigInt64(35)),
    attributes: view.getInt16(21),
    partitionLeaderEpoch: view.getInt32(12),
  };
}

/** The summary of a batch already known to be whole and intact (our own stored bytes). */
export function summarize(buf: Uint8Array, position: number, sizeBytes: number): BatchSummary {
  const view = new DataView(buf.buffer, buf.byteOffset + position, BATCH_HEADER_BYTES);
  return {
    sizeBytes,
    baseOffset: view.getBigInt64(0),
    lastOffsetDelta: view.getInt32(23),
    recordCount: view.getInt32(57),
    maxTimestampMs: Number(view.getBigInt64(35)),
    attributes: view.getInt16(21),
    partitionLeaderEpoch: view.getInt32(12),
  };
}

/**
 * Validates the concatenated batches offered to Log.append and returns their summaries; throws LogError
 * (KT_LOG_CORRUPT_BATCH, KT_LOG_BATCH_TOO_LARGE) before anything is written. A leader append also needs
 * recordCount >= 1 and lastOffsetDelta = recordCount - 1 (a producer batch); a follower's may be compacted.
 */
export function validateForAppend(
  records: Uint8Array,
  maxBatchBytes: number,
  leaderAppend: boolean,
): BatchSummary[] {
  const summaries: BatchSummary[] = [];
  let position = 0;
  while (position < records.length) {
    const summary = checkBatchAt(records, position, records.length - position);
    if (typeof summary === 'string') {
      throw new LogError('KT_LOG_CORRUPT_BATCH', `batch at byte ${position}: ${summary}`);
    }
    if (summary.sizeBytes > maxBatchBytes) {
      throw new LogError(
        'KT_LOG_BATCH_TOO_LARGE',
        `batch of ${summary.sizeBytes} bytes exceeds maxBatchBytes ${maxBatchBytes}`,
      );
    }
    if (leaderAppend && (summary.recordCount < 1 || summary.lastOffsetDelta !== summary.recordCount - 1)) {
      throw new LogError(
        'KT_LOG_CORRUPT_BATCH',
        `batch at byte ${position}: ${summary.recordCount} records but lastOffsetDelta ${summary.lastOffsetDelta}`,
      );
    }
    summaries.push(summary);
    position += summary.sizeBytes;
  }
  if (summaries.length === 0) throw new LogError('KT_LOG_CORRUPT_BATCH', 'no batches to append');
  return summaries;
}
