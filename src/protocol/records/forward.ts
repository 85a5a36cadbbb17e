/**
 * The pass-through form of a RecordBatch: the mirror and the broker forward batches as bytes and patch
 * only the header fields that change. baseOffset and partitionLeaderEpoch are outside the CRC; producer
 * id/epoch/base sequence are inside it, so the CRC is recomputed only when one of those really changes,
 * and then only after the incoming CRC was checked, so that a corrupt batch is never re-signed as valid.
 */
import {
  BATCH_CRC_OFFSET,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  BATCH_MAGIC_OFFSET,
  computeBatchCrc,
  rewriteBatchCrc,
  setBatchBaseOffset,
  setBatchPartitionLeaderEpoch,
} from '../batch-header.js';
import { DecodeError } from '../decode-error.js';

export interface BatchProducer {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

export interface ForwardBatchOptions {
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  producer?: BatchProducer;
  /** Check the incoming CRC before re-signing a producer change (default true). */
  verifyCrc?: boolean;
}

/**
 * Patches `batch` (exactly one magic-2 batch, owned by the caller) in place and returns it. Throws
 * DecodeError when `batch` is not one whole magic-2 batch, or when its CRC is wrong and a CRC-covered
 * field had to change.
 */
export function forwardBatch(batch: Uint8Array, options: ForwardBatchOptions): Uint8Array {
  forwardBatchInfo(batch, options);
  return batch;
}

/** Like forwardBatch, reporting whether the CRC was recomputed. */
export function forwardBatchInfo(batch: Uint8Array, options: ForwardBatchOptions): { crcRewritten: boolean } {
  if (batch.length < BATCH_HEADER_BYTES) {
    throw new DecodeError(`record batch needs ${BATCH_HEADER_BYTES} bytes, has ${batch.length}`, 0);
  }
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  if (batch[BATCH_MAGIC_OFFSET] !== 2) throw new DecodeError(`record batch magic ${batch[16]} is not 2`, 16);
  if (v.getInt32(8) + BATCH_LOG_OVERHEAD_BYTES !== batch.length) {
    throw new DecodeError(`record batch length ${v.getInt32(8)} does not match ${batch.length} bytes`, 8);
  }
  if (options.baseOffset !== undefined) setBatchBaseOffset(batch, options.baseOffset);
  if (options.partitionLeaderEpoch !== undefined)
    setBatchPartitionLeaderEpoch(batch, options.partitionLeaderEpoch);
  const p = options.producer;
  if (
    p === undefined ||
    (v.getBigInt64(43) === p.producerId &&
      v.getInt16(51) === p.producerEpoch &&
      v.getInt32(53) === p.baseSequence)
  ) {
    return { crcRewritten: false };
  }
  if (options.verifyCrc !== false && v.getUint32(BATCH_CRC_OFFSET) !== computeBatchCrc(batch)) {
    throw new DecodeError('record batch CRC mismatch: refusing to re-sign a corrupt batch', BATCH_CRC_OFFSET);
  }
  v.setBigInt64(43, p.producerId);
  v.setInt16(51, p.producerEpoch);
  v.setInt32(53, p.baseSequence);
  rewriteBatchCrc(batch);
  return { crcRewritten: true };
}
