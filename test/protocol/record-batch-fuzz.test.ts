// Bounded fuzzing of every decoder of outside bytes in this area: the only outcomes allowed are success
// and DecodeError (no other exception, no hang), for random and mutated inputs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codecById } from '../../src/protocol/compression/index.js';
import { DecodeError } from '../../src/protocol/decode-error.js';
import { decodeLegacyMessageSet } from '../../src/protocol/legacy-message-set.js';
import {
  type CompressionCodec,
  decodeRecordBatch,
  encodeRecordBatch,
  forwardBatch,
  iterateBatches,
} from '../../src/protocol/record-batch.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/protocol/record-batch');
const TIME_BUDGET_MS = 2500;
const CAP = 1 << 20;

function loadHex(name: string): Uint8Array {
  const text = readFileSync(join(FIXTURES, name), 'utf8').replace(/#.*/g, '').replace(/\s+/g, '');
  return Buffer.from(text, 'hex');
}

/** Deterministic PRNG (xorshift32), so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  let s = seed || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const buf = Buffer.from(src);
  const kind = Math.floor(r() * 6);
  const at = Math.floor(r() * buf.length);
  switch (kind) {
    case 0: // bit flips
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) {
        const p = Math.floor(r() * buf.length);
        buf[p]! ^= 1 << Math.floor(r() * 8);
      }
      return buf;
    case 1: // truncation
      return buf.subarray(0, at);
    case 2: // hostile 32-bit length somewhere (batch length, record count, legacy sizes, key lengths)
      if (buf.length >= 4)
        buf.writeInt32BE(
          [0x7fffffff, -2, -1, 0x10000000, 0][Math.floor(r() * 5)]!,
          Math.min(at, buf.length - 4),
        );
      return buf;
    case 3: // random byte run
      for (let i = at; i < Math.min(buf.length, at + 8); i++) buf[i] = Math.floor(r() * 256);
      return buf;
    case 4: // hostile varint (5 bytes of 0xff / a large zig-zag) inside the records
      for (let i = at; i < Math.min(buf.length, at + 5); i++) buf[i] = i === at + 4 ? 0x0f : 0xff;
      return buf;
    default: // duplicated slice
      return Buffer.concat([buf.subarray(0, at), buf.subarray(Math.floor(at / 2))]);
  }
}

function expectOnlyDecodeError(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}

const CODECS: CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const codec of CODECS) {
    out.push(
      encodeRecordBatch(
        Array.from({ length: 12 }, (_, i) => ({
          key: i % 3 ? Buffer.from(`key${i}`) : null,
          value: Buffer.from(`value-${i}-${'v'.repeat(i * 5)}`),
          headers: i % 2 ? [{ key: 'h', value: Buffer.from('x') }] : [],
          timestamp: 1_700_000_000_000n + BigInt(i * 1000),
        })),
        { compression: codec, producerId: 3n, producerEpoch: 1, baseSequence: 9 },
      ),
    );
  }
  for (const f of readdirSync(FIXTURES).filter((n) => n.endsWith('.hex') && !n.startsWith('legacy'))) {
    out.push(...iterateBatches(loadHex(f)));
  }
  return out;
}

describe('decoder fuzzing (bounded)', () => {
  it('decodeRecordBatch: mutated batches give records or DecodeError, with and without CRC checks', () => {
    const base = seeds();
    const r = rng(0x5eed);
    const start = performance.now();
    let runs = 0;
    let errors = 0;
    while (performance.now() - start < TIME_BUDGET_MS && runs < 20_000) {
      const input = mutate(base[runs % base.length]!, r);
      for (const verifyCrc of [false, true]) {
        try {
          decodeRecordBatch(input, { verifyCrc, maxDecompressedBytes: CAP });
        } catch (err) {
          if (!(err instanceof DecodeError)) throw new Error(`run ${runs}: ${String(err)}`, { cause: err });
          errors++;
        }
      }
      expectOnlyDecodeError(() => [...iterateBatches(input)]);
      runs++;
    }
    expect(runs).toBeGreaterThan(200);
    expect(errors).toBeGreaterThan(runs / 2); // the mutations do reach the error paths
  });

  it('decodeLegacyMessageSet: mutated legacy fixtures give records or DecodeError', () => {
    const base = readdirSync(FIXTURES)
      .filter((n) => n.startsWith('legacy'))
      .map(loadHex);
    const r = rng(0xbeef);
    const start = performance.now();
    let runs = 0;
    while (performance.now() - start < TIME_BUDGET_MS / 2 && runs < 20_000) {
      const input = mutate(base[runs % base.length]!, r);
      expectOnlyDecodeError(() =>
        decodeLegacyMessageSet(input, { verifyCrc: runs % 2 === 0, maxDecompressedBytes: CAP }),
      );
      expectOnlyDecodeError(() =>
        decodeLegacyMessageSet(input, { partialTail: 'error', maxDecompressedBytes: CAP }),
      );
      runs++;
    }
    expect(runs).toBeGreaterThan(200);
  });

  it('random bytes into every decoder and decompressor', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 4 }), (bytes, codecId) => {
        expectOnlyDecodeError(() => decodeRecordBatch(bytes, { verifyCrc: false }));
        expectOnlyDecodeError(() => decodeLegacyMessageSet(bytes, { verifyCrc: false }));
        expectOnlyDecodeError(() => [...iterateBatches(bytes)]);
        expectOnlyDecodeError(() => codecById(codecId).decompress(bytes, CAP));
        expectOnlyDecodeError(() =>
          forwardBatch(Buffer.from(bytes), {
            producer: { producerId: 1n, producerEpoch: 0, baseSequence: 0 },
          }),
        );
      }),
      { numRuns: 1500, seed: 42 },
    );
  });

  it('a header that claims 2^31-1 records in a small batch is refused before allocating', () => {
    const batch = Buffer.from(encodeRecordBatch([{ key: null, value: Buffer.from('x') }]));
    batch.writeInt32BE(0x7fffffff, 57);
    expect(() => decodeRecordBatch(batch, { verifyCrc: false })).toThrow(/record count/);
  });
});
