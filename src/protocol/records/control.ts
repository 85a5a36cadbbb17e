/**
 * Control batches: transaction markers written by the coordinator at the end of a transaction
 * (ControlRecordType.java, EndTransactionMarker.java). One record; key = version:int16 (0) + type:int16
 * (ABORT 0, COMMIT 1; KRaft uses 2–6 in its own log), value = version:int16 (0) + coordinatorEpoch:int32.
 * Consumers never see them; the broker needs them for LSO and aborted-transaction tracking.
 */
import type { BatchHeader } from '../batch-header.js';
import { ATTR_CONTROL } from '../batch-header.js';
import { DecodeError } from '../decode-error.js';
import { type DecodedRecord, encodeRecordBatch } from '../record-batch.js';

export const CONTROL_TYPE_ABORT = 0;
export const CONTROL_TYPE_COMMIT = 1;

export type ControlMarkerType = 'abort' | 'commit';

export interface ControlBatchInput {
  type: ControlMarkerType;
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  /** Default Date.now(). */
  timestamp?: bigint;
}

export interface ControlRecord {
  /** 'abort' / 'commit' for transaction markers, else the raw type number (KRaft's own markers). */
  type: ControlMarkerType | number;
  /** Key version (0 today). */
  version: number;
  /** Present on abort/commit markers whose value could be read. */
  coordinatorEpoch?: number;
}

/** Encodes a transactional control batch holding one COMMIT or ABORT marker. */
export function encodeControlBatch(input: ControlBatchInput): Uint8Array {
  const key = new Uint8Array(4);
  const kv = new DataView(key.buffer);
  kv.setInt16(0, 0);
  kv.setInt16(2, input.type === 'commit' ? CONTROL_TYPE_COMMIT : CONTROL_TYPE_ABORT);
  const value = new Uint8Array(6);
  const vv = new DataView(value.buffer);
  vv.setInt16(0, 0);
  vv.setInt32(2, input.coordinatorEpoch);
  const timestamp = input.timestamp ?? BigInt(Date.now());
  return encodeRecordBatch([{ key, value, timestamp }], {
    baseOffset: input.baseOffset ?? 0n,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? -1,
    baseTimestamp: timestamp,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    baseSequence: -1,
    transactional: true,
    control: true,
  });
}

/** True when the batch header's control attribute is set. */
export function isControlBatch(header: BatchHeader): boolean {
  return (header.attributes & ATTR_CONTROL) !== 0;
}

/** Reads a control record's key (and, for abort/commit, its value). Throws DecodeError when too short. */
export function decodeControlRecord(record: Pick<DecodedRecord, 'key' | 'value'>): ControlRecord {
  const key = record.key;
  if (key === null || key.length < 4) throw new DecodeError('control record key shorter than 4 bytes');
  const kv = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const version = kv.getInt16(0);
  if (version < 0) throw new DecodeError(`control record key version ${version}`);
  const rawType = kv.getInt16(2);
  if (rawType !== CONTROL_TYPE_ABORT && rawType !== CONTROL_TYPE_COMMIT) return { type: rawType, version };
  const type: ControlMarkerType = rawType === CONTROL_TYPE_COMMIT ? 'commit' : 'abort';
  const value = record.value;
  if (value === null || value.length < 6)
    throw new DecodeError('transaction marker value shorter than 6 bytes');
  const vv = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return { type, version, coordinatorEpoch: vv.getInt32(2) };
}
