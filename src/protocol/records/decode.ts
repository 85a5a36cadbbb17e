/**
 * RecordBatch v2 decoding (the types and the encoder live in ../record-batch.ts). Keys, values and header
 * values are views into the input or into the decompressed records; every length is checked against the
 * bytes left before it is used.
 */
import {
  ATTR_COMPRESSION_MASK,
  ATTR_TIMESTAMP_TYPE_LOG_APPEND,
  BATCH_ATTRIBUTES_OFFSET,
  BATCH_CRC_OFFSET,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  readBatchHeader,
} from '../batch-header.js';
import { codecById, DEFAULT_MAX_DECOMPRESSED_BYTES } from '../compression/index.js';
import { crc32c } from '../crc32c.js';
import { DecodeError } from '../decode-error.js';
import type { DecodeBatchOptions, DecodedBatch, DecodedRecord, RecordHeader } from '../record-batch.js';
import { readVarint, readVarlongNumber, varintCursor } from '../varint.js';
import { readUtf8 } from './utf8.js';

/** Smallest possible encoded record: length, attributes, timestampDelta, offsetDelta, key, value, headers. */
const MIN_RECORD_BYTES = 7;

/**
 * Decodes one RecordBatch v2 starting at byte 0 of `batch` (bytes after it are ignored). Throws
 * DecodeError on anything malformed: truncation, a bad magic, a CRC mismatch, lengths that overrun,
 * a record count that disagrees with the records, a decompression failure or bomb.
 */
export function decodeRecordBatch(batch: Uint8Array, options: DecodeBatchOptions = {}): DecodedBatch {
  const header = readBatchHeader(batch, 0);
  if (header.magic !== 2) {
    throw new DecodeError(`record batch magic ${header.magic} is not 2 (use decodeLegacyMessageSet)`, 16);
  }
  const size = header.batchLength + BATCH_LOG_OVERHEAD_BYTES;
  if (header.batchLength < BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD_BYTES) {
    throw new DecodeError(`record batch length ${header.batchLength} is shorter than its header`, 8);
  }
  if (size > batch.length) {
    throw new DecodeError(`record batch of ${size} bytes truncated to ${batch.length}`, 8);
  }
  const body = size === batch.length ? batch : batch.subarray(0, size);
  if (options.verifyCrc !== false) {
    const actual = crc32c(body.subarray(BATCH_ATTRIBUTES_OFFSET));
    if (actual !== header.crc) {
      throw new DecodeError(
        `record batch CRC mismatch: stored 0x${header.crc.toString(16)}, computed 0x${actual.toString(16)}`,
        BATCH_CRC_OFFSET,
      );
    }
  }
  const count = header.recordCount;
  if (count < 0) throw new DecodeError(`negative record count ${count}`, 57);
  // Empty batches (kept by compaction for producer state) may keep a codec attribute with no blob at all;
  // Kafka reads them without decompressing (DefaultRecordBatch iterator: count 0 → empty).
  if (count === 0) return { header, records: [] };

  const codecId = header.attributes & ATTR_COMPRESSION_MASK;
  let data: Uint8Array;
  let pos: number;
  if (codecId === 0) {
    data = body;
    pos = BATCH_HEADER_BYTES;
  } else {
    const codec = codecById(codecId);
    data = codec.decompress(
      body.subarray(BATCH_HEADER_BYTES),
      options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
    );
    pos = 0;
  }
  const end = data.length;
  if (count > (end - pos) / MIN_RECORD_BYTES) {
    throw new DecodeError(`record count ${count} cannot fit in ${end - pos} bytes`, 57);
  }

  const records: DecodedRecord[] = new Array(count);
  const baseOffset = header.baseOffset;
  const baseTimestamp = header.baseTimestamp;
  // LogAppendTime batches: every record's timestamp is the batch's maxTimestamp (DefaultRecordBatch).
  const logAppend = (header.attributes & ATTR_TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  for (let i = 0; i < count; i++) {
    const length = readVarint(data, pos);
    const start = varintCursor.end;
    const recEnd = start + length;
    if (length < MIN_RECORD_BYTES - 1 || recEnd > end) {
      throw new DecodeError(`record ${i} length ${length} overruns its batch`, pos);
    }
    pos = start + 1; // attributes: unused
    const tsDelta = readVarlongNumber(data, pos);
    const offsetDelta = readVarint(data, varintCursor.end);
    const keyLength = readVarint(data, varintCursor.end);
    pos = varintCursor.end;
    let key: Uint8Array | null = null;
    if (keyLength >= 0) {
      if (keyLength > recEnd - pos)
        throw new DecodeError(`record ${i} key length ${keyLength} overruns`, pos);
      key = data.subarray(pos, pos + keyLength);
      pos += keyLength;
    } else if (keyLength !== -1) throw new DecodeError(`record ${i} key length ${keyLength}`, pos);
    const valueLength = readVarint(data, pos);
    pos = varintCursor.end;
    let value: Uint8Array | null = null;
    if (valueLength >= 0) {
      if (valueLength > recEnd - pos)
        throw new DecodeError(`record ${i} value length ${valueLength} overruns`, pos);
      value = data.subarray(pos, pos + valueLength);
      pos += valueLength;
    } else if (valueLength !== -1) throw new DecodeError(`record ${i} value length ${valueLength}`, pos);
    const headerCount = readVarint(data, pos);
    pos = varintCursor.end;
    let headers: RecordHeader[];
    if (headerCount === 0) headers = [];
    else {
      if (headerCount < 0 || headerCount > (recEnd - pos) / 2) {
        throw new DecodeError(`record ${i} header count ${headerCount} is impossible`, pos);
      }
      headers = new Array(headerCount);
      for (let h = 0; h < headerCount; h++) {
        const kl = readVarint(data, pos);
        pos = varintCursor.end;
        if (kl < 0 || kl > recEnd - pos) throw new DecodeError(`record ${i} header key length ${kl}`, pos);
        const hk = readUtf8(data, pos, kl);
        pos += kl;
        const vl = readVarint(data, pos);
        pos = varintCursor.end;
        let hv: Uint8Array | null = null;
        if (vl >= 0) {
          if (vl > recEnd - pos) throw new DecodeError(`record ${i} header value length ${vl} overruns`, pos);
          hv = data.subarray(pos, pos + vl);
          pos += vl;
        } else if (vl !== -1) throw new DecodeError(`record ${i} header value length ${vl}`, pos);
        headers[h] = { key: hk, value: hv };
      }
    }
    if (pos !== recEnd)
      throw new DecodeError(`record ${i} declared ${length} bytes but used ${pos - start}`, pos);
    records[i] = {
      offset: baseOffset + BigInt(offsetDelta),
      // Most records share the batch timestamp (delta 0): skip a bigint allocation for them.
      timestamp: logAppend
        ? header.maxTimestamp
        : tsDelta === 0
          ? baseTimestamp
          : baseTimestamp + BigInt(tsDelta),
      key,
      value,
      headers,
    };
  }
  if (pos !== end) throw new DecodeError(`${end - pos} bytes left after ${count} records`, pos);
  return { header, records };
}
