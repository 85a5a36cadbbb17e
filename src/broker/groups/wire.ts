/**
 * Minimal Kafka wire primitives for the __consumer_offsets records and the consumer-protocol header.
 *
 * Behavior:
 * * A local, dependency-free pair (the shared src/protocol reader/writer were not committed when this was
 *   written); it covers only what these records use: int16/32/64, (nullable) strings, bytes, arrays, and
 *   the flexible-version forms (unsigned varints, compact strings/bytes/arrays, tagged fields) to read
 *   records written by a Kafka that uses the flexible versions.
 * * Every read checks the bytes left before reading or allocating and throws DecodeError, never
 *   RangeError; an array count is checked against the bytes left (`minElementBytes` each) before looping.
 */
import { DecodeError } from '../../protocol/decode-error.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

export class ByteReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  offset = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.#buf.length - this.offset;
  }

  need(n: number, what: string): void {
    if (n > this.remaining)
      throw new DecodeError(`${what} needs ${n} bytes, ${this.remaining} left`, this.offset);
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) throw new DecodeError(`${what}: ${this.remaining} trailing bytes`, this.offset);
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.#view.getInt16(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.#view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8, 'int64');
    const v = this.#view.getBigInt64(this.offset);
    this.offset += 8;
    return v;
  }

  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1, 'varint');
      const b = this.#buf[this.offset++]!;
      if (shift === 28 && b > 0x0f) throw new DecodeError('varint overflows 32 bits', this.offset - 1);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new DecodeError('varint longer than 5 bytes', this.offset);
  }

  raw(n: number, what: string): Uint8Array {
    if (n < 0) throw new DecodeError(`${what}: negative length ${n}`, this.offset);
    this.need(n, what);
    const out = this.#buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** int16-length string (compact: uvarint length+1). Null only when `nullable`. */
  string(compact: boolean, what: string): string;
  string(compact: boolean, what: string, nullable: true): string | null;
  string(compact: boolean, what: string, nullable = false): string | null {
    const n = compact ? this.uvarint() - 1 : this.int16();
    if (n === -1 && nullable) return null;
    if (n < 0) throw new DecodeError(`${what}: invalid string length ${n}`, this.offset);
    return utf8Decoder.decode(this.raw(n, what));
  }

  /** int32-length bytes (compact: uvarint length+1), as a view of the input. */
  bytes(compact: boolean, what: string): Uint8Array {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n < 0) throw new DecodeError(`${what}: invalid bytes length ${n}`, this.offset);
    return this.raw(n, what);
  }

  /** Array count (compact: uvarint count+1), checked against the bytes left; null arrays are rejected. */
  count(compact: boolean, minElementBytes: number, what: string): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n < 0) throw new DecodeError(`${what}: invalid array length ${n}`, this.offset);
    if (n * minElementBytes > this.remaining) {
      throw new DecodeError(`${what} claims ${n} elements, ${this.remaining} bytes left`, this.offset);
    }
    return n;
  }

  /** Skips a tagged-field section (all tags are unknown to these records). */
  skipTaggedFields(what: string): void {
    // The field count is a plain uvarint (not count+1); each field takes at least 2 bytes.
    const n = this.uvarint();
    if (n * 2 > this.remaining)
      throw new DecodeError(`${what}: ${n} tagged fields in ${this.remaining} bytes`, this.offset);
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.raw(this.uvarint(), `${what} tagged field`);
    }
  }
}

/** Appends big-endian primitives to a growing list of small arrays, joined once in finish(). */
export class ByteWriter {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  #push(part: Uint8Array): this {
    this.#parts.push(part);
    this.#length += part.length;
    return this;
  }

  int16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setInt16(0, v);
    return this.#push(b);
  }

  int32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v);
    return this.#push(b);
  }

  int64(v: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt.asIntN(64, v));
    return this.#push(b);
  }

  string(v: string): this {
    const b = utf8Encoder.encode(v);
    if (b.length > 0x7fff)
      throw new RangeError(`Cannot encode string: ${b.length} bytes exceeds the int16 limit`);
    return this.int16(b.length).#push(b);
  }

  uvarint(v: number): this {
    const out: number[] = [];
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    return this.#push(Uint8Array.from(out));
  }

  /** Flexible-version string: uvarint length+1, then UTF-8. */
  compactString(v: string): this {
    const b = utf8Encoder.encode(v);
    return this.uvarint(b.length + 1).#push(b);
  }

  /** An empty tagged-field section (flexible versions). */
  noTaggedFields(): this {
    return this.uvarint(0);
  }

  nullableString(v: string | null): this {
    return v === null ? this.int16(-1) : this.string(v);
  }

  bytes(v: Uint8Array): this {
    return this.int32(v.length).#push(v);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let o = 0;
    for (const p of this.#parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
