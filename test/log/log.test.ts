import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LogError } from '../../src/log/errors.js';
import { Log } from '../../src/log/index.js';
import { readBatchHeader } from '../../src/protocol/batch-header.js';
import { decodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { batchOf, tempDir, text } from './helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function partitionDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return `${t.dir}/topic-0`;
}

function allRecords(
  log: Log,
  from = log.logStartOffset,
): { offset: bigint; key: string | null; value: string | null }[] {
  const out: { offset: bigint; key: string | null; value: string | null }[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20);
    if (records.length === 0) break;
    for (const batch of iterateBatches(records)) {
      const decoded = decodeRecordBatch(batch);
      for (const r of decoded.records) {
        if (r.offset >= offset) out.push({ offset: r.offset, key: text(r.key), value: text(r.value) });
      }
      offset = decoded.header.baseOffset + BigInt(decoded.header.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

describe('Log append and read', () => {
  it('assigns contiguous offsets, patches the epoch and reads whole batches back', () => {
    const dir = partitionDir();
    const log = Log.open({ dir });
    const a = log.append(
      batchOf([
        ['a', '1'],
        ['b', '2'],
      ]),
      { leaderEpoch: 3 },
    );
    const b = log.append(batchOf([['c', '3']]), { leaderEpoch: 3 });
    expect([a.baseOffset, a.lastOffset, b.baseOffset, b.lastOffset]).toEqual([0n, 1n, 2n, 2n]);
    expect(log.logEndOffset).toBe(3n);
    const { records } = log.read(1n, 1 << 20);
    const batches = [...iterateBatches(records)];
    expect(batches.map((x) => readBatchHeader(x).baseOffset)).toEqual([0n, 2n]);
    expect(readBatchHeader(batches[0]!).partitionLeaderEpoch).toBe(3);
    expect(allRecords(log).map((r) => `${r.offset}:${r.key}=${r.value}`)).toEqual([
      '0:a=1',
      '1:b=2',
      '2:c=3',
    ]);
    expect(log.epochs.all).toEqual([{ epoch: 3, startOffset: 0n }]);
    log.close();
    expect(readFileSync(`${dir}/leader-epoch-checkpoint`, 'utf8')).toBe('0\n1\n3 0\n');
  });

  it('rejects a corrupt batch with a typed error and writes nothing', () => {
    const dir = partitionDir();
    const log = Log.open({ dir });
    log.append(batchOf([['a', '1']]));
    const bad = batchOf([['b', '2']]);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    expect(() => log.append(bad)).toThrow(expect.objectContaining({ code: 'KT_LOG_CORRUPT_BATCH' }));
    const truncated = batchOf([['b', '2']]).subarray(0, 40);
    expect(() => log.append(truncated)).toThrow(LogError);
    expect(log.logEndOffset).toBe(1n);
    expect(log.activeSegment.sizeBytes).toBe(readFileSync(`${dir}/00000000000000000000.log`).length);
    log.close();
  });

  it('enforces maxBatchBytes', () => {
    const log = Log.open({ dir: partitionDir(), config: { maxBatchBytes: 200 } });
    expect(() => log.append(batchOf([['k', 'x'.repeat(300)]]))).toThrow(
      expect.objectContaining({ code: 'KT_LOG_BATCH_TOO_LARGE' }),
    );
    expect(log.append(batchOf([['k', 'small']])).baseOffset).toBe(0n);
    log.close();
  });

  it('rolls by size, reads across segments, respects maxBytes and maxOffset', () => {
    const dir = partitionDir();
    const log = Log.open({ dir, config: { segmentBytesMax: 1000, indexIntervalBytes: 100 } });
    for (let i = 0; i < 40; i++) log.append(batchOf([[`k${i}`, `value-${i}-${'x'.repeat(60)}`]]));
    expect(log.segments.length).toBeGreaterThan(3);
    expect(allRecords(log).map((r) => r.offset)).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i)));
    for (const offset of [0n, 7n, 13n, 39n]) {
      const { records } = log.read(offset, 1);
      const [first] = [...iterateBatches(records)];
      expect(readBatchHeader(first!).baseOffset).toBe(offset);
    }
    expect(log.read(10n, 1 << 20, 10n).records.length).toBe(0);
    const scratch = new Uint8Array(4096);
    for (const offset of [0n, 9n, 33n]) {
      const viaScratch = log.read(offset, 500, log.logEndOffset, scratch).records;
      expect(viaScratch.buffer).toBe(scratch.buffer);
      expect(Buffer.from(viaScratch).equals(Buffer.from(log.read(offset, 500).records))).toBe(true);
    }
    expect(() => log.read(41n, 100)).toThrow(expect.objectContaining({ code: 'KT_LOG_OFFSET_OUT_OF_RANGE' }));
    log.close();
    const names = readdirSync(dir).filter((n) => n.endsWith('.log'));
    expect(names.length).toBe(log.segments.length);
    const reopened = Log.open({ dir, cleanShutdown: true });
    expect(reopened.logEndOffset).toBe(40n);
    expect(allRecords(reopened).length).toBe(40);
    reopened.close();
  });

  it('rolls by time using the first batch timestamp', () => {
    let now = 1_000_000;
    const log = Log.open({ dir: partitionDir(), config: { segmentMs: 1000 }, nowMs: () => now });
    log.append(batchOf([['a', '1']], { timestamp: BigInt(now) }));
    now += 500;
    log.append(batchOf([['b', '1']], { timestamp: BigInt(now) }));
    expect(log.segments.length).toBe(1);
    now += 600;
    log.append(batchOf([['c', '1']], { timestamp: BigInt(now) }));
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0n, 2n]);
    log.close();
  });

  it('follower appends keep offsets and must continue the log', () => {
    const log = Log.open({ dir: partitionDir() });
    const b = batchOf(
      [
        ['a', '1'],
        ['b', '2'],
      ],
      { baseOffset: 5n, partitionLeaderEpoch: 2 },
    );
    expect(log.append(b, { assignOffsets: false }).baseOffset).toBe(5n);
    expect(log.logEndOffset).toBe(7n);
    expect(() => log.append(batchOf([['c', '3']], { baseOffset: 6n }), { assignOffsets: false })).toThrow(
      LogError,
    );
    log.close();
  });

  it('recovers after an unclean stop and truncates garbage in the active segment', () => {
    const dir = partitionDir();
    const log = Log.open({ dir });
    for (let i = 0; i < 20; i++) log.append(batchOf([[`k${i}`, `v${i}`]]));
    log.flush();
    const file = `${dir}/00000000000000000000.log`;
    const data = readFileSync(file);
    // Garbage in the middle of batch 12: batches 0..11 must survive, nothing at or after it.
    let position = 0;
    for (let i = 0; i < 12; i++) position += data.readInt32BE(position + 8) + 12;
    data[position + 30] = data[position + 30]! ^ 0x5a;
    writeFileSync(file, data);
    const reopened = Log.open({ dir });
    expect(reopened.logEndOffset).toBe(12n);
    expect(reopened.recovery.truncatedBytes).toBe(data.length - position);
    expect(allRecords(reopened).map((r) => r.key)).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`));
    expect(reopened.append(batchOf([['n', 'new']])).baseOffset).toBe(12n);
    reopened.close();
  });

  it('finds offsets by timestamp? (batch level)', () => {
    const log = Log.open({ dir: partitionDir(), config: { indexIntervalBytes: 1 } });
    for (let i = 0; i < 10; i++) log.append(batchOf([[`k${i}`, 'v']], { timestamp: BigInt(1000 + i * 10) }));
    expect(log.offsetForTimestamp(1000n)?.offset).toBe(0n);
    expect(log.offsetForTimestamp(1041n)?.offset).toBe(5n);
    expect(log.offsetForTimestamp(1090n)?.offset).toBe(9n);
    expect(log.offsetForTimestamp(2000n)).toBeUndefined();
    log.close();
  });
});
