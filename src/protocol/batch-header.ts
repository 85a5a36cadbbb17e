/**
 * The fixed 61-byte header of a RecordBatch v2 (magic 2), read and patched in place without decoding
 * records. This is what the log, the broker and the mirror touch on their hot paths; record-level
 * encoding and decoding live in record-batch.ts.
 *
 * Layout (DefaultRecordBatch.java, Kafka docs §5.3.1):
 *   0 baseOffset int64 · 8 batchLength int32 (bytes after this field) · 12 partitionLeaderEpoch int32
 *   16 magic int8 · 17 crc uint32 (CRC-32C of bytes 21..end) · 21 attributes int16 · 23 lastOffsetDelta int32
 *   27 baseTimestamp int64 · 35 maxTimestamp int64 · 43 producerId int64 · 51 producerEpoch int16
 *   53 baseSequence int32 · 57 recordCount int32 · 61 records
 */
import { crc32c } from './crc32c.js';
import { DecodeError } from './decode-error.js';

export const BATCH_HEADER_BYTES = 61;
/** Bytes before batchLength's count starts: baseOffset + batchLength. */
export const BATCH_LOG_OVERHEAD_BYTES = 12;
export const BATCH_CRC_OFFSET = 17;
export const BATCH_ATTRIBUTES_OFFSET = 21;
export const BATCH_MAGIC_OFFSET = 16;

export const ATTR_COMPRESSION_MASK = 0x07;
export const ATTR_TIMESTAMP_TYPE_LOG_APPEND = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;
export const ATTR_DELETE_HORIZON = 0x40;

export interface BatchHeader {
  baseOffset: bigint;
  /** Bytes after the batchLength field; the whole batch is batchLength + 12 bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads the header of the batch starting at `offset`. Throws DecodeError when fewer than 61 bytes remain. */
export function readBatchHeader(buf: Uint8Array, offset = 0): BatchHeader {
  if (offset < 0 || buf.length - offset < BATCH_HEADER_BYTES) {
    throw new DecodeError(
      `record batch header needs ${BATCH_HEADER_BYTES} bytes, ${buf.length - offset} left`,
      offset,
    );
  }
  const v = view(buf);
  return {
    baseOffset: v.getBigInt64(offset),
    batchLength: v.getInt32(offset + 8),
    partitionLeaderEpoch: v.getInt32(offset + 12),
    magic: v.getInt8(offset + 16),
    crc: v.getUint32(offset + 17),
    attributes: v.getInt16(offset + 21),
    lastOffsetDelta: v.getInt32(offset + 23),
    baseTimestamp: v.getBigInt64(offset + 27),
    maxTimestamp: v.getBigInt64(offset + 35),
    producerId: v.getBigInt64(offset + 43),
    producerEpoch: v.getInt16(offset + 51),
    baseSequence: v.getInt32(offset + 53),
    recordCount: v.getInt32(offset + 57),
  };
}

/** Total size in bytes of the batch at `offset` (batchLength + 12), or -1 when fewer than 12 bytes remain. */
export function batchSizeAt(buf: Uint8Array, offset = 0): number {
  if (buf.length - offset < BATCH_LOG_OVERHEAD_BYTES) return -1;
  return view(buf).getInt32(offset + 8) + BATCH_LOG_OVERHEAD_BYTES;
}

/** CRC-32C over attributes..end, the value a valid batch carries at byte 17. `batch` is exactly one batch. */
export function computeBatchCrc(batch: Uint8Array): number {
  return crc32c(batch.subarray(BATCH_ATTRIBUTES_OFFSET));
}

/** True when `batch` (exactly one batch) is magic 2 and its stored CRC matches its content. */
export function isBatchCrcValid(batch: Uint8Array): boolean {
  if (batch.length < BATCH_HEADER_BYTES || batch[BATCH_MAGIC_OFFSET] !== 2) return false;
  return view(batch).getUint32(BATCH_CRC_OFFSET) === computeBatchCrc(batch);
}

/** Patches baseOffset in place. Not covered by the CRC. */
export function setBatchBaseOffset(batch: Uint8Array, baseOffset: bigint): void {
  view(batch).setBigInt64(0, baseOffset);
}

/** Patches partitionLeaderEpoch in place. Not covered by the CRC. */
export function setBatchPartitionLeaderEpoch(batch: Uint8Array, epoch: number): void {
  view(batch).setInt32(12, epoch);
}

/** Recomputes and stores the CRC, after a CRC-covered field was patched. */
export function rewriteBatchCrc(batch: Uint8Array): void {
  view(batch).setUint32(BATCH_CRC_OFFSET, computeBatchCrc(batch));
}

/** Patches producer id, epoch and base sequence in place and recomputes the CRC (they are CRC-covered). */
export function setBatchProducer(
  batch: Uint8Array,
  producer: { producerId: bigint; producerEpoch: number; baseSequence: number },
): void {
  const v = view(batch);
  v.setBigInt64(43, producer.producerId);
  v.setInt16(51, producer.producerEpoch);
  v.setInt32(53, producer.baseSequence);
  rewriteBatchCrc(batch);
}

/** Patches maxTimestamp and the timestamp type to LogAppendTime (CRC-covered) and recomputes the CRC. */
export function setBatchLogAppendTime(batch: Uint8Array, timestampMs: bigint): void {
  const v = view(batch);
  v.setInt16(BATCH_ATTRIBUTES_OFFSET, v.getInt16(BATCH_ATTRIBUTES_OFFSET) | ATTR_TIMESTAMP_TYPE_LOG_APPEND);
  v.setBigInt64(35, timestampMs);
  rewriteBatchCrc(batch);
}
