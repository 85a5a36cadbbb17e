/**
 * Writer of Kafka wire primitives into a chain of buffers.
 *
 * Small values are written into the current chunk; when it is full a new chunk is started (never a
 * grow-and-copy), and large byte payloads (record batches) are linked into the chain as they are,
 * without copying. `finish()` copies everything once into one Uint8Array, or returns the only chunk as
 * is. When the caller knows the size (`new Writer(sizeBytes)`), the first chunk is exactly that big and
 * nothing is ever copied.
 */
import { UUID_BYTES } from './reader.js';

const CHUNK_BYTES_MIN = 4096;
/** Most requests and responses are small: start small, then grow by chunks. */
const FIRST_CHUNK_BYTES = 256;
/** Byte payloads at least this big are linked instead of copied. */
const LINK_BYTES_MIN = 1024;
const utf8 = new TextEncoder();
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) BASE64URL_VALUE[BASE64URL.charCodeAt(i)] = i;

/** Parses Kafka's UUID display form (22 chars URL-safe base64) into `out` (16 bytes). */
export function uuidFromString(uuid: string, out: Uint8Array = new Uint8Array(UUID_BYTES)): Uint8Array {
  if (uuid.length !== 22) throw new TypeError(`Cannot encode UUID "${uuid}": expected 22 base64url chars`);
  let o = 0;
  for (let i = 0; i < 22; i += 4) {
    let n = 0;
    const chars = Math.min(4, 22 - i);
    for (let j = 0; j < 4; j++) {
      const c = j < chars ? uuid.charCodeAt(i + j) : 65;
      const v = c < 128 ? BASE64URL_VALUE[c]! : -1;
      if (v < 0) throw new TypeError(`Cannot encode UUID "${uuid}": invalid character`);
      n = (n << 6) | v;
    }
    // The last group carries 12 bits for 8: a non-zero tail would not survive a round trip.
    if (chars === 2 && (n & 0xf000) !== 0) throw new TypeError(`Cannot encode UUID "${uuid}": not canonical`);
    out[o++] = (n >> 16) & 0xff;
    if (o < UUID_BYTES) out[o++] = (n >> 8) & 0xff;
    if (o < UUID_BYTES) out[o++] = n & 0xff;
  }
  return out;
}

/** Bytes an unsigned varint of `value` (0 ≤ value < 2^32) takes. */
export function uvarintBytes(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** UTF-8 byte length without encoding: strings are measured for their length prefix before writing. */
export function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // surrogate pair: 2 UTF-16 units → 4 bytes
        i++;
      } else n += 2; // lone surrogate → U+FFFD, 3 bytes
    } else n += 2;
  }
  return n;
}

/**
 * Encoders write what callers give them; DataView would silently wrap an out-of-range number (or turn a
 * string into 0), so integers are checked here and a bad value is a RangeError naming the type.
 */
function checkInt(v: number, min: number, max: number, type: string): void {
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    throw new RangeError(`Cannot encode ${String(v)} as ${type}: expected an integer in ${min}..${max}`);
  }
}

export class Writer {
  /** Finished chunks (already trimmed to their used length). */
  private chunks: Uint8Array[] = [];
  private doneBytes = 0;
  /** Bytes written into our own chunks (finished ones), which sets the size of the next chunk. */
  private copiedBytes = 0;
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(sizeBytesHint = FIRST_CHUNK_BYTES) {
    this.buf = new Uint8Array(Math.max(16, sizeBytesHint));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.doneBytes + this.pos;
  }

  private ensure(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.seal();
    // Grow with what we copied so far (not with linked payloads, which need no room of ours).
    this.buf = new Uint8Array(Math.max(n, CHUNK_BYTES_MIN, this.copiedBytes >> 1));
    this.view = new DataView(this.buf.buffer);
  }

  private seal(): void {
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.doneBytes += this.pos;
      this.copiedBytes += this.pos;
    }
    this.buf = this.buf.subarray(this.pos);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
  }

  int8(v: number): this {
    checkInt(v, -128, 127, 'int8');
    this.ensure(1);
    this.view.setInt8(this.pos++, v);
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    checkInt(v, -32768, 32767, 'int16');
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  uint16(v: number): this {
    checkInt(v, 0, 0xffff, 'uint16');
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    checkInt(v, -0x80000000, 0x7fffffff, 'int32');
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    checkInt(v, 0, 0xffffffff, 'uint32');
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  int64(v: bigint): this {
    if (typeof v !== 'bigint' || BigInt.asIntN(64, v) !== v) {
      throw new RangeError(`Cannot encode ${String(v)} as int64: expected a bigint in the int64 range`);
    }
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
    return this;
  }

  /** Unsigned varint, 0 ≤ v < 2^32. */
  uvarint(v: number): this {
    checkInt(v, 0, 0xffffffff, 'unsigned varint');
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** Zig-zag signed 32-bit varint. */
  varint(v: number): this {
    checkInt(v, -0x80000000, 0x7fffffff, 'varint');
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Unsigned 64-bit varint. */
  uvarlong(v: bigint): this {
    this.ensure(10);
    let u = BigInt.asUintN(64, v);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
    return this;
  }

  /** Zig-zag signed 64-bit varint. */
  varlong(v: bigint): this {
    const s = BigInt.asIntN(64, v);
    if (s !== v) throw new RangeError(`Cannot encode ${v} as varlong: outside the int64 range`);
    return this.uvarlong((s << 1n) ^ (s >> 63n));
  }

  uuid(v: string): this {
    this.ensure(UUID_BYTES);
    uuidFromString(v, this.buf.subarray(this.pos, this.pos + UUID_BYTES));
    this.pos += UUID_BYTES;
    return this;
  }

  /** Raw bytes: copied when small, linked into the chain when large (the caller must not mutate them). */
  raw(v: Uint8Array): this {
    if (v.length >= LINK_BYTES_MIN) {
      this.seal();
      this.chunks.push(v);
      this.doneBytes += v.length;
      return this;
    }
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }

  private utf8(v: string, n: number): void {
    this.ensure(n);
    if (n === v.length) {
      // ASCII: no encoder round trip.
      for (let i = 0; i < n; i++) this.buf[this.pos + i] = v.charCodeAt(i);
    } else {
      utf8.encodeInto(v, this.buf.subarray(this.pos, this.pos + n));
    }
    this.pos += n;
  }

  string(v: string): this {
    const n = utf8Bytes(v);
    if (n > 0x7fff) throw new RangeError(`Cannot encode string: ${n} bytes exceeds the int16 length limit`);
    this.int16(n);
    this.utf8(v, n);
    return this;
  }

  nullableString(v: string | null): this {
    return v === null ? this.int16(-1) : this.string(v);
  }

  compactString(v: string): this {
    const n = utf8Bytes(v);
    this.uvarint(n + 1);
    this.utf8(v, n);
    return this;
  }

  compactNullableString(v: string | null): this {
    return v === null ? this.uvarint(0) : this.compactString(v);
  }

  bytes(v: Uint8Array): this {
    return this.int32(v.length).raw(v);
  }

  nullableBytes(v: Uint8Array | null): this {
    return v === null ? this.int32(-1) : this.bytes(v);
  }

  compactBytes(v: Uint8Array): this {
    return this.uvarint(v.length + 1).raw(v);
  }

  compactNullableBytes(v: Uint8Array | null): this {
    return v === null ? this.uvarint(0) : this.compactBytes(v);
  }

  array<T>(v: readonly T[], write: (w: Writer, item: T) => void): this {
    this.int32(v.length);
    for (const item of v) write(this, item);
    return this;
  }

  nullableArray<T>(v: readonly T[] | null, write: (w: Writer, item: T) => void): this {
    return v === null ? this.int32(-1) : this.array(v, write);
  }

  compactArray<T>(v: readonly T[], write: (w: Writer, item: T) => void): this {
    this.uvarint(v.length + 1);
    for (const item of v) write(this, item);
    return this;
  }

  compactNullableArray<T>(v: readonly T[] | null, write: (w: Writer, item: T) => void): this {
    return v === null ? this.uvarint(0) : this.compactArray(v, write);
  }

  /** An empty tagged-field section. */
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** One Uint8Array holding everything written: the only chunk itself, or one copy of the chain. */
  finish(): Uint8Array {
    if (this.chunks.length === 0) return this.buf.subarray(0, this.pos);
    this.seal();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.doneBytes);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /**
   * Everything written as the chain of chunks, without the final copy: for writing a large response
   * (Fetch) to a socket chunk by chunk. Linked payloads appear as the caller's own arrays.
   */
  finishChunks(): Uint8Array[] {
    this.seal();
    return this.chunks.slice();
  }

  /** finishChunks() for a frame that began with `int32(0)`: patches the size into the first chunk. */
  finishFrameChunks(): Uint8Array[] {
    const chunks = this.finishChunks();
    const first = chunks[0]!;
    new DataView(first.buffer, first.byteOffset, first.byteLength).setInt32(0, this.doneBytes - 4);
    return chunks;
  }

  /**
   * Like finish(), for a frame that began with `int32(0)` as a size placeholder: patches the size
   * (bytes after the prefix) in place.
   */
  finishFrame(): Uint8Array {
    const out = this.finish();
    new DataView(out.buffer, out.byteOffset, out.byteLength).setInt32(0, out.length - 4);
    return out;
  }
}
