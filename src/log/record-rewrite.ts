/**
 * Record-level surgery on a stored batch, for compaction: split a batch into its raw records (after
 * decompression), then rebuild a batch from a subset of them keeping the original base offset, last
 * offset delta, producer fields and codec (Kafka's MemoryRecords.filterTo: "we must preserve the last
 * offset from the initial batch in order to ensure that the last sequence number from the batch remains").
 *
 * Kept records are copied as raw bytes; only when the base timestamp changes (the delete-horizon bit
 * moves it, see DefaultRecordBatch) is each record's timestampDelta re-encoded. All lengths are checked
 * before use; malformed input throws DecodeError.
 */
import {
  ATTR_COMPRESSION_MASK,
  ATTR_DELETE_HORIZON,
  ATTR_TIMESTAMP_TYPE_LOG_APPEND,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  rewriteBatchCrc,
} from '../protocol/batch-header.js';
import { codecById, DEFAULT_MAX_DECOMPRESSED_BYTES } from '../protocol/compression/index.js';
import { DecodeError } from '../protocol/decode-error.js';
import {
  readVarint,
  readVarlongNumber,
  varintCursor,
  varintSize,
  varlongSizeNumber,
  writeVarint,
  writeVarlongNumber,
} from '../protocol/varint.js';

export interface RawRecord {
  /** Byte range of the whole record (length varint included) in `RawBatch.data`. */
  start: number;
  end: number;
  /** Where the fields after timestampDelta begin (offsetDelta onwards). */
  afterTimestamp: number;
  offset: bigint;
  timestampMs: number;
  key: Uint8Array | null;
  isTombstone: boolean;
}

export interface RawBatch {
  header: DataView;
  attributes: number;
  baseOffset: bigint;
  baseTimestampMs: number;
  data: Uint8Array;
  records: RawRecord[];
}

/** Splits a stored batch (exactly one, CRC already checked) into raw records. */
export function splitBatch(batch: Uint8Array): RawBatch {
  const header = new DataView(batch.buffer, batch.byteOffset, BATCH_HEADER_BYTES);
  const attributes = header.getInt16(21);
  const baseOffset = header.getBigInt64(0);
  const baseTimestampMs = Number(header.getBigInt64(27));
  const count = header.getInt32(57);
  const codecId = attributes & ATTR_COMPRESSION_MASK;
  const body = batch.subarray(BATCH_HEADER_BYTES);
  const data = codecId === 0 ? body : codecById(codecId).decompress(body, DEFAULT_MAX_DECOMPRESSED_BYTES);
  if (count < 0 || count > data.length / 7) throw new DecodeError(`record count ${count} impossible`, 57);
  const logAppend = (attributes & ATTR_TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const maxTimestamp = Number(header.getBigInt64(35));
  const records: RawRecord[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const length = readVarint(data, pos);
    const bodyStart = varintCursor.end;
    const end = bodyStart + length;
    if (length < 6 || end > data.length) throw new DecodeError(`record ${i} length ${length} overruns`, pos);
    const tsDelta = readVarlongNumber(data, bodyStart + 1);
    const afterTimestamp = varintCursor.end;
    const offsetDelta = readVarint(data, afterTimestamp);
    const keyLength = readVarint(data, varintCursor.end);
    let p = varintCursor.end;
    if (keyLength < -1 || keyLength > end - p)
      throw new DecodeError(`record ${i} key length ${keyLength}`, p);
    const key = keyLength < 0 ? null : data.subarray(p, p + keyLength);
    p += Math.max(0, keyLength);
    const valueLength = readVarint(data, p);
    if (valueLength < -1 || valueLength > end - varintCursor.end)
      throw new DecodeError(`record ${i} value length`, p);
    records.push({
      start: pos,
      end,
      afterTimestamp,
      offset: baseOffset + BigInt(offsetDelta),
      timestampMs: logAppend ? maxTimestamp : baseTimestampMs + tsDelta,
      key,
      isTombstone: valueLength < 0,
    });
    pos = end;
  }
  return { header, attributes, baseOffset, baseTimestampMs, data, records };
}

/**
 * A new batch holding `kept` records of `source` (possibly none: an empty batch that preserves producer
 * state), with the delete horizon set when `deleteHorizonMs` is given.
 */
export function rebuildBatch(
  source: RawBatch,
  kept: readonly RawRecord[],
  deleteHorizonMs?: number,
): Uint8Array {
  const logAppend = (source.attributes & ATTR_TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const hasHorizon = (source.attributes & ATTR_DELETE_HORIZON) !== 0;
  const setHorizon = deleteHorizonMs !== undefined && !hasHorizon;
  const newBase = setHorizon ? deleteHorizonMs : source.baseTimestampMs;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const r of kept) {
    let bytes: Uint8Array;
    if (newBase === source.baseTimestampMs || logAppend) bytes = source.data.subarray(r.start, r.end);
    else bytes = retime(source.data, r, r.timestampMs - newBase);
    parts.push(bytes);
    total += bytes.length;
  }
  let recordsBytes: Uint8Array = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    recordsBytes.set(p, at);
    at += p.length;
  }
  const codecId = source.attributes & ATTR_COMPRESSION_MASK;
  if (codecId !== 0 && kept.length > 0) recordsBytes = codecById(codecId).compress(recordsBytes);
  const out = Buffer.alloc(BATCH_HEADER_BYTES + recordsBytes.length);
  out.set(new Uint8Array(source.header.buffer, source.header.byteOffset, BATCH_HEADER_BYTES), 0);
  out.set(recordsBytes, BATCH_HEADER_BYTES);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setInt32(8, out.length - BATCH_LOG_OVERHEAD_BYTES);
  // An empty batch (kept only for producer state) is written uncompressed, as Kafka's writeEmptyHeader does.
  const attributes = kept.length === 0 ? source.attributes & ~ATTR_COMPRESSION_MASK : source.attributes;
  view.setInt16(21, attributes | (setHorizon ? ATTR_DELETE_HORIZON : 0));
  view.setBigInt64(27, BigInt(newBase));
  if (!logAppend && kept.length > 0) {
    let max = kept[0]!.timestampMs;
    for (const r of kept) if (r.timestampMs > max) max = r.timestampMs;
    view.setBigInt64(35, BigInt(max));
  }
  view.setInt32(57, kept.length);
  rewriteBatchCrc(out);
  return out;
}

/** The record re-encoded with a new timestampDelta (everything else copied). */
function retime(data: Uint8Array, r: RawRecord, tsDelta: number): Uint8Array {
  const rest = data.subarray(r.afterTimestamp, r.end);
  const bodyLength = 1 + varlongSizeNumber(tsDelta) + rest.length;
  const out = new Uint8Array(varintSize(bodyLength) + bodyLength);
  let p = writeVarint(out, 0, bodyLength);
  out[p++] = 0;
  p = writeVarlongNumber(out, p, tsDelta);
  out.set(rest, p);
  return out;
}
