import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codecById, codecByName } from '../../src/protocol/compression/index.js';
import { decompressLz4Frames } from '../../src/protocol/compression/lz4.js';
import { DecodeError } from '../../src/protocol/decode-error.js';
import { decodeRecordBatch, encodeRecordBatch, type RecordInput } from '../../src/protocol/record-batch.js';

const require = createRequire(import.meta.url);
const snappy = require('snappy') as { compressSync(b: Uint8Array): Buffer };
const lz4napi = require('lz4-napi') as { compressFrameSync(b: Buffer): Buffer };

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

function records(n: number, valueBytes: number): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 7 === 0 ? null : Buffer.from(`key-${i}`),
    value: i % 11 === 0 ? null : Buffer.from(`{"i":${i},"pad":"${'x'.repeat(valueBytes)}"}`),
    headers:
      i % 3 === 0
        ? [
            { key: 'h', value: Buffer.from(String(i)) },
            { key: 'n', value: null },
          ]
        : [],
    timestamp: 1_700_000_000_000n + BigInt(i * 13),
  }));
}

function text(u: Uint8Array | null): string | null {
  return u === null ? null : Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString();
}

describe.each(CODECS)('%s batches', (codec) => {
  it('round-trip many records with headers, null and empty fields, timestamps', () => {
    const input = records(2000, 90);
    input.push({
      key: Buffer.alloc(0),
      value: Buffer.alloc(0),
      headers: [{ key: 'é', value: Buffer.alloc(0) }],
    });
    const batch = encodeRecordBatch(input, { compression: codec, baseOffset: 100n });
    const d = decodeRecordBatch(batch);
    expect(d.header.attributes & 7).toBe(codecByName(codec).id);
    expect(d.records.length).toBe(input.length);
    d.records.forEach((r, i) => {
      const want = input[i]!;
      expect(r.offset).toBe(100n + BigInt(i));
      expect(r.timestamp).toBe(want.timestamp ?? d.header.baseTimestamp);
      expect(text(r.key)).toBe(text(want.key));
      expect(text(r.value)).toBe(text(want.value));
      expect(r.headers.map((h) => [h.key, text(h.value)])).toEqual(
        (want.headers ?? []).map((h) => [h.key, text(h.value)]),
      );
    });
    expect(batch.length).toBeLessThan(encodeRecordBatch(input).length);
  });

  it('round-trip a single empty record and a 3 MiB value (several compression blocks)', () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const d = decodeRecordBatch(
      encodeRecordBatch(
        [
          { key: null, value: Buffer.alloc(0) },
          { key: null, value: big },
        ],
        { compression: codec },
      ),
    );
    expect(d.records[0]!.value!.length).toBe(0);
    expect(Buffer.compare(Buffer.from(d.records[1]!.value!), big)).toBe(0);
  });

  it('refuses a decompression bomb at the cap with DecodeError', () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const batch = encodeRecordBatch([{ key: null, value: zeros }], { compression: codec });
    expect(batch.length).toBeLessThan(1024 * 1024);
    expect(() => decodeRecordBatch(batch, { maxDecompressedBytes: 1024 * 1024 })).toThrow(DecodeError);
    expect(decodeRecordBatch(batch).records[0]!.value!.length).toBe(zeros.length);
  });

  it('turns garbage compressed data into DecodeError', () => {
    const c = codecByName(codec);
    for (let seed = 0; seed < 200; seed++) {
      const junk = Buffer.alloc(1 + (seed % 97));
      for (let i = 0; i < junk.length; i++) junk[i] = (seed * 7919 + i * 104729) & 0xff;
      try {
        c.decompress(junk, 1 << 20);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
  });
});

describe('codec framing details', () => {
  it('snappy writes the xerial header and reads plain unframed snappy too', () => {
    const data = Buffer.from('hello snappy '.repeat(10_000));
    const framed = codecByName('snappy').compress(data);
    expect(Buffer.from(framed.subarray(0, 8)).toString('latin1')).toBe('\x82SNAPPY\x00');
    expect(Buffer.from(framed).readInt32BE(8)).toBe(1);
    expect(Buffer.from(codecByName('snappy').decompress(framed, 1 << 20)).equals(data)).toBe(true);
    const plain = snappy.compressSync(data);
    expect(Buffer.from(codecByName('snappy').decompress(plain, 1 << 20)).equals(data)).toBe(true);
  });

  it('lz4 writes the frame format and the in-tree decoder matches lz4-napi on many inputs', () => {
    const out = codecByName('lz4').compress(Buffer.from('abc'.repeat(100)));
    expect(Buffer.from(out).readUInt32LE(0)).toBe(0x184d2204);
    for (let n = 0; n < 300; n++) {
      const buf = Buffer.alloc(n * 37);
      for (let i = 0; i < buf.length; i++)
        buf[i] = i % (n + 3) < 5 ? (i * n) & 0xff : 65 + (i % (1 + (n % 5)));
      const frame = lz4napi.compressFrameSync(buf);
      expect(Buffer.from(decompressLz4Frames(frame, 1 << 20)).equals(buf)).toBe(true);
    }
  });

  it('gzip reads concatenated members', () => {
    const two = Buffer.concat([gzipSync('first-'), gzipSync('second')]);
    expect(Buffer.from(codecByName('gzip').decompress(two, 1000)).toString()).toBe('first-second');
  });

  it('zstd frames without a declared content size (streamed writers) decode, capped', async () => {
    const zstd = require('zstd-napi') as { CompressStream: new () => NodeJS.ReadWriteStream };
    const streamed = async (parts: Buffer[]) => {
      const s = new zstd.CompressStream();
      const out: Buffer[] = [];
      s.on('data', (d: Buffer) => out.push(d));
      const done = new Promise((resolve) => s.on('end', resolve));
      for (const p of parts) s.write(p);
      s.end();
      await done;
      return Buffer.concat(out);
    };
    const data = Buffer.alloc(300_000, 'zstd-stream ');
    const frame = await streamed([data.subarray(0, 100_000), data.subarray(100_000)]);
    expect(Buffer.from(codecByName('zstd').decompress(frame, 1 << 20)).equals(data)).toBe(true);
    expect(() => codecByName('zstd').decompress(frame, 200_000)).toThrow(/more than 200000/);
    expect(() => codecByName('zstd').decompress(frame.subarray(0, frame.length - 3), 1 << 20)).toThrow(
      DecodeError,
    );
  });

  it('declared sizes beyond the cap are refused before decompressing', () => {
    // zstd: single-segment frame header declaring 2^40 bytes (FHD 0xe0: 8-byte FCS, single segment).
    const zstdHeader = Buffer.from('28b52ffde00000000000010000', 'hex');
    expect(() => codecByName('zstd').decompress(zstdHeader, 1 << 20)).toThrow(DecodeError);
    // snappy raw block declaring 0xffffffff bytes.
    expect(() => codecByName('snappy').decompress(Buffer.from('ffffffff0f00', 'hex'), 1 << 20)).toThrow(
      /decompresses to/,
    );
    // lz4 frame with the content-size flag declaring 2^40 bytes.
    const lz4Header = Buffer.from('04224d186840000000000001000000', 'hex');
    expect(() => codecByName('lz4').decompress(lz4Header, 1 << 20)).toThrow(/declares/);
  });

  it('unknown codec ids 5..7 are DecodeErrors', () => {
    for (const id of [5, 6, 7]) expect(() => codecById(id)).toThrow(DecodeError);
  });
});
