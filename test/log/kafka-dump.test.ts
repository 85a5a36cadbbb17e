/**
 * Kafka reads our files: Apache Kafka's own DumpLogSegments (4.1.1 jars) dumps segments written by Log
 * with --deep-iteration --print-data-log and checks their indexes with --verify-index-only. Skipped with
 * one line when Java or the jars are unavailable, unless KT_REQUIRE_REAL_KAFKA=1.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Log } from '../../src/log/index.js';
import type { CompressionCodec } from '../../src/protocol/record-batch.js';
import { encodeRecordBatch } from '../../src/protocol/record-batch.js';
import { realKafkaUnavailableReason, runKafkaTool } from '../real-kafka/harness.js';
import { bytes, tempDir } from './helpers.js';
import { writeCompactedLog } from './kafka-dump-fixtures.js';

let unavailable: string | undefined;
let root: { dir: string; cleanup: () => void };

beforeAll(async () => {
  unavailable = await realKafkaUnavailableReason();
  if (unavailable !== undefined) {
    if (process.env.KT_REQUIRE_REAL_KAFKA === '1') throw new Error(`KT_REQUIRE_REAL_KAFKA=1: ${unavailable}`);
    console.log(`[kt-test] log DumpLogSegments tests skipped: ${unavailable}`);
  }
  root = tempDir('kt-log-dump-');
});
afterAll(() => root.cleanup());

interface DumpedRecord {
  offset: bigint;
  key: string;
  payload: string;
  headerKeys: string;
}

/** Parses `| offset: N CreateTime: T keySize: … headerKeys: [..] key: K payload: V` lines. */
function parseDump(stdout: string): { records: DumpedRecord[]; batches: string[] } {
  const records: DumpedRecord[] = [];
  const batches: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('baseOffset:')) batches.push(line);
    // A tombstone (valueSize: -1) is printed without a payload field.
    const m = /^\| offset: (\d+) .* headerKeys: (\[[^\]]*\]) key: (.*?)(?: payload: (.*))?$/.exec(line);
    if (m !== null)
      records.push({ offset: BigInt(m[1]!), headerKeys: m[2]!, key: m[3]!, payload: m[4] ?? '' });
  }
  return { records, batches };
}

async function dumpAll(dir: string): Promise<{ records: DumpedRecord[]; batches: string[]; output: string }> {
  const logs = readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort();
  const files = logs.map((n) => `${dir}/${n}`).join(',');
  const dump = await runKafkaTool('DumpLogSegments', [
    '--files',
    files,
    '--deep-iteration',
    '--print-data-log',
  ]);
  expect(dump.code, dump.stderr).toBe(0);
  const indexes = readdirSync(dir)
    .filter((n) => n.endsWith('.index') || n.endsWith('.timeindex'))
    .map((n) => `${dir}/${n}`)
    .join(',');
  const verify = await runKafkaTool('DumpLogSegments', ['--files', indexes, '--verify-index-only']);
  expect(verify.code, verify.stderr).toBe(0);
  const output = `${dump.stdout}\n${dump.stderr}\n${verify.stdout}\n${verify.stderr}`;
  return { ...parseDump(dump.stdout), output };
}

function expectNoErrors(output: string): void {
  for (const bad of ['Mismatches', 'not found', 'Exception', 'isvalid: false', 'Error', 'corrupt']) {
    expect(output, `DumpLogSegments output contains "${bad}"`).not.toContain(bad);
  }
}

describe('DumpLogSegments reads Log segments', () => {
  it('uncompressed and compressed batches with headers, several segments, sparse indexes', async (ctx) => {
    if (unavailable !== undefined) return ctx.skip();
    const dir = `${root.dir}/dump-0`;
    const log = Log.open({ dir, config: { segmentBytesMax: 1500, indexIntervalBytes: 150 } });
    const codecs: CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
    const expected: DumpedRecord[] = [];
    let offset = 0n;
    for (let i = 0; i < 40; i++) {
      const records = [0, 1, 2].map((j) => ({
        key: bytes(`key-${i}-${j}`),
        value: bytes(`value-${i}-${j}`),
        headers: [
          { key: 'trace', value: bytes(`t${i}`) },
          { key: 'h2', value: null },
        ],
        timestamp: BigInt(1_700_000_000_000 + i * 10 + j),
      }));
      log.append(encodeRecordBatch(records, { compression: codecs[i % codecs.length]! }), { leaderEpoch: 4 });
      for (const r of records) {
        expected.push({
          offset,
          key: new TextDecoder().decode(r.key),
          payload: new TextDecoder().decode(r.value),
          headerKeys: '[trace,h2]',
        });
        offset += 1n;
      }
    }
    log.close();
    expect(log.segments.length).toBeGreaterThan(3);
    const { records, batches, output } = await dumpAll(dir);
    expectNoErrors(output);
    expect(batches.length).toBe(40);
    expect(batches.every((b) => b.includes('partitionLeaderEpoch: 4'))).toBe(true);
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      expect(batches.some((b) => b.includes(`compresscodec: ${codec}`))).toBe(true);
    }
    expect(records).toEqual(expected);
  });

  it('a compacted log: superseded keys gone, offsets kept, tombstones shown', async (ctx) => {
    if (unavailable !== undefined) return ctx.skip();
    const dir = `${root.dir}/compacted-0`;
    const expected = await writeCompactedLog(dir);
    const { records, batches, output } = await dumpAll(dir);
    expectNoErrors(output);
    expect(batches.some((b) => b.includes('deleteHorizonMs: OptionalLong['))).toBe(true);
    expect(batches.some((b) => /^baseOffset: 0 lastOffset: 1 count: 0 .*producerId: 42 /.test(b))).toBe(true);
    expect(expected.some((r) => r.value === null)).toBe(true);
    expect(records.map((r) => `${r.offset}:${r.key}=${r.payload}`)).toEqual(
      expected.map((r) => `${r.offset}:${r.key}=${r.value ?? ''}`),
    );
  });
});
