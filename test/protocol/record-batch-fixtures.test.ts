// Batches written by real peers (kcat/librdkafka, Apache Kafka's Java producer and broker), stored as
// annotated hex under fixtures/protocol/record-batch/ with their provenance in each file's header.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBatchCrcValid } from '../../src/protocol/batch-header.js';
import { crc32cJs } from '../../src/protocol/crc32c.js';
import { decodeLegacyMessageSet } from '../../src/protocol/legacy-message-set.js';
import {
  type CompressionCodec,
  type DecodedRecord,
  decodeControlRecord,
  decodeRecordBatch,
  encodeRecordBatch,
  iterateBatches,
} from '../../src/protocol/record-batch.js';

const DIR = join(import.meta.dirname, '../../fixtures/protocol/record-batch');
const CODECS: CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Annotated hex: '#' starts a comment; everything else is hex digits and whitespace. */
function loadHex(name: string): Buffer {
  const text = readFileSync(join(DIR, name), 'utf8');
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  expect(digits).toMatch(/^([0-9a-f]{2})+$/);
  return Buffer.from(digits, 'hex');
}

const str = (u: Uint8Array | null) =>
  u === null ? null : Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString();
const view = (r: DecodedRecord) => ({
  key: str(r.key),
  value: str(r.value),
  headers: r.headers.map((h) => [h.key, str(h.value)]),
});

function decodeAll(bytes: Buffer) {
  const batches = [...iterateBatches(bytes)];
  expect(batches.reduce((n, b) => n + b.length, 0)).toBe(bytes.length);
  return batches.map((b) => {
    // Our CRC check agrees with the stored CRC, by the native path and by the JS oracle.
    expect(isBatchCrcValid(b)).toBe(true);
    expect(crc32cJs(b.subarray(21))).toBe(new DataView(b.buffer, b.byteOffset).getUint32(17));
    return { bytes: b, ...decodeRecordBatch(b) };
  });
}

describe('record batches from real peers', () => {
  it('every fixture file is used by this test', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.hex'));
    const expected = [
      ...CODECS.flatMap((c) => [`kcat-${c}.hex`, `java-console-producer-${c}.hex`]),
      'java-transactional-commit.hex',
      ...[0, 1].flatMap((m) => ['none', 'gzip', 'snappy', 'lz4'].map((c) => `legacy-v${m}-${c}.hex`)),
      'legacy-v1-gzip-log-append-time.hex',
    ];
    expect(files.sort()).toEqual(expected.sort());
  });

  it.each(CODECS)('kcat (librdkafka 2.0.2) %s batch decodes to what kcat was given', (codec) => {
    const [batch, ...rest] = decodeAll(loadHex(`kcat-${codec}.hex`));
    expect(rest).toEqual([]);
    expect(batch!.header.attributes & 7).toBe(CODECS.indexOf(codec));
    expect(batch!.header.producerId).toBe(-1n);
    const headers = [
      ['trace', 'abc'],
      ['empty', ''],
    ];
    expect(batch!.records.map(view)).toEqual([
      { key: 'k1', value: `hello ${codec}`, headers },
      { key: 'k2', value: 'second value', headers },
      { key: '', value: 'no key', headers },
    ]);
    expect(batch!.records.map((r) => r.offset)).toEqual([0n, 1n, 2n]);
  });

  it.each(CODECS)('Java ConsoleProducer (4.1.1) %s batch decodes to what it was given', (codec) => {
    const [batch, ...rest] = decodeAll(loadHex(`java-console-producer-${codec}.hex`));
    expect(rest).toEqual([]);
    const h = batch!.header;
    expect(h.attributes & 7).toBe(CODECS.indexOf(codec));
    // Java producers are idempotent by default: a producer id and sequence 0.
    expect(h.producerId >= 0n).toBe(true);
    expect(h.baseSequence).toBe(0);
    expect(batch!.records.map(view)).toEqual([
      {
        key: 'k1',
        value: `hello ${codec}`,
        headers: [
          ['trace', 'abc'],
          ['empty', ''],
        ],
      },
      { key: 'k2', value: 'second value', headers: [['trace', 'xyz']] },
    ]);
    expect(batch!.records[1]!.timestamp).toBe(h.maxTimestamp);
    expect(batch!.records[0]!.timestamp).toBe(h.baseTimestamp);
  });

  it.each(CODECS)(
    're-encoding the Java %s batch with our codec gives the same records (and bytes when uncompressed)',
    (codec) => {
      for (const file of [`java-console-producer-${codec}.hex`, `kcat-${codec}.hex`]) {
        const [batch] = decodeAll(loadHex(file));
        const h = batch!.header;
        const again = encodeRecordBatch(
          batch!.records.map((r) => ({
            key: r.key,
            value: r.value,
            headers: r.headers,
            timestamp: r.timestamp,
          })),
          {
            baseOffset: h.baseOffset,
            partitionLeaderEpoch: h.partitionLeaderEpoch,
            baseTimestamp: h.baseTimestamp,
            compression: codec,
            producerId: h.producerId,
            producerEpoch: h.producerEpoch,
            baseSequence: h.baseSequence,
          },
        );
        if (codec === 'none') expect(Buffer.from(again).equals(batch!.bytes)).toBe(true);
        const d = decodeRecordBatch(again);
        expect(d.records.map(view)).toEqual(batch!.records.map(view));
        expect({ ...d.header, crc: 0, batchLength: 0 }).toEqual({ ...h, crc: 0, batchLength: 0 });
      }
    },
  );

  it('Java transactional producer: data batches and the broker-written COMMIT control batches', () => {
    const batches = decodeAll(loadHex('java-transactional-commit.hex'));
    expect(batches.map((b) => b.header.attributes)).toEqual([0x10, 0x30, 0x10, 0x30]);
    expect(batches.map((b) => b.header.recordCount)).toEqual([2, 1, 1, 1]);
    for (const b of batches.filter((x) => x.header.attributes & 0x20)) {
      expect(b.header.baseSequence).toBe(-1);
      expect(decodeControlRecord(b.records[0]!)).toEqual({ type: 'commit', version: 0, coordinatorEpoch: 0 });
    }
    for (const b of batches.filter((x) => !(x.header.attributes & 0x20))) {
      for (const r of b.records) expect(str(r.value)).toMatch(/^[A-Z]{16}$/);
    }
    expect(batches.flatMap((b) => b.records.map((r) => r.offset))).toEqual([0n, 1n, 2n, 3n, 4n]);
  });
});

describe('legacy message sets written by Kafka 4.1.1 Java record code', () => {
  it.each([0, 1].flatMap((m) => ['none', 'gzip', 'snappy', 'lz4'].map((c) => [m, c] as const)))(
    'magic %i %s decodes offsets, keys, values and timestamps',
    (magic, codec) => {
      const records = decodeLegacyMessageSet(loadHex(`legacy-v${magic}-${codec}.hex`));
      expect(records.map(view)).toEqual([
        { key: 'k1', value: 'hello legacy', headers: [] },
        { key: null, value: 'second', headers: [] },
        { key: 'k3', value: null, headers: [] },
      ]);
      expect(records.map((r) => r.offset)).toEqual([100n, 101n, 102n]);
      expect(records.map((r) => r.timestamp)).toEqual(
        magic === 0 ? [-1n, -1n, -1n] : [1_700_000_000_000n, 1_700_000_000_005n, 1_700_000_000_009n],
      );
      expect(records.every((r) => r.magic === magic)).toBe(true);
    },
  );

  it('a LogAppendTime wrapper gives every inner record the wrapper timestamp', () => {
    const bytes = loadHex('legacy-v1-gzip-log-append-time.hex');
    const wrapperTimestamp = new DataView(bytes.buffer, bytes.byteOffset).getBigInt64(18);
    const records = decodeLegacyMessageSet(bytes);
    expect(records.map((r) => [r.offset, r.timestamp, r.timestampType])).toEqual(
      [100n, 101n, 102n].map((o) => [o, wrapperTimestamp, 'log-append']),
    );
    expect(wrapperTimestamp).not.toBe(1_700_000_000_009n);
    expect(records.map(view).map((r) => r.value)).toEqual(['hello legacy', 'second', null]);
  });

  it('a legacy message with one flipped bit fails its CRC-32', () => {
    const bytes = loadHex('legacy-v1-gzip.hex');
    bytes[bytes.length - 3]! ^= 0x10;
    expect(() => decodeLegacyMessageSet(bytes)).toThrow(/CRC/);
  });
});
