/**
 * Variable-length integers of the Kafka wire format, written for hot paths: plain functions over
 * Uint8Array and an offset, no objects per call.
 *
 * - Unsigned varint (LEB128, 7 bits a byte, low group first): compact lengths and tagged fields of
 *   flexible protocol versions.
 * - Zig-zag varint (int32) and varlong (int64): RecordBatch v2 records (DefaultRecord.java).
 *
 * Writers take `(buf, offset, value)` and return the offset after the bytes written; the caller sizes
 * `buf` with the matching `*Size` function first. Readers take `(buf, offset)`, return the value and leave
 * the offset after it in `varintCursor.end`, so a caller advances with `pos = varintCursor.end` without a
 * result object being allocated. Readers throw DecodeError on truncation and on overlong encodings.
 */
import { DecodeError } from './decode-error.js';

/** Where the last read ended (offset of the byte after the varint). Shared, synchronous use only. */
export const varintCursor = { end: 0 };

const TWO_POW_28 = 0x10000000;
const TWO_POW_32 = 0x100000000;

// ---------------------------------------------------------------------------------------------- sizes

/** Bytes an unsigned varint takes for 0 <= n <= 2^53 - 1. */
export function uvarintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < TWO_POW_28) return 4;
  if (n < 0x800000000) return 5;
  let size = 5;
  n = Math.floor(n / 0x800000000);
  while (n > 0) {
    size++;
    n = Math.floor(n / 128);
  }
  return size;
}

/** Bytes a zig-zag varint takes for an int32. */
export function varintSize(n: number): number {
  return uvarintSize(((n << 1) ^ (n >> 31)) >>> 0);
}

/** Bytes a zig-zag varlong takes for an integer given as a number (exact for |n| < 2^52). */
export function varlongSizeNumber(n: number): number {
  return uvarintSize(n >= 0 ? n * 2 : -n * 2 - 1);
}

/** Bytes a zig-zag varlong takes for an int64. */
export function varlongSize(n: bigint): number {
  let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  let size = 1;
  while (z >= 0x80n) {
    size++;
    z >>= 7n;
  }
  return size;
}

// --------------------------------------------------------------------------------------------- writers

/** Writes an unsigned varint (0 <= n <= 2^53 - 1); returns the offset after it. */
export function writeUVarint(buf: Uint8Array, offset: number, n: number): number {
  if (n < TWO_POW_32) {
    n >>>= 0;
    while (n >= 0x80) {
      buf[offset++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[offset++] = n;
    return offset;
  }
  while (n >= 0x80) {
    buf[offset++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[offset++] = n;
  return offset;
}

/** Writes a zig-zag varint (int32); returns the offset after it. */
export function writeVarint(buf: Uint8Array, offset: number, n: number): number {
  let z = ((n << 1) ^ (n >> 31)) >>> 0;
  while (z >= 0x80) {
    buf[offset++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[offset++] = z;
  return offset;
}

/** Writes a zig-zag varlong given as a number (exact for |n| < 2^52); returns the offset after it. */
export function writeVarlongNumber(buf: Uint8Array, offset: number, n: number): number {
  return writeUVarint(buf, offset, n >= 0 ? n * 2 : -n * 2 - 1);
}

/** Writes a zig-zag varlong (int64); returns the offset after it. */
export function writeVarlong(buf: Uint8Array, offset: number, n: bigint): number {
  if (n > -0x8000000000000n && n < 0x8000000000000n) return writeVarlongNumber(buf, offset, Number(n));
  let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  while (z >= 0x80n) {
    buf[offset++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  buf[offset++] = Number(z);
  return offset;
}

// --------------------------------------------------------------------------------------------- readers

function truncated(offset: number): never {
  throw new DecodeError('varint runs past the end of the input', offset);
}

/**
 * Reads an unsigned varint of at most 5 bytes (a uint32, as Kafka's ByteUtils.readUnsignedVarint does;
 * larger encodings are rejected). Sets varintCursor.end.
 */
export function readUVarint(buf: Uint8Array, offset: number): number {
  let b = buf[offset];
  if (b === undefined) truncated(offset);
  if (b < 0x80) {
    varintCursor.end = offset + 1;
    return b;
  }
  let result = b & 0x7f;
  let shift = 7;
  let pos = offset + 1;
  for (;;) {
    b = buf[pos++];
    if (b === undefined) truncated(offset);
    if (shift === 28) {
      if (b > 0x0f) throw new DecodeError('unsigned varint longer than 32 bits', offset);
      result = (result | (b << 28)) >>> 0;
      break;
    }
    result |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  varintCursor.end = pos;
  return result >>> 0;
}

/** Reads a zig-zag varint (int32, at most 5 bytes). Sets varintCursor.end. */
export function readVarint(buf: Uint8Array, offset: number): number {
  let b = buf[offset];
  if (b === undefined) truncated(offset);
  if (b < 0x80) {
    varintCursor.end = offset + 1;
    return (b >>> 1) ^ -(b & 1);
  }
  let u = b & 0x7f;
  let shift = 7;
  let pos = offset + 1;
  for (;;) {
    b = buf[pos++];
    if (b === undefined) truncated(offset);
    if (shift === 28) {
      if (b > 0x0f) throw new DecodeError('varint longer than 32 bits', offset);
      u |= b << 28;
      break;
    }
    u |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  varintCursor.end = pos;
  u >>>= 0;
  return (u >>> 1) ^ -(u & 1);
}

/** Reads the raw (un-zig-zagged) 64-bit value of a varlong as a bigint, from `offset`. */
function readRawVarlongBig(buf: Uint8Array, offset: number): bigint {
  let result = 0n;
  let shift = 0n;
  let pos = offset;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos++];
    if (b === undefined) truncated(offset);
    if (i === 9 && b > 0x01) throw new DecodeError('varlong longer than 64 bits', offset);
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      varintCursor.end = pos;
      return result;
    }
    shift += 7n;
  }
  throw new DecodeError('varlong longer than 64 bits', offset);
}

/**
 * Reads a zig-zag varlong (int64) as a number. Exact: encodings of up to 7 bytes (|n| < 2^48) take a
 * number-only path; longer ones go through bigint and throw DecodeError when |n| > 2^53 - 1 (use
 * readVarlong for those). Sets varintCursor.end.
 */
export function readVarlongNumber(buf: Uint8Array, offset: number): number {
  let b = buf[offset];
  if (b === undefined) truncated(offset);
  if (b < 0x80) {
    varintCursor.end = offset + 1;
    return (b >>> 1) ^ -(b & 1);
  }
  // Up to 4 bytes (28 bits) with 32-bit integer ops, then up to 3 more (21 bits) by multiplication.
  let low = b & 0x7f;
  let pos = offset + 1;
  let shift = 7;
  while (shift < 28) {
    b = buf[pos++];
    if (b === undefined) truncated(offset);
    low |= (b & 0x7f) << shift;
    if (b < 0x80) {
      varintCursor.end = pos;
      return (low >>> 1) ^ -(low & 1);
    }
    shift += 7;
  }
  let high = 0;
  let mul = 1;
  for (let i = 0; i < 3; i++) {
    b = buf[pos++];
    if (b === undefined) truncated(offset);
    high += (b & 0x7f) * mul;
    if (b < 0x80) {
      varintCursor.end = pos;
      const u = high * TWO_POW_28 + low;
      // zig-zag decode without 32-bit ops: even → u/2, odd → -(u+1)/2.
      return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
    mul *= 128;
  }
  const n = readVarlong(buf, offset);
  if (n > 0x1fffffffffffffn || n < -0x1fffffffffffffn) {
    throw new DecodeError('varlong does not fit a safe integer', offset);
  }
  return Number(n);
}

/** Reads a zig-zag varlong (int64, at most 10 bytes). Sets varintCursor.end. */
export function readVarlong(buf: Uint8Array, offset: number): bigint {
  const raw = readRawVarlongBig(buf, offset);
  return BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n));
}
