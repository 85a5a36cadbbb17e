/**
 * Legacy message sets (magic 0 and 1), decode only: Kafka 4 no longer writes them (KIP-724) but old
 * segments and old producers' data still hold them. Layout (LegacyRecord.java, docs §5.3 "Old Message
 * Format"):
 *
 *   offset int64 · messageSize int32 · crc uint32 (CRC-32/IEEE of magic..end) · magic int8 ·
 *   attributes int8 (bits 0–2 codec: 0 none, 1 gzip, 2 snappy, 3 lz4; bit 3 LogAppendTime, magic 1) ·
 *   [timestamp int64, magic 1 only] · key int32-length bytes (-1 null) · value int32-length bytes (-1 null)
 *
 * A compressed message is a wrapper whose value is the compressed inner message set. Inner offsets are
 * absolute for magic 0; for magic 1 they are relative and the wrapper carries the absolute offset of the
 * last inner message (AbstractLegacyRecordBatch.DeepRecordsIterator). Nested compression is invalid.
 */
import * as zlib from 'node:zlib';
import { CODEC_NAMES, codecById, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression/index.js';
import { DecodeError } from './decode-error.js';
import type { DecodedRecord } from './record-batch.js';

export interface LegacyRecord extends DecodedRecord {
  magic: 0 | 1;
  /** 'none' for magic 0 (timestamp is then -1). */
  timestampType: 'create' | 'log-append' | 'none';
}

export interface DecodeLegacyOptions {
  /** Check each message's CRC-32 (default true). */
  verifyCrc?: boolean;
  /** Cap on each wrapper's decompressed size (default 64 MiB). */
  maxDecompressedBytes?: number;
  /** A truncated last message: 'ignore' (default; fetch responses may end with one) or 'error'. */
  partialTail?: 'ignore' | 'error';
}

const LOG_OVERHEAD = 12;
/** crc + magic + attributes + key length + value length. */
const MIN_MESSAGE_V0 = 14;
const NO_TIMESTAMP = -1n;

// CRC-32/IEEE: zlib.crc32 exists from Node 20.15; a table fallback keeps older 20.x working.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let ieeeTable: Int32Array | undefined;
function crc32Ieee(buf: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(buf) >>> 0;
  if (!ieeeTable) {
    ieeeTable = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      ieeeTable[i] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < buf.length; i++) crc = ieeeTable[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

interface Message {
  offset: bigint;
  magic: 0 | 1;
  attributes: number;
  timestamp: bigint;
  key: Uint8Array | null;
  value: Uint8Array | null;
}

/** Parses the message set in `buf` (shallow: wrappers are not opened). */
function* shallow(buf: Uint8Array, options: DecodeLegacyOptions, inner: boolean): Generator<Message> {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < LOG_OVERHEAD) {
      if (options.partialTail === 'error' || inner) throw new DecodeError('message set entry truncated', pos);
      return;
    }
    const offset = v.getBigInt64(pos);
    const size = v.getInt32(pos + 8);
    if (size < MIN_MESSAGE_V0) throw new DecodeError(`legacy message size ${size} is too small`, pos + 8);
    const start = pos + LOG_OVERHEAD;
    const end = start + size;
    if (end > buf.length) {
      if (options.partialTail === 'error' || inner) throw new DecodeError('legacy message truncated', pos);
      return;
    }
    const magic = buf[start + 4]!;
    if (magic !== 0 && magic !== 1) {
      throw new DecodeError(
        `message magic ${magic} is not 0 or 1 (use decodeRecordBatch for magic 2)`,
        start + 4,
      );
    }
    if (options.verifyCrc !== false) {
      const stored = v.getUint32(start);
      const actual = crc32Ieee(buf.subarray(start + 4, end));
      if (stored !== actual) {
        throw new DecodeError(
          `legacy message CRC mismatch: stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
          start,
        );
      }
    }
    const attributes = buf[start + 5]!;
    let p = start + 6;
    let timestamp = NO_TIMESTAMP;
    if (magic === 1) {
      if (end - p < 16) throw new DecodeError('legacy v1 message too short', p);
      timestamp = v.getBigInt64(p);
      p += 8;
    }
    const keyLength = v.getInt32(p);
    p += 4;
    let key: Uint8Array | null = null;
    if (keyLength >= 0) {
      if (keyLength > end - p - 4) throw new DecodeError(`legacy key length ${keyLength} overruns`, p - 4);
      key = buf.subarray(p, p + keyLength);
      p += keyLength;
    } else if (keyLength !== -1) throw new DecodeError(`legacy key length ${keyLength}`, p - 4);
    if (end - p < 4) throw new DecodeError('legacy value length truncated', p);
    const valueLength = v.getInt32(p);
    p += 4;
    let value: Uint8Array | null = null;
    if (valueLength >= 0) {
      if (valueLength > end - p) throw new DecodeError(`legacy value length ${valueLength} overruns`, p - 4);
      value = buf.subarray(p, p + valueLength);
      p += valueLength;
    } else if (valueLength !== -1) throw new DecodeError(`legacy value length ${valueLength}`, p - 4);
    if (p !== end) throw new DecodeError(`legacy message has ${end - p} trailing bytes`, p);
    yield { offset, magic, attributes, timestamp, key, value };
    pos = end;
  }
}

function timestampTypeOf(m: Message): LegacyRecord['timestampType'] {
  if (m.magic === 0) return 'none';
  return m.attributes & 0x08 ? 'log-append' : 'create';
}

function toRecord(
  m: Message,
  offset: bigint,
  timestamp: bigint,
  type: LegacyRecord['timestampType'],
): LegacyRecord {
  return { offset, timestamp, key: m.key, value: m.value, headers: [], magic: m.magic, timestampType: type };
}

/**
 * Decodes a legacy message set (magic 0/1 entries, e.g. an old segment or a Fetch v0–3 response) into
 * records, opening compressed wrappers. Throws DecodeError on anything malformed, including a magic 2
 * batch in the input.
 */
export function decodeLegacyMessageSet(buf: Uint8Array, options: DecodeLegacyOptions = {}): LegacyRecord[] {
  const out: LegacyRecord[] = [];
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  for (const m of shallow(buf, options, false)) {
    const codecId = m.attributes & 0x07;
    if (codecId === 0) {
      out.push(toRecord(m, m.offset, m.timestamp, timestampTypeOf(m)));
      continue;
    }
    if (codecId > 3)
      throw new DecodeError(`legacy message codec ${CODEC_NAMES[codecId] ?? codecId} is invalid`);
    if (m.value === null) throw new DecodeError('compressed legacy message without a value');
    const data = codecById(codecId).decompress(m.value, maxBytes);
    const inner = [...shallow(data, options, true)];
    if (inner.length === 0) throw new DecodeError('compressed legacy message holds no messages');
    const logAppend = m.magic === 1 && (m.attributes & 0x08) !== 0;
    const last = inner[inner.length - 1]!;
    // magic 1: relative inner offsets, the wrapper holds the absolute offset of the last one.
    const base = m.magic === 1 ? m.offset - last.offset : 0n;
    for (const im of inner) {
      if (im.attributes & 0x07) throw new DecodeError('nested compressed legacy messages');
      if (im.magic !== m.magic)
        throw new DecodeError(`inner magic ${im.magic} differs from wrapper magic ${m.magic}`);
      const type = logAppend ? 'log-append' : timestampTypeOf(im);
      out.push(toRecord(im, base + im.offset, logAppend ? m.timestamp : im.timestamp, type));
    }
  }
  return out;
}
