/**
 * RecordBatch v2 (magic 2) encode and decode: the whole-batch codec used by producers, the broker's
 * fetch-side tools and the mirror's decode path. The 61-byte header layout lives in batch-header.ts;
 * records are `length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint key value headers`
 * with zig-zag varints (DefaultRecord.java).
 *
 * Decoding lives in records/decode.ts, control markers in records/control.ts, the pass-through form in
 * records/forward.ts; all are re-exported here.
 *
 * Hot path notes: encode sizes everything first and writes into one buffer (uncompressed) or into a
 * reused scratch buffer that is then compressed; decode returns keys and values as views into the input
 * (or into the decompressed buffer), never copies.
 */
import {
  ATTR_CONTROL,
  ATTR_TIMESTAMP_TYPE_LOG_APPEND,
  ATTR_TRANSACTIONAL,
  BATCH_ATTRIBUTES_OFFSET,
  BATCH_CRC_OFFSET,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  BATCH_MAGIC_OFFSET,
  type BatchHeader,
} from './batch-header.js';
import { CODEC_IDS, type CompressionCodec, codecById } from './compression/index.js';
import { crc32c } from './crc32c.js';
import { DecodeError } from './decode-error.js';
import { utf8Length, writeUtf8 } from './records/utf8.js';
import { uvarintSize, varintSize, varlongSizeNumber, writeVarint, writeVarlongNumber } from './varint.js';

export type { CompressionCodec } from './compression/index.js';

export interface RecordHeader {
  key: string;
  value: Uint8Array | null;
}

export interface RecordInput {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: RecordHeader[];
  /** Milliseconds since the epoch; defaults to the batch's base timestamp. */
  timestamp?: bigint;
}

export interface EncodeBatchOptions {
  /** Default 0n (a producer's batch; the broker assigns the real offset). */
  baseOffset?: bigint;
  /** Default -1. */
  partitionLeaderEpoch?: number;
  /** Default: the first record's timestamp, else Date.now(). */
  baseTimestamp?: bigint;
  compression?: CompressionCodec;
  timestampType?: 'create' | 'log-append';
  /** Default -1n (not idempotent). */
  producerId?: bigint;
  /** Default -1. */
  producerEpoch?: number;
  /** Default -1. */
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  /** A view into the batch (or its decompressed records); copy it to keep it beyond the input's life. */
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: RecordHeader[];
}

export interface DecodedBatch {
  header: BatchHeader;
  records: DecodedRecord[];
}

export interface DecodeBatchOptions {
  /** Check the CRC-32C before decoding (default true). */
  verifyCrc?: boolean;
  /** Cap on the decompressed records of one batch (default 64 MiB); beyond it → DecodeError. */
  maxDecompressedBytes?: number;
}

const INT32_MAX = 0x7fffffff;

// ------------------------------------------------------------------------------------------------ encode

let scratch = Buffer.allocUnsafeSlow(64 * 1024);

function scratchOf(size: number): Buffer {
  if (scratch.length < size) {
    // Grow geometrically, but do not keep more than 16 MiB around after a one-off huge batch.
    const next = Buffer.allocUnsafeSlow(Math.max(size, Math.min(scratch.length * 2, 16 * 1024 * 1024)));
    if (size > 16 * 1024 * 1024) return next;
    scratch = next;
  }
  return scratch;
}

/** Body size of one record (everything after its length varint). */
function recordBodySize(r: RecordInput, timestampDelta: number, offsetDelta: number): number {
  const key = r.key;
  const value = r.value;
  let size =
    1 +
    varlongSizeNumber(timestampDelta) +
    varintSize(offsetDelta) +
    (key === null ? 1 : varintSize(key.length) + key.length) +
    (value === null ? 1 : varintSize(value.length) + value.length);
  const headers = r.headers;
  if (headers === undefined || headers.length === 0) return size + 1;
  size += varintSize(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const kl = utf8Length(h.key);
    const hv = h.value;
    size += varintSize(kl) + kl + (hv === null ? 1 : varintSize(hv.length) + hv.length);
  }
  return size;
}

function writeRecord(
  out: Uint8Array,
  pos: number,
  r: RecordInput,
  bodySize: number,
  timestampDelta: number,
  offsetDelta: number,
): number {
  pos = writeVarint(out, pos, bodySize);
  out[pos++] = 0; // record attributes: unused
  pos = writeVarlongNumber(out, pos, timestampDelta);
  pos = writeVarint(out, pos, offsetDelta);
  const key = r.key;
  if (key === null)
    out[pos++] = 1; // zig-zag(-1)
  else {
    pos = writeVarint(out, pos, key.length);
    out.set(key, pos);
    pos += key.length;
  }
  const value = r.value;
  if (value === null) out[pos++] = 1;
  else {
    pos = writeVarint(out, pos, value.length);
    if (value.length < 64) for (let i = 0; i < value.length; i++) out[pos + i] = value[i]!;
    else out.set(value, pos);
    pos += value.length;
  }
  const headers = r.headers;
  if (headers === undefined || headers.length === 0) {
    out[pos++] = 0;
    return pos;
  }
  pos = writeVarint(out, pos, headers.length);
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const kl = utf8Length(h.key);
    pos = writeVarint(out, pos, kl);
    pos = writeUtf8(out, pos, h.key, kl);
    const hv = h.value;
    if (hv === null) out[pos++] = 1;
    else {
      pos = writeVarint(out, pos, hv.length);
      out.set(hv, pos);
      pos += hv.length;
    }
  }
  return pos;
}

function timestampDeltaOf(r: RecordInput, baseTimestamp: bigint): number {
  const ts = r.timestamp;
  if (ts === undefined) return 0;
  const d = ts - baseTimestamp;
  if (d > 0xfffffffffffffn || d < -0xfffffffffffffn)
    throw new RangeError('record timestamp too far from the base');
  return Number(d);
}

/**
 * Encodes `records` as one RecordBatch v2, synchronously. The result is a fresh Buffer owned by the
 * caller (small ones are slices of Node's shared pool: use byteOffset/byteLength, never `.buffer` alone).
 * Record offsets are baseOffset + index. Throws RangeError for a timestamp more than 2^52 ms from the
 * base, or a batch over 2 GiB.
 */
export function encodeRecordBatch(
  records: readonly RecordInput[],
  options: EncodeBatchOptions = {},
): Uint8Array {
  const n = records.length;
  const baseTimestamp = options.baseTimestamp ?? records[0]?.timestamp ?? BigInt(Date.now());
  const codecId = CODEC_IDS[options.compression ?? 'none'];
  if (codecId === undefined) throw new RangeError(`unknown compression ${String(options.compression)}`);

  // Pass 1: sizes. Record sizes go to a small typed array so pass 2 does not recompute them.
  if (n > sizeCache.length) {
    sizeCache = new Int32Array(n * 2);
    deltaCache = new Float64Array(n * 2);
  }
  const bodySizes = sizeCache;
  const tsDeltas = deltaCache;
  let recordsBytes = 0;
  let maxDelta = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    const d = timestampDeltaOf(r, baseTimestamp);
    if (d > maxDelta || i === 0) maxDelta = d;
    tsDeltas[i] = d;
    const body = recordBodySize(r, d, i);
    bodySizes[i] = body;
    recordsBytes += uvarintSize(body * 2) + body; // zig-zag of a non-negative int32 = 2n
  }
  if (BATCH_HEADER_BYTES + recordsBytes > INT32_MAX) throw new RangeError('record batch too large');

  let out: Uint8Array;
  if (codecId === 0) {
    out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + recordsBytes);
    let pos = BATCH_HEADER_BYTES;
    for (let i = 0; i < n; i++) pos = writeRecord(out, pos, records[i]!, bodySizes[i]!, tsDeltas[i]!, i);
  } else {
    const buf = scratchOf(recordsBytes);
    let pos = 0;
    for (let i = 0; i < n; i++) pos = writeRecord(buf, pos, records[i]!, bodySizes[i]!, tsDeltas[i]!, i);
    const compressed = codecById(codecId).compress(buf.subarray(0, recordsBytes));
    out = Buffer.allocUnsafe(BATCH_HEADER_BYTES + compressed.length);
    out.set(compressed, BATCH_HEADER_BYTES);
  }

  let attributes = codecId;
  if (options.timestampType === 'log-append') attributes |= ATTR_TIMESTAMP_TYPE_LOG_APPEND;
  if (options.transactional) attributes |= ATTR_TRANSACTIONAL;
  if (options.control) attributes |= ATTR_CONTROL;
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  v.setBigInt64(0, options.baseOffset ?? 0n);
  v.setInt32(8, out.length - BATCH_LOG_OVERHEAD_BYTES);
  v.setInt32(12, options.partitionLeaderEpoch ?? -1);
  out[BATCH_MAGIC_OFFSET] = 2;
  v.setInt16(BATCH_ATTRIBUTES_OFFSET, attributes);
  v.setInt32(23, n === 0 ? 0 : n - 1);
  v.setBigInt64(27, baseTimestamp);
  v.setBigInt64(35, n === 0 ? baseTimestamp : baseTimestamp + BigInt(maxDelta));
  v.setBigInt64(43, options.producerId ?? -1n);
  v.setInt16(51, options.producerEpoch ?? -1);
  v.setInt32(53, options.baseSequence ?? -1);
  v.setInt32(57, n);
  v.setUint32(BATCH_CRC_OFFSET, crc32c(out.subarray(BATCH_ATTRIBUTES_OFFSET)));
  return out;
}

let sizeCache = new Int32Array(1024);
let deltaCache = new Float64Array(1024);

// ------------------------------------------------------------------------------------------------ split

/** Smallest entry after a log-overhead prefix: a magic 0 message (crc, magic, attrs, key, value). */
const MIN_ENTRY_BODY_BYTES = 14;

/**
 * Splits concatenated batches (a fetch response's records, a .log file region) into views of one batch
 * each, without decoding or checking them. Stops silently at a partial trailing batch (a fetch response
 * may end with one); throws DecodeError on a length that cannot be a batch (negative, or smaller than any
 * message), since everything after it is unreadable. Legacy message-set entries share the framing and
 * are split the same way.
 */
export function* iterateBatches(buf: Uint8Array): Generator<Uint8Array> {
  let pos = 0;
  const n = buf.length;
  while (n - pos >= BATCH_LOG_OVERHEAD_BYTES) {
    const length = (buf[pos + 8]! << 24) | (buf[pos + 9]! << 16) | (buf[pos + 10]! << 8) | buf[pos + 11]! | 0;
    if (length < MIN_ENTRY_BODY_BYTES) {
      throw new DecodeError(`batch length ${length} at byte ${pos} is not a batch`, pos + 8);
    }
    const size = length + BATCH_LOG_OVERHEAD_BYTES;
    if (size > n - pos) return;
    yield buf.subarray(pos, pos + size);
    pos += size;
  }
}

export {
  CONTROL_TYPE_ABORT,
  CONTROL_TYPE_COMMIT,
  type ControlBatchInput,
  type ControlMarkerType,
  type ControlRecord,
  decodeControlRecord,
  encodeControlBatch,
  isControlBatch,
} from './records/control.js';
export { decodeRecordBatch } from './records/decode.js';
export {
  type BatchProducer,
  type ForwardBatchOptions,
  forwardBatch,
  forwardBatchInfo,
} from './records/forward.js';
