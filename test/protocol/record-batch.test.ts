import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBatchCrcValid, readBatchHeader, rewriteBatchCrc } from '../../src/protocol/batch-header.js';
import { crc32cJs } from '../../src/protocol/crc32c.js';
import { DecodeError } from '../../src/protocol/decode-error.js';
import {
  decodeControlRecord,
  decodeRecordBatch,
  encodeControlBatch,
  encodeRecordBatch,
  forwardBatch,
  forwardBatchInfo,
  iterateBatches,
  type RecordInput,
} from '../../src/protocol/record-batch.js';

// Decoded keys/values are views of the encoded Buffer, so expected values are Buffers too.
const bytes = (s: string) => Buffer.from(s);

describe('RecordBatch v2 uncompressed', () => {
  it('round-trips keys, values, headers, null vs empty and timestamps', () => {
    const records: RecordInput[] = [
      { key: bytes('k1'), value: bytes('v1'), timestamp: 1_700_000_000_000n },
      { key: null, value: null, timestamp: 1_700_000_000_005n },
      { key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: 1_699_999_999_000n },
      {
        key: bytes('k4'),
        value: bytes('v'.repeat(300)),
        headers: [
          { key: 'trace', value: bytes('abc') },
          { key: 'nul', value: null },
          { key: 'ünï', value: Buffer.alloc(0) },
        ],
      },
    ];
    const batch = encodeRecordBatch(records, { baseOffset: 42n, partitionLeaderEpoch: 7 });
    expect(isBatchCrcValid(batch)).toBe(true);
    const h = readBatchHeader(batch);
    expect(h.crc).toBe(crc32cJs(batch.subarray(21)));
    expect(h.baseTimestamp).toBe(1_700_000_000_000n);
    expect(h.maxTimestamp).toBe(1_700_000_000_005n);
    expect(h.lastOffsetDelta).toBe(3);
    expect(h.producerId).toBe(-1n);
    const d = decodeRecordBatch(batch);
    expect(d.header.baseOffset).toBe(42n);
    expect(d.header.partitionLeaderEpoch).toBe(7);
    expect(d.records.map((r) => r.offset)).toEqual([42n, 43n, 44n, 45n]);
    expect(d.records.map((r) => r.timestamp)).toEqual([
      1_700_000_000_000n,
      1_700_000_000_005n,
      1_699_999_999_000n,
      1_700_000_000_000n,
    ]);
    expect(d.records[0]!.key).toEqual(bytes('k1'));
    expect(d.records[1]!.key).toBeNull();
    expect(d.records[1]!.value).toBeNull();
    expect(d.records[2]!.key).toEqual(Buffer.alloc(0));
    expect(d.records[2]!.value).toEqual(Buffer.alloc(0));
    expect(d.records[3]!.headers).toEqual([
      { key: 'trace', value: bytes('abc') },
      { key: 'nul', value: null },
      { key: 'ünï', value: Buffer.alloc(0) },
    ]);
  });

  it('LogAppendTime batches give every record the batch maxTimestamp; attributes follow the options', () => {
    const batch = encodeRecordBatch(
      [
        { key: null, value: bytes('a'), timestamp: 5n },
        { key: null, value: bytes('b'), timestamp: 9n },
      ],
      {
        timestampType: 'log-append',
        producerId: 4n,
        producerEpoch: 2,
        baseSequence: 17,
        transactional: true,
      },
    );
    const d = decodeRecordBatch(batch);
    expect(d.header.attributes).toBe(0x08 | 0x10);
    expect([d.header.producerId, d.header.producerEpoch, d.header.baseSequence]).toEqual([4n, 2, 17]);
    expect(d.records.map((r) => r.timestamp)).toEqual([9n, 9n]);
  });

  it('an empty batch encodes and decodes to no records', () => {
    const d = decodeRecordBatch(encodeRecordBatch([], { baseTimestamp: 1000n }));
    expect(d.records).toEqual([]);
    expect([d.header.recordCount, d.header.maxTimestamp]).toEqual([0, 1000n]);
    // As compaction leaves them: a codec attribute but no compressed blob at all.
    const bare = Buffer.from(encodeRecordBatch([], { baseTimestamp: 1000n }));
    bare.writeInt16BE(0x13, 21); // lz4, transactional
    rewriteBatchCrc(bare);
    expect(decodeRecordBatch(bare).records).toEqual([]);
  });

  it('decodes without a CRC check when asked, and rejects bad magic and hostile lengths', () => {
    const batch = encodeRecordBatch([{ key: bytes('k'), value: bytes('v') }]);
    const stale = Buffer.from(batch); // a copy (Buffer#slice would be a view)
    stale[17]! ^= 0xff; // only the stored CRC is wrong
    expect(() => decodeRecordBatch(stale)).toThrow(/CRC/);
    expect(decodeRecordBatch(stale, { verifyCrc: false }).records).toHaveLength(1);
    const magic1 = Buffer.from(batch); // a copy (Buffer#slice would be a view)
    magic1[16] = 1;
    expect(() => decodeRecordBatch(magic1, { verifyCrc: false })).toThrow(/magic/);
    const huge = Buffer.from(batch); // a copy (Buffer#slice would be a view)
    new DataView(huge.buffer, huge.byteOffset).setInt32(8, 0x7ffffff0);
    expect(() => decodeRecordBatch(huge, { verifyCrc: false })).toThrow(DecodeError);
    const negative = Buffer.from(batch); // a copy (Buffer#slice would be a view)
    new DataView(negative.buffer, negative.byteOffset).setInt32(8, -5);
    expect(() => decodeRecordBatch(negative, { verifyCrc: false })).toThrow(DecodeError);
    expect(() => [...iterateBatches(negative)]).toThrow(DecodeError);
  });

  it('control batches carry COMMIT/ABORT markers', () => {
    const b = encodeControlBatch({ type: 'commit', producerId: 9n, producerEpoch: 2, coordinatorEpoch: 5 });
    const d = decodeRecordBatch(b);
    expect(d.header.attributes & 0x30).toBe(0x30);
    expect(d.header.producerId).toBe(9n);
    expect(decodeControlRecord(d.records[0]!)).toEqual({ type: 'commit', version: 0, coordinatorEpoch: 5 });
    const a = decodeRecordBatch(
      encodeControlBatch({ type: 'abort', producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0 }),
    );
    expect(decodeControlRecord(a.records[0]!).type).toBe('abort');
  });

  it('iterateBatches splits and stops at a partial tail', () => {
    const a = encodeRecordBatch([{ key: null, value: bytes('a') }]);
    const b = encodeRecordBatch([{ key: null, value: bytes('bb') }], { baseOffset: 1n });
    const all = new Uint8Array(a.length + b.length + 20);
    all.set(a, 0);
    all.set(b, a.length);
    all.set(b.subarray(0, 20), a.length + b.length);
    const parts = [...iterateBatches(all)];
    expect(parts.map((p) => p.length)).toEqual([a.length, b.length]);
    expect(Buffer.from(decodeRecordBatch(parts[1]!).records[0]!.value!).toString()).toBe('bb');
  });

  it('rejects corruption with DecodeError', () => {
    const batch = encodeRecordBatch([{ key: bytes('k'), value: bytes('v') }]);
    const flipped = Buffer.from(batch); // a copy (Buffer#slice would be a view)
    flipped[batch.length - 1]! ^= 1;
    expect(() => decodeRecordBatch(flipped)).toThrow(DecodeError);
    expect(() => decodeRecordBatch(batch.subarray(0, batch.length - 1))).toThrow(DecodeError);
    expect(() => decodeRecordBatch(batch.subarray(0, 30))).toThrow(DecodeError);
  });
});

describe('forwardBatch', () => {
  const producer = { producerId: 77n, producerEpoch: 3, baseSequence: 10 };

  it('patches baseOffset and leader epoch without touching the CRC', () => {
    const batch = encodeRecordBatch([{ key: null, value: bytes('v') }], { compression: 'lz4' });
    const crcBefore = readBatchHeader(batch).crc;
    const info = forwardBatchInfo(batch, { baseOffset: 1234n, partitionLeaderEpoch: 9 });
    expect(info.crcRewritten).toBe(false);
    const h = readBatchHeader(batch);
    expect([h.baseOffset, h.partitionLeaderEpoch, h.crc]).toEqual([1234n, 9, crcBefore]);
    expect(decodeRecordBatch(batch).records[0]!.offset).toBe(1234n);
  });

  it('recomputes the CRC only when producer fields really change', () => {
    const batch = encodeRecordBatch([{ key: null, value: bytes('v') }], producer);
    expect(forwardBatchInfo(batch, { producer }).crcRewritten).toBe(false);
    const next = { producerId: 78n, producerEpoch: 0, baseSequence: 0 };
    expect(forwardBatch(batch, { producer: next })).toBe(batch);
    const h = readBatchHeader(batch);
    expect([h.producerId, h.producerEpoch, h.baseSequence]).toEqual([78n, 0, 0]);
    expect(isBatchCrcValid(batch)).toBe(true);
  });

  it('refuses to re-sign a corrupt batch, and rejects non-batches', () => {
    const batch = encodeRecordBatch([{ key: null, value: bytes('v') }]);
    batch[batch.length - 1]! ^= 0xff;
    expect(() => forwardBatch(batch, { producer })).toThrow(DecodeError);
    expect(isBatchCrcValid(batch)).toBe(false);
    expect(() => forwardBatch(batch.subarray(0, 40), {})).toThrow(DecodeError);
    const two = new Uint8Array(batch.length + 1);
    two.set(batch);
    expect(() => forwardBatch(two, {})).toThrow(DecodeError);
  });
});

describe('RecordBatch properties', () => {
  const header = fc.record({
    key: fc.string({ maxLength: 12 }),
    value: fc.option(fc.uint8Array({ maxLength: 20 })),
  });
  const record = fc.record(
    {
      key: fc.option(fc.uint8Array({ maxLength: 40 })),
      value: fc.option(fc.uint8Array({ maxLength: 300 })),
      headers: fc.array(header, { maxLength: 3 }),
      timestamp: fc.bigInt({ min: 0n, max: 1n << 45n }),
    },
    { requiredKeys: ['key', 'value'] },
  );
  const codec = fc.constantFrom('none', 'gzip', 'snappy', 'lz4', 'zstd' as const);

  it('any records round-trip through any codec with any header fields', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 30 }),
        codec,
        fc.bigInt({ min: 0n, max: (1n << 62n) - 1000n }),
        fc.boolean(),
        (records, compression, baseOffset, transactional) => {
          const batch = encodeRecordBatch(records, {
            compression,
            baseOffset,
            transactional,
            producerId: 5n,
          });
          expect(isBatchCrcValid(batch)).toBe(true);
          const d = decodeRecordBatch(batch);
          expect(d.header.recordCount).toBe(records.length);
          expect(d.header.lastOffsetDelta).toBe(Math.max(0, records.length - 1));
          expect((d.header.attributes & 0x10) !== 0).toBe(transactional);
          const norm = (u: Uint8Array | null | undefined) =>
            u == null ? null : Buffer.from(u).toString('hex');
          d.records.forEach((r, i) => {
            const want = records[i]!;
            expect(r.offset).toBe(baseOffset + BigInt(i));
            expect(r.timestamp).toBe(want.timestamp ?? d.header.baseTimestamp);
            expect(norm(r.key)).toBe(norm(want.key));
            expect(norm(r.value)).toBe(norm(want.value));
            expect(r.headers.map((h) => [h.key, norm(h.value)])).toEqual(
              (want.headers ?? []).map((h) => [h.key, norm(h.value)]),
            );
          });
          if (records.length > 0) {
            // Records without a timestamp take the batch's base timestamp.
            const base = d.header.baseTimestamp;
            let max = -1n; // bigint: no Math.max
            for (const r of records) {
              const ts = r.timestamp ?? base;
              if (ts > max) max = ts;
            }
            expect(d.header.maxTimestamp).toBe(max);
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
