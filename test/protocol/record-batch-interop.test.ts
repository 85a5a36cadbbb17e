// Our batches, in every codec, read by Apache Kafka 4.1.1's own reader: DumpLogSegments --deep-iteration
// over a segment file we wrote validates each batch's CRC, decompresses it and prints every record.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeControlBatch, encodeRecordBatch } from '../../src/protocol/record-batch.js';
import { runKafkaTool } from '../real-kafka/tools.js';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const PER_BATCH = 40;

describe('Apache Kafka reads our record batches', () => {
  let dir = '';
  let output = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-rb-interop-'));
    const partition = join(dir, 'interop-0');
    await mkdir(partition);
    const parts: Uint8Array[] = [];
    CODECS.forEach((codec, b) => {
      const records = Array.from({ length: PER_BATCH }, (_, i) => ({
        key: i % 5 === 0 ? null : Buffer.from(`k${i}`),
        value: Buffer.from(`${codec}-${i}:${'x'.repeat(i * 7)}`),
        headers: [{ key: 'hk', value: Buffer.from(String(i)) }],
        timestamp: 1_700_000_000_000n + BigInt(i),
      }));
      parts.push(encodeRecordBatch(records, { compression: codec, baseOffset: BigInt(b * PER_BATCH) }));
    });
    const txnOffset = BigInt(CODECS.length * PER_BATCH);
    parts.push(
      encodeRecordBatch([{ key: null, value: Buffer.from('in-txn') }], {
        baseOffset: txnOffset,
        transactional: true,
        producerId: 7n,
        producerEpoch: 1,
        baseSequence: 0,
      }),
      encodeControlBatch({
        type: 'abort',
        producerId: 7n,
        producerEpoch: 1,
        coordinatorEpoch: 4,
        baseOffset: txnOffset + 1n,
      }),
    );
    const file = join(partition, '00000000000000000000.log');
    await writeFile(file, Buffer.concat(parts));
    const result = await runKafkaTool(
      'DumpLogSegments',
      ['--files', file, '--deep-iteration', '--print-data-log'],
      {
        timeoutMs: 120_000,
      },
    );
    expect(result.code).toBe(0);
    output = result.stdout;
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every batch is valid (CRC-32C) with the right codec and offsets', () => {
    const batches = output.split('\n').filter((l) => l.startsWith('baseOffset:'));
    expect(batches).toHaveLength(CODECS.length + 2);
    CODECS.forEach((codec, b) => {
      const line = batches[b]!;
      expect(line).toContain(
        `baseOffset: ${b * PER_BATCH} lastOffset: ${b * PER_BATCH + PER_BATCH - 1} count: ${PER_BATCH}`,
      );
      expect(line).toContain(`compresscodec: ${codec}`);
      expect(line).toContain('isvalid: true');
    });
    expect(batches[CODECS.length]).toContain('producerId: 7 producerEpoch: 1');
    expect(batches[CODECS.length]).toContain('isTransactional: true isControl: false');
    expect(batches[CODECS.length + 1]).toContain('isTransactional: true isControl: true');
    expect(output).not.toMatch(/isvalid: false/);
  });

  it('every record decodes to what we encoded, including the ABORT marker', () => {
    const records = output.split('\n').filter((l) => l.startsWith('| offset:'));
    expect(records).toHaveLength(CODECS.length * PER_BATCH + 2);
    CODECS.forEach((codec, b) => {
      for (const i of [0, 1, PER_BATCH - 1]) {
        const line = records[b * PER_BATCH + i]!;
        expect(line).toContain(`| offset: ${b * PER_BATCH + i} CreateTime: ${1_700_000_000_000 + i}`);
        expect(line).toContain(`keySize: ${i % 5 === 0 ? -1 : String(i).length + 1}`);
        expect(line).toContain('headerKeys: [hk]');
        expect(line).toContain(`payload: ${codec}-${i}:${'x'.repeat(i * 7)}`);
      }
    });
    expect(records.at(-2)).toContain('payload: in-txn');
    expect(records.at(-1)).toContain('endTxnMarker: ABORT coordinatorEpoch: 4');
  });
});
