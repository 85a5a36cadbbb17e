/**
 * Reader of Kafka wire primitives over a Uint8Array.
 *
 * Every read checks the bytes left first and throws DecodeError (never RangeError) when the input is
 * short or a length is impossible. Lengths read from the wire are checked against the bytes actually
 * left BEFORE anything is allocated, and array counts are checked the same way (every element takes at
 * least one byte), so a hostile length never allocates more than the frame holds.
 * Bytes, records and UUID reads return subarray views into the input, not copies: callers that keep
 * them beyond the life of the frame buffer must copy.
 */
import { DecodeError } from './decode-error.js';

/** Kafka's UUID is 16 bytes; we expose it as Kafka prints it: 22 chars of URL-safe base64, no padding. */
export const UUID_BYTES = 16;
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const utf8 = new TextDecoder('utf-8');
const SHORT_STRING_BYTES = 32;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Encodes 16 UUID bytes as Kafka's display form (Uuid.toString: URL-safe base64 without padding). */
export function uuidToString(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64URL[n >> 18]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  // 16 = 5*3 + 1: one byte left → two chars.
  if (i < bytes.length) {
    const n = bytes[i]! << 16;
    out += BASE64URL[n >> 18]! + BASE64URL[(n >> 12) & 63]!;
  }
  return out;
}

export class Reader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  offset: number;

  constructor(buf: Uint8Array, offset = 0) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n > this.buf.length - this.offset) {
      throw new DecodeError(`${what} needs ${n} bytes, ${this.buf.length - this.offset} left`, this.offset);
    }
  }

  /** Throws unless the whole input was consumed: trailing bytes mean the frame and schema disagree. */
  expectEnd(what: string): void {
    if (this.offset !== this.buf.length) {
      throw new DecodeError(`${what}: ${this.buf.length - this.offset} trailing bytes`, this.offset);
    }
  }

  int8(): number {
    this.need(1, 'int8');
    return this.view.getInt8(this.offset++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.view.getInt16(this.offset);
    this.offset += 2;
    return v;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8, 'int64');
    const v = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8, 'float64');
    const v = this.view.getFloat64(this.offset);
    this.offset += 8;
    return v;
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes), as used for compact lengths and tags. */
  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.offset >= this.buf.length) throw new DecodeError('varint runs past the end', this.offset);
      const b = this.buf[this.offset++]!;
      if (shift === 28 && b > 0x0f) throw new DecodeError('varint overflows 32 bits', this.offset - 1);
      // Multiplication instead of << keeps bit 31 from turning the result negative.
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new DecodeError('varint longer than 5 bytes', this.offset);
  }

  /** Zig-zag signed 32-bit varint (record fields). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Unsigned varint of at most 64 bits (10 bytes). */
  uvarlong(): bigint {
    let lo = 0;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.buf.length) throw new DecodeError('varlong runs past the end', this.offset);
      const b = this.buf[this.offset++]!;
      if (i === 9 && b > 0x01) throw new DecodeError('varlong overflows 64 bits', this.offset - 1);
      // Accumulate the first 4 groups (28 bits) as a number, the rest as bigint: most values are small.
      if (i < 4) lo += (b & 0x7f) * 2 ** (7 * i);
      else result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return result | BigInt(lo);
    }
    throw new DecodeError('varlong longer than 10 bytes', this.offset);
  }

  /** Zig-zag signed 64-bit varint. */
  varlong(): bigint {
    const u = this.uvarlong();
    return (u >> 1n) ^ -(u & 1n);
  }

  uuid(): string {
    this.need(UUID_BYTES, 'uuid');
    const s = uuidToString(this.buf.subarray(this.offset, this.offset + UUID_BYTES));
    this.offset += UUID_BYTES;
    return s;
  }

  /** A view of the next `n` bytes, after checking they exist. */
  raw(n: number, what = 'bytes'): Uint8Array {
    if (n < 0) throw new DecodeError(`${what}: negative length ${n}`, this.offset);
    this.need(n, what);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  private utf8(n: number): string {
    const bytes = this.raw(n, 'string');
    // TextDecoder has a high fixed cost per call; Kafka strings are mostly short ASCII names.
    if (n <= SHORT_STRING_BYTES) {
      let s = '';
      for (let i = 0; i < n; i++) {
        const b = bytes[i]!;
        if (b >= 0x80) return utf8.decode(bytes);
        s += String.fromCharCode(b);
      }
      return s;
    }
    return utf8.decode(bytes);
  }

  /** int16 length + UTF-8; -1 is an error here (use nullableString). */
  string(): string {
    const n = this.int16();
    if (n < 0) throw new DecodeError(`non-nullable string has length ${n}`, this.offset - 2);
    return this.utf8(n);
  }

  nullableString(): string | null {
    const n = this.int16();
    if (n === -1) return null;
    if (n < 0) throw new DecodeError(`string has length ${n}`, this.offset - 2);
    return this.utf8(n);
  }

  /** Compact string: uvarint length+1; 0 (null) is an error here. */
  compactString(): string {
    const n = this.uvarint();
    if (n === 0) throw new DecodeError('non-nullable compact string is null', this.offset - 1);
    return this.utf8(n - 1);
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.utf8(n - 1);
  }

  /** int32 length + bytes, as a view. */
  bytes(): Uint8Array {
    const n = this.int32();
    if (n < 0) throw new DecodeError(`non-nullable bytes has length ${n}`, this.offset - 4);
    return this.raw(n);
  }

  nullableBytes(): Uint8Array | null {
    const n = this.int32();
    if (n === -1) return null;
    return this.raw(n);
  }

  compactBytes(): Uint8Array {
    const n = this.uvarint();
    if (n === 0) throw new DecodeError('non-nullable compact bytes is null', this.offset - 1);
    return this.raw(n - 1);
  }

  compactNullableBytes(): Uint8Array | null {
    const n = this.uvarint();
    return n === 0 ? null : this.raw(n - 1);
  }

  /**
   * Checks an element count against the bytes left (each element takes ≥ 1 byte; `minElementBytes`
   * can raise that) so a hostile count is rejected before any array is grown.
   */
  checkCount(count: number, minElementBytes = 1, what = 'array'): void {
    if (count * minElementBytes > this.buf.length - this.offset) {
      throw new DecodeError(
        `${what} claims ${count} elements, ${this.buf.length - this.offset} bytes left`,
        this.offset,
      );
    }
  }

  private elements<T>(count: number, read: (r: Reader) => T): T[] {
    this.checkCount(count);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }

  /** int32 count + elements; -1 is an error here. */
  array<T>(read: (r: Reader) => T): T[] {
    const n = this.int32();
    if (n < 0) throw new DecodeError(`non-nullable array has length ${n}`, this.offset - 4);
    return this.elements(n, read);
  }

  nullableArray<T>(read: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0) throw new DecodeError(`array has length ${n}`, this.offset - 4);
    return this.elements(n, read);
  }

  compactArray<T>(read: (r: Reader) => T): T[] {
    const n = this.uvarint();
    if (n === 0) throw new DecodeError('non-nullable compact array is null', this.offset - 1);
    return this.elements(n - 1, read);
  }

  compactNullableArray<T>(read: (r: Reader) => T): T[] | null {
    const n = this.uvarint();
    return n === 0 ? null : this.elements(n - 1, read);
  }

  /**
   * A tagged-field section: uvarint count, then (tag uvarint, size uvarint, size bytes) each.
   * `onTag` gets a Reader over exactly that field's bytes and returns false for unknown tags, which are
   * skipped (forward compatibility, as Kafka does). The field must be consumed exactly.
   */
  taggedFields(onTag: (tag: number, field: Reader) => boolean): void {
    const count = this.uvarint();
    // Each tagged field takes at least 2 bytes (tag + size).
    this.checkCount(count, 2, 'tagged fields');
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      const body = this.raw(size, `tagged field ${tag}`);
      const field = new Reader(body);
      if (onTag(tag, field)) field.expectEnd(`tagged field ${tag}`);
    }
  }
}
