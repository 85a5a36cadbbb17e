import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/protocol/decode-error.js';
import { Reader, UUID_BYTES, uuidToString, ZERO_UUID } from '../../src/protocol/reader.js';
import { utf8Bytes, uuidFromString, uvarintBytes, Writer } from '../../src/protocol/writer.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const write = (f: (w: Writer) => void, sizeHint?: number) => {
  const w = new Writer(sizeHint);
  f(w);
  return w.finish();
};

describe('Writer and Reader fixed-width integers', () => {
  it('int8/int16/int32/int64/uint16/uint32 write big-endian at their boundaries', () => {
    const out = write((w) =>
      w
        .int8(-128)
        .int8(127)
        .int16(-32768)
        .int16(32767)
        .uint16(65535)
        .int32(-(2 ** 31))
        .int32(2 ** 31 - 1)
        .uint32(2 ** 32 - 1)
        .int64(-(2n ** 63n))
        .int64(2n ** 63n - 1n),
    );
    expect(hex(out)).toBe(
      '807f' +
        '80007fff' +
        'ffff' +
        '800000007fffffff' +
        'ffffffff' +
        '8000000000000000' +
        '7fffffffffffffff',
    );
    const r = new Reader(out);
    expect([r.int8(), r.int8(), r.int16(), r.int16(), r.uint16(), r.int32(), r.int32(), r.uint32()]).toEqual([
      -128,
      127,
      -32768,
      32767,
      65535,
      -(2 ** 31),
      2 ** 31 - 1,
      2 ** 32 - 1,
    ]);
    expect([r.int64(), r.int64()]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect(r.remaining).toBe(0);
  });

  it('rejects numbers outside the type instead of wrapping them', () => {
    const w = new Writer();
    expect(() => w.int8(128)).toThrow(RangeError);
    expect(() => w.int16(-32769)).toThrow(RangeError);
    expect(() => w.uint16(-1)).toThrow(RangeError);
    expect(() => w.int32(2 ** 31)).toThrow(RangeError);
    expect(() => w.int32(1.5)).toThrow(RangeError);
    expect(() => w.int32('7' as unknown as number)).toThrow(RangeError);
    expect(() => w.uint32(2 ** 32)).toThrow(RangeError);
    expect(() => w.int64(2n ** 63n)).toThrow(RangeError);
    expect(() => w.int64(5 as unknown as bigint)).toThrow(RangeError);
    expect(() => w.uvarint(2 ** 32)).toThrow(RangeError);
    expect(() => w.varlong(2n ** 64n)).toThrow(RangeError);
    expect(w.length).toBe(0);
  });

  it('bool reads any non-zero byte as true and float64 round-trips', () => {
    const r = new Reader(bytes('00 01 ff'));
    expect([r.bool(), r.bool(), r.bool()]).toEqual([false, true, true]);
    for (const v of [0, -0, 1.5, -1e300, Number.MAX_VALUE, Number.MIN_VALUE, Infinity]) {
      expect(Object.is(new Reader(write((w) => w.float64(v))).float64(), v)).toBe(true);
    }
  });
});

describe('varints', () => {
  const cases: [number, string][] = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [2 ** 31 - 1, 'ffffffff07'],
    [2 ** 32 - 1, 'ffffffff0f'],
  ];
  it.each(cases)('uvarint %d is %s', (value, expected) => {
    const out = write((w) => w.uvarint(value));
    expect(hex(out)).toBe(expected);
    expect(uvarintBytes(value)).toBe(out.length);
    expect(new Reader(out).uvarint()).toBe(value);
  });

  it('zig-zag varint maps 0,-1,1,-2 to 0,1,2,3 and covers the int32 range', () => {
    expect(hex(write((w) => w.varint(0).varint(-1).varint(1).varint(-2)))).toBe('00010203');
    expect(hex(write((w) => w.varint(-(2 ** 31))))).toBe('ffffffff0f');
    expect(hex(write((w) => w.varint(2 ** 31 - 1)))).toBe('feffffff0f');
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        expect(new Reader(write((w) => w.varint(v))).varint()).toBe(v);
      }),
    );
  });

  it('zig-zag varlong covers the int64 range in at most 10 bytes', () => {
    expect(hex(write((w) => w.varlong(-1n)))).toBe('01');
    expect(hex(write((w) => w.varlong(-(2n ** 63n))))).toBe('ffffffffffffffffff01');
    expect(hex(write((w) => w.varlong(2n ** 63n - 1n)))).toBe('feffffffffffffffff01');
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const out = write((w) => w.varlong(v));
        expect(out.length).toBeLessThanOrEqual(10);
        expect(new Reader(out).varlong()).toBe(v);
      }),
    );
  });

  it('rejects varints that overflow, run long or stop short', () => {
    expect(() => new Reader(bytes('ffffffff10')).uvarint()).toThrow(DecodeError); // 33rd bit set
    expect(() => new Reader(bytes('ffffffffff01')).uvarint()).toThrow(DecodeError); // 6 bytes
    expect(() => new Reader(bytes('8080')).uvarint()).toThrow(DecodeError); // truncated
    expect(() => new Reader(bytes('ffffffffffffffffff02')).uvarlong()).toThrow(DecodeError); // 65 bits
    expect(() => new Reader(bytes('ffffffffffffffffffff01')).uvarlong()).toThrow(DecodeError); // 11 bytes
    expect(() => new Reader(bytes('ff')).varlong()).toThrow(DecodeError);
  });
});

describe('strings and bytes', () => {
  it('classic string is int16 length + UTF-8; nullable null is -1; empty is not null', () => {
    expect(hex(write((w) => w.string('kt')))).toBe('00026b74');
    expect(hex(write((w) => w.string('')))).toBe('0000');
    expect(hex(write((w) => w.nullableString(null)))).toBe('ffff');
    expect(hex(write((w) => w.string('é')))).toBe('0002c3a9');
    expect(new Reader(bytes('ffff')).nullableString()).toBeNull();
    expect(new Reader(bytes('0000')).nullableString()).toBe('');
    expect(() => new Reader(bytes('ffff')).string()).toThrow(DecodeError);
    expect(() => new Reader(bytes('fffe')).nullableString()).toThrow(DecodeError);
  });

  it('compact string is uvarint length+1; 0 is null', () => {
    expect(hex(write((w) => w.compactString('kt')))).toBe('036b74');
    expect(hex(write((w) => w.compactString('')))).toBe('01');
    expect(hex(write((w) => w.compactNullableString(null)))).toBe('00');
    expect(new Reader(bytes('00')).compactNullableString()).toBeNull();
    expect(new Reader(bytes('01')).compactNullableString()).toBe('');
    expect(() => new Reader(bytes('00')).compactString()).toThrow(DecodeError);
  });

  it('strings of any Unicode round-trip and measure their UTF-8 length exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
        const out = write((w) => w.string(s).compactString(s));
        const r = new Reader(out);
        expect([r.string(), r.compactString()]).toEqual([s, s]);
      }),
    );
  });

  it('bytes: classic int32 and compact forms, null vs empty, and reads are views of the input', () => {
    expect(hex(write((w) => w.bytes(bytes('abcd')).nullableBytes(null).bytes(new Uint8Array(0))))).toBe(
      '00000002abcd' + 'ffffffff' + '00000000',
    );
    expect(hex(write((w) => w.compactBytes(bytes('abcd')).compactNullableBytes(null)))).toBe('03abcd00');
    const input = bytes('00000002abcd');
    const view = new Reader(input).bytes();
    expect(view.buffer).toBe(input.buffer); // no copy
    expect(view.byteOffset).toBe(input.byteOffset + 4);
    expect(new Reader(bytes('ffffffff')).nullableBytes()).toBeNull();
    expect(new Reader(bytes('00000000')).nullableBytes()).toEqual(new Uint8Array(0));
    expect(() => new Reader(bytes('ffffffff')).bytes()).toThrow(DecodeError);
    expect(() => new Reader(bytes('00')).compactBytes()).toThrow(DecodeError);
  });

  it('large byte payloads are linked into the output, and the result is one contiguous array', () => {
    const big = new Uint8Array(5000).fill(7);
    const out = write((w) => w.int32(1).bytes(big).int8(9), 16);
    expect(out.length).toBe(4 + 4 + 5000 + 1);
    expect(out[8]).toBe(7);
    expect(out[out.length - 1]).toBe(9);
  });

  it('finishFrameChunks() returns the chain uncopied with the frame size patched in', () => {
    const big = new Uint8Array(3000).fill(5);
    const w = new Writer(16);
    w.int32(0).int16(7).bytes(big).int8(1);
    const chunks = w.finishFrameChunks();
    expect(chunks.some((c) => c === big)).toBe(true); // linked, not copied
    const joined = Buffer.concat(chunks);
    expect(joined.length).toBe(4 + 2 + 4 + 3000 + 1);
    expect(joined.readInt32BE(0)).toBe(joined.length - 4);
    expect(joined[joined.length - 1]).toBe(1);
  });

  it('a writer sized exactly returns its buffer without copying', () => {
    const w = new Writer(6);
    w.int16(1).int32(2);
    const out = w.finish();
    expect(out.byteLength).toBe(6);
    expect(out.buffer.byteLength).toBe(16); // the minimum chunk: nothing re-allocated
  });

  it('writes spanning many chunks come out in order', () => {
    const w = new Writer(16);
    for (let i = 0; i < 10_000; i++) w.int32(i);
    const r = new Reader(w.finish());
    for (let i = 0; i < 10_000; i++) expect(r.int32()).toBe(i);
  });
});

describe('hostile lengths never allocate', () => {
  it('a string, bytes or array length beyond the input is a DecodeError', () => {
    expect(() => new Reader(bytes('7fff 41')).string()).toThrow(DecodeError);
    expect(() => new Reader(bytes('7fffffff 41')).bytes()).toThrow(DecodeError);
    expect(() => new Reader(bytes('ffffffff0f')).compactBytes()).toThrow(DecodeError);
    expect(() => new Reader(bytes('7fffffff 00')).array((r) => r.int8())).toThrow(DecodeError);
    expect(() => new Reader(bytes('ffffffff07')).compactArray((r) => r.int8())).toThrow(DecodeError);
    expect(() => new Reader(bytes('80000000')).nullableArray((r) => r.int8())).toThrow(DecodeError);
  });

  it('an array count is checked before any element is read', () => {
    let calls = 0;
    const r = new Reader(bytes('00000005 0102'));
    expect(() =>
      r.array((x) => {
        calls++;
        return x.int8();
      }),
    ).toThrow(DecodeError);
    expect(calls).toBe(0);
  });

  it('truncated fixed-width reads are DecodeErrors carrying the offset', () => {
    const r = new Reader(bytes('000000'));
    r.int8();
    try {
      r.int32();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(1);
    }
    expect(() => new Reader(bytes('00')).int16()).toThrow(DecodeError);
    expect(() => new Reader(bytes('00000000000000')).int64()).toThrow(DecodeError);
    expect(() => new Reader(new Uint8Array(15)).uuid()).toThrow(DecodeError);
  });
});

describe('arrays', () => {
  it('classic and compact, nullable, null vs empty', () => {
    const ints = (w: Writer, v: number) => w.int32(v);
    expect(hex(write((w) => w.array([1, 2], ints)))).toBe('00000002' + '00000001' + '00000002');
    expect(hex(write((w) => w.nullableArray(null, ints).array([], ints)))).toBe('ffffffff00000000');
    expect(hex(write((w) => w.compactArray([1], ints).compactNullableArray(null, ints)))).toBe(
      '020000000100',
    );
    const r = new Reader(bytes('ffffffff 00000000 00 01'));
    expect(r.nullableArray((x) => x.int32())).toBeNull();
    expect(r.nullableArray((x) => x.int32())).toEqual([]);
    expect(r.compactNullableArray((x) => x.int32())).toBeNull();
    expect(r.compactNullableArray((x) => x.int32())).toEqual([]);
    expect(() => new Reader(bytes('ffffffff')).array((x) => x.int32())).toThrow(DecodeError);
  });
});

describe('UUID', () => {
  it('round-trips through Kafka display form (22 chars URL-safe base64)', () => {
    expect(ZERO_UUID).toBe(uuidToString(new Uint8Array(UUID_BYTES)));
    const raw = bytes('ffeeddccbbaa99887766554433221100');
    const s = uuidToString(raw);
    expect(s).toBe(Buffer.from(raw).toString('base64url'));
    expect(uuidFromString(s)).toEqual(raw);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const text = new Reader(write((w) => w.uuid(uuidToString(b)))).uuid();
        expect(uuidFromString(text)).toEqual(b);
      }),
    );
  });

  it('rejects strings that are not 16 canonical bytes', () => {
    expect(() => uuidFromString('short')).toThrow(TypeError);
    expect(() => uuidFromString('AAAAAAAAAAAAAAAAAAAA*A')).toThrow(TypeError);
    expect(() => uuidFromString('AAAAAAAAAAAAAAAAAAAAAB')).toThrow(TypeError); // non-zero padding bits
  });
});

describe('tagged fields', () => {
  it('reads known tags, skips unknown ones, and requires each known field to be consumed exactly', () => {
    // 2 fields: tag 0 size 4 int32 7; tag 5 size 2 (unknown).
    const input = bytes('02 00 04 00000007 05 02 abcd');
    const seen: number[] = [];
    const r = new Reader(input);
    r.taggedFields((tag, field) => {
      if (tag !== 0) return false;
      seen.push(field.int32());
      return true;
    });
    expect(seen).toEqual([7]);
    expect(r.remaining).toBe(0);
    expect(() =>
      new Reader(bytes('01 00 04 00000007')).taggedFields((_, f) => {
        f.int16();
        return true;
      }),
    ).toThrow(DecodeError);
    expect(() => new Reader(bytes('01 00 09 00')).taggedFields(() => false)).toThrow(DecodeError);
    expect(() => new Reader(bytes('7f 00')).taggedFields(() => false)).toThrow(DecodeError);
  });
});
