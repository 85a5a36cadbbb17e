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
