// The zig-zag and unsigned varints of src/protocol/varint.ts (shared with the schema codec).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/protocol/decode-error.js';
import {
  readUVarint,
  readVarint,
  readVarlong,
  readVarlongNumber,
  uvarintSize,
  varintCursor,
  varintSize,
  varlongSize,
  varlongSizeNumber,
  writeUVarint,
  writeVarint,
  writeVarlong,
  writeVarlongNumber,
} from '../../src/protocol/varint.js';

const hex = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString('hex');

describe('varints', () => {
  it('match the known encodings of Kafka ByteUtils', () => {
    const buf = new Uint8Array(10);
    expect(hex(buf, writeVarint(buf, 0, 0))).toBe('00');
    expect(hex(buf, writeVarint(buf, 0, -1))).toBe('01');
    expect(hex(buf, writeVarint(buf, 0, 1))).toBe('02');
    expect(hex(buf, writeVarint(buf, 0, 63))).toBe('7e');
    expect(hex(buf, writeVarint(buf, 0, -64))).toBe('7f');
    expect(hex(buf, writeVarint(buf, 0, 64))).toBe('8001');
    expect(hex(buf, writeVarint(buf, 0, 2147483647))).toBe('feffffff0f');
    expect(hex(buf, writeVarint(buf, 0, -2147483648))).toBe('ffffffff0f');
    expect(hex(buf, writeUVarint(buf, 0, 300))).toBe('ac02');
    expect(hex(buf, writeVarlong(buf, 0, -9223372036854775808n))).toBe('ffffffffffffffffff01');
    expect(hex(buf, writeVarlong(buf, 0, 9223372036854775807n))).toBe('feffffffffffffffff01');
  });

  it('round-trip int32 zig-zag, uint32 and int64 values, with matching sizes', () => {
    const buf = new Uint8Array(10);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        const end = writeVarint(buf, 0, n);
        expect(end).toBe(varintSize(n));
        expect(readVarint(buf, 0)).toBe(n);
        expect(varintCursor.end).toBe(end);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const end = writeUVarint(buf, 0, n);
        expect(end).toBe(uvarintSize(n));
        expect(readUVarint(buf, 0)).toBe(n);
        expect(varintCursor.end).toBe(end);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const end = writeVarlong(buf, 0, n);
        expect(end).toBe(varlongSize(n));
        expect(readVarlong(buf, 0)).toBe(n);
        expect(varintCursor.end).toBe(end);
        if (n >= -(2n ** 52n) && n < 2n ** 52n) {
          expect(readVarlongNumber(buf, 0)).toBe(Number(n));
          expect(writeVarlongNumber(buf, 0, Number(n))).toBe(end);
          expect(varlongSizeNumber(Number(n))).toBe(end);
        } else {
          expect(() => readVarlongNumber(buf, 0)).toThrow(DecodeError);
        }
      }),
    );
  });

  it('reject truncated and overlong encodings with DecodeError', () => {
    expect(() => readVarint(Uint8Array.of(0x80, 0x80), 0)).toThrow(DecodeError);
    expect(() => readVarint(Uint8Array.of(), 0)).toThrow(DecodeError);
    expect(() => readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f), 0)).toThrow(DecodeError);
    expect(() => readUVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 0)).toThrow(DecodeError);
    expect(() => readVarlong(new Uint8Array(11).fill(0xff), 0)).toThrow(DecodeError);
    expect(() =>
      readVarlong(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), 0),
    ).toThrow(DecodeError);
    expect(() => readVarlongNumber(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0)).toThrow(
      DecodeError,
    );
  });
});
