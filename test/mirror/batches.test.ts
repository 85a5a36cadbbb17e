import { describe, expect, it } from 'vitest';
import { preparePartition } from '../../src/mirror/batches.js';
import { computeBatchCrc, isBatchCrcValid, readBatchHeader } from '../../src/protocol/batch-header.js';
import { DecodeError } from '../../src/protocol/decode-error.js';
import { decodeRecordBatch, encodeControlBatch, encodeRecordBatch } from '../../src/protocol/record-batch.js';

const rec = (i: number) => ({
  key: Buffer.from(`k${i}`),
  value: Buffer.from(`v${i}`),
  headers: [{ key: 'h', value: Buffer.from(`${i}`) }],
  timestamp: 1_700_000_000_000n + BigInt(i),
});

describe('preparePartition', () => {
  it('forwards contiguous batches byte for byte (compressed stays compressed) and maps offsets in one run', () => {
    const a = encodeRecordBatch([rec(0), rec(1), rec(2)], {
      baseOffset: 10n,
      compression: 'gzip',
      partitionLeaderEpoch: 7,
    });
    const b = encodeRecordBatch([rec(3)], { baseOffset: 13n });
    const out = preparePartition(Buffer.concat([a, b]), 10n, null);
    expect(out.runs).toEqual([
      { upstream: 10n, batch: 0, index: 0, length: 3 },
      { upstream: 13n, batch: 1, index: 0, length: 1 },
    ]);
    expect(out.nextOffset).toBe(14n);
    expect(out.stats).toMatchObject({ forwarded: 2, rebuilt: 0, crcRewritten: 0 });
    const h = readBatchHeader(out.batches[0]!);
    expect(h.attributes & 7).toBe(1);
    expect(h.baseOffset).toBe(0n);
    expect(h.partitionLeaderEpoch).toBe(-1);
    // Everything after the leader epoch (CRC-covered part and the CRC itself) is unchanged.
    expect(Buffer.from(out.batches[0]!.subarray(16))).toEqual(Buffer.from(a.subarray(16)));
  });

  it('skips control batches and starts a new run after the gap', () => {
    const a = encodeRecordBatch([rec(0), rec(1), rec(2)], {
      baseOffset: 0n,
      producerId: 5n,
      producerEpoch: 0,
      baseSequence: 0,
      transactional: true,
    });
    const marker = encodeControlBatch({
      type: 'commit',
      producerId: 5n,
      producerEpoch: 0,
      coordinatorEpoch: 0,
      baseOffset: 3n,
    });
    const b = encodeRecordBatch([rec(4), rec(5)], { baseOffset: 4n });
    const out = preparePartition(Buffer.concat([a, marker, b]), 0n, []);
    expect(out.runs).toEqual([
      { upstream: 0n, batch: 0, index: 0, length: 3 },
      { upstream: 4n, batch: 1, index: 0, length: 2 },
    ]);
    expect(out.stats).toMatchObject({ skippedControl: 1, forwarded: 2, crcRewritten: 1 });
    const h = readBatchHeader(out.batches[0]!);
    expect(h.producerId).toBe(-1n);
    expect(h.attributes & 0x10).toBe(0);
    expect(isBatchCrcValid(out.batches[0]!)).toBe(true);
  });

  it('drops aborted transactions under read_committed', () => {
    const a = encodeRecordBatch([rec(0), rec(1)], {
      baseOffset: 0n,
      producerId: 9n,
      producerEpoch: 0,
      baseSequence: 0,
      transactional: true,
    });
    const abort = encodeControlBatch({
      type: 'abort',
      producerId: 9n,
      producerEpoch: 0,
      coordinatorEpoch: 0,
      baseOffset: 2n,
    });
    const b = encodeRecordBatch([rec(3)], { baseOffset: 3n });
    const out = preparePartition(Buffer.concat([a, abort, b]), 0n, [{ producerId: 9n, firstOffset: 0n }]);
    expect(out.runs).toEqual([{ upstream: 3n, batch: 0, index: 0, length: 1 }]);
    expect(out.stats).toMatchObject({ skippedAborted: 1, skippedControl: 1, forwarded: 1 });
  });

  it('rebuilds a batch that starts before the resume position, keeping its codec and records', () => {
    const a = encodeRecordBatch([rec(0), rec(1), rec(2)], { baseOffset: 0n, compression: 'lz4' });
    const out = preparePartition(a, 1n, null);
    expect(out.stats.rebuilt).toBe(1);
    expect(out.runs).toEqual([{ upstream: 1n, batch: 0, index: 0, length: 2 }]);
    const decoded = decodeRecordBatch(out.batches[0]!);
    expect(decoded.header.attributes & 7).toBe(3);
    expect(
      decoded.records.map((r) => [Buffer.from(r.key!).toString(), r.timestamp, r.headers[0]?.key]),
    ).toEqual([
      ['k1', 1_700_000_000_001n, 'h'],
      ['k2', 1_700_000_000_002n, 'h'],
    ]);
  });

  it('rebuilds a compacted batch with offset gaps contiguously, one run per gap', () => {
    // A compacted batch: offsets 0, 2, 5 kept (deltas 0, 2, 5), lastOffsetDelta 5, 3 records.
    const full = encodeRecordBatch([0, 1, 2, 3, 4, 5].map(rec), { baseOffset: 0n });
    const decoded = decodeRecordBatch(full);
    const kept = decoded.records.filter((r) => [0n, 2n, 5n].includes(r.offset));
    const compacted = craftGappedBatch(
      kept.map((r) => ({ ...r, delta: Number(r.offset) })),
      5,
    );
    const out = preparePartition(compacted, 0n, null);
    expect(out.stats.rebuilt).toBe(1);
    expect(out.runs).toEqual([
      { upstream: 0n, batch: 0, index: 0, length: 1 },
      { upstream: 2n, batch: 0, index: 1, length: 1 },
      { upstream: 5n, batch: 0, index: 2, length: 1 },
    ]);
    expect(out.nextOffset).toBe(6n);
    expect(readBatchHeader(out.batches[0]!).lastOffsetDelta).toBe(2);
  });

  it('refuses to re-sign a corrupt batch', () => {
    const a = encodeRecordBatch([rec(0)], {
      baseOffset: 0n,
      producerId: 3n,
      producerEpoch: 0,
      baseSequence: 0,
    });
    a[a.length - 1]! ^= 0xff;
    expect(() => preparePartition(a, 0n, null)).toThrow(DecodeError);
  });
});

/** An uncompressed v2 batch whose records carry the given offset deltas (what log compaction leaves). */
function craftGappedBatch(
  records: { key: Uint8Array | null; value: Uint8Array | null; timestamp: bigint; delta: number }[],
  lastOffsetDelta: number,
): Uint8Array {
  // Encode each record alone to borrow the record encoding, then patch its offset delta varint (1 byte
  // for small deltas: zig-zag(d) = 2d) and splice the record bodies under one header.
  const bodies = records.map((r) => {
    const one = encodeRecordBatch([{ key: r.key, value: r.value, timestamp: r.timestamp }], {
      baseTimestamp: records[0]!.timestamp,
    });
    const body = Buffer.from(one.subarray(61));
    // body: length varint (1 byte here), attributes, timestampDelta varint (1 byte), offsetDelta varint.
    body[3] = r.delta * 2;
    return body;
  });
  const head = Buffer.from(
    encodeRecordBatch(
      records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })),
      { baseTimestamp: records[0]!.timestamp },
    ).subarray(0, 61),
  );
  const out = Buffer.concat([head, ...bodies]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt32BE(lastOffsetDelta, 23);
  out.writeInt32BE(records.length, 57);
  out.writeUInt32BE(0, 17);
  out.writeUInt32BE(computeBatchCrc(out), 17);
  return out;
}
