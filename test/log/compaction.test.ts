import { describe, expect, it } from 'vitest';
import { compactLog, Log } from '../../src/log/index.js';
import { readBatchHeader } from '../../src/protocol/batch-header.js';
import { encodeControlBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { batchOf, compactAll, tempDir } from './helpers.js';
import type { ModelRecord } from './model.js';
import { readAll, show } from './model.js';

const T0 = 1_700_000_000_000;
const DELETE_RETENTION_MS = 60_000;

/** Deterministic pseudo-random numbers (mulberry32), so a failure is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The model: records at or past `activeBase` stay; before it only the latest per key (of that range). */
function expectedAfterCompaction(
  all: readonly ModelRecord[],
  activeBase: bigint,
  dropTombstones: boolean,
): ModelRecord[] {
  const latest = new Map<string, bigint>();
  for (const r of all) if (r.offset < activeBase && r.key !== null) latest.set(r.key, r.offset);
  return all.filter((r) => {
    if (r.offset >= activeBase || r.key === null) return true;
    if (latest.get(r.key) !== r.offset) return false;
    return !(dropTombstones && r.value === null);
  });
}

describe('compaction', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the latest record per key, tombstones for delete.retention.ms (seed ${seed})`, async () => {
      const { dir, cleanup } = tempDir();
      let now = T0 + 10_000;
      const log = Log.open({
        dir: `${dir}/t-0`,
        config: { cleanupPolicy: 'compact', segmentBytesMax: 700, deleteRetentionMs: DELETE_RETENTION_MS },
        nowMs: () => now,
      });
      const random = rng(seed);
      const appended: ModelRecord[] = [];
      for (let i = 0; i < 120; i++) {
        const n = 1 + Math.floor(random() * 3);
        const values: [string | null, string | null][] = [];
        for (let j = 0; j < n; j++) {
          const key = random() < 0.05 ? null : `k${Math.floor(random() * 12)}`;
          const value = key !== null && random() < 0.15 ? null : `v${i}.${j}`;
          values.push([key, value]);
        }
        const compression = (['none', 'none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)[
          Math.floor(random() * 6)
        ]!;
        const result = log.append(batchOf(values, { timestamp: BigInt(T0 + i), compression }));
        values.forEach(([key, value], j) => {
          appended.push({ offset: result.baseOffset + BigInt(j), key, value, timestampMs: T0 + i });
        });
      }
      expect(log.segments.length).toBeGreaterThan(4);
      const activeBase = log.activeSegment.baseOffset;
      const endBefore = log.logEndOffset;
      const first = await compactAll(log, { force: true });
      expect(first.removedRecords).toBeGreaterThan(0);
      expect(show(readAll(log))).toEqual(show(expectedAfterCompaction(appended, activeBase, false)));
      expect(log.logEndOffset).toBe(endBefore);

      // Still within delete.retention.ms: tombstones stay.
      now += DELETE_RETENTION_MS - 1000;
      await compactAll(log, { force: true });
      expect(show(readAll(log))).toEqual(show(expectedAfterCompaction(appended, activeBase, false)));

      // Past the horizon: tombstones go; the result survives a reopen (indexes rebuilt, files swapped).
      now += 2000;
      const second = await compactAll(log, { force: true });
      const expected = show(expectedAfterCompaction(appended, activeBase, true));
      expect(second.removedTombstones).toBe(
        appended.filter(
          (r) =>
            r.offset < activeBase &&
            r.value === null &&
            expectedAfterCompaction(appended, activeBase, false).includes(r),
        ).length,
      );
      expect(show(readAll(log))).toEqual(expected);
      log.close();
      const reopened = Log.open({ dir: `${dir}/t-0` });
      expect(show(readAll(reopened))).toEqual(expected);
      reopened.close();
      cleanup();
    });
  }

  it('drops aborted transactional records, keeps committed ones and markers, leaves the active segment', async () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({
      dir: `${dir}/t-0`,
      config: { cleanupPolicy: 'compact', segmentBytesMax: 400 },
      nowMs: () => T0 + 1000,
    });
    const txn = (pid: bigint, pairs: [string, string][]) =>
      batchOf(pairs, {
        producerId: pid,
        producerEpoch: 0,
        baseSequence: 0,
        transactional: true,
        timestamp: BigInt(T0),
      });
    log.append(batchOf([['a', 'plain-1']], { timestamp: BigInt(T0) })); // 0
    log.append(
      txn(7n, [
        ['a', 'aborted-a'],
        ['b', 'aborted-b'],
      ]),
    ); // 1, 2
    log.append(
      encodeControlBatch({
        type: 'abort',
        producerId: 7n,
        producerEpoch: 0,
        coordinatorEpoch: 1,
        timestamp: BigInt(T0),
      }),
    ); // 3
    log.append(txn(8n, [['c', 'committed-c']])); // 4
    log.append(
      encodeControlBatch({
        type: 'commit',
        producerId: 8n,
        producerEpoch: 0,
        coordinatorEpoch: 1,
        timestamp: BigInt(T0),
      }),
    ); // 5
    log.append(batchOf([['c', 'plain-c']], { timestamp: BigInt(T0) })); // 6
    for (let i = 0; i < 8; i++) log.append(batchOf([[`z${i}`, 'filler']], { timestamp: BigInt(T0) }));
    const activeBase = log.activeSegment.baseOffset;
    expect(activeBase).toBeGreaterThan(7n);
    await compactAll(log, { force: true });
    const after = show(readAll(log));
    expect(after.slice(0, 2)).toEqual(['0:a=plain-1', '6:c=plain-c']);
    expect(after.some((r) => r.includes('aborted'))).toBe(false);
    // Both markers are still there (a control batch is kept until it is safe to drop).
    const { records } = log.read(3n, 1 << 20);
    expect(records.length).toBeGreaterThan(0);
    log.close();
    cleanup();
  });

  it('does not clean beyond the last stable offset or into the active segment', async () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({
      dir: `${dir}/t-0`,
      config: { cleanupPolicy: 'compact', segmentBytesMax: 300 },
      nowMs: () => T0 + 1000,
    });
    for (let i = 0; i < 20; i++) log.append(batchOf([['same', `v${i}`]], { timestamp: BigInt(T0) }));
    const before = readAll(log);
    const report = await compactAll(log, { force: true, lastStableOffset: 0n });
    expect(report.skipped).toBe('no cleanable segments');
    expect(readAll(log)).toEqual(before);
    await compactAll(log, { force: true });
    const after = readAll(log);
    const activeBase = log.activeSegment.baseOffset;
    expect(after.filter((r) => r.offset >= activeBase)).toEqual(before.filter((r) => r.offset >= activeBase));
    expect(after.filter((r) => r.offset < activeBase).length).toBe(1);
    log.close();
    cleanup();
  });
});

describe('compaction in the background', () => {
  it('appends and reads keep running between compaction slices, and the result matches the model', async () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({
      dir: `${dir}/t-0`,
      config: { cleanupPolicy: 'compact', segmentBytesMax: 2000 },
      nowMs: () => T0 + 1000,
    });
    const appended: ModelRecord[] = [];
    const add = (i: number) => {
      const key = `k${i % 9}`;
      const result = log.append(batchOf([[key, `v${i}`]], { timestamp: BigInt(T0) }));
      appended.push({ offset: result.baseOffset, key, value: `v${i}`, timestampMs: T0 });
    };
    for (let i = 0; i < 300; i++) add(i);
    const activeBase = log.activeSegment.baseOffset;
    log.setHighWatermark(log.logEndOffset);
    let finished = false;
    const compaction = compactLog(log, { force: true, sliceBytes: 256 }).then((r) => {
      finished = true;
      return r;
    });
    let interleaved = 0;
    for (let i = 300; !finished; i++) {
      add(i);
      expect(log.read(log.logStartOffset, 100).records.length).toBeGreaterThan(0);
      interleaved += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const report = await compaction;
    expect(report.cleanedSegments).toBeGreaterThan(3);
    expect(interleaved).toBeGreaterThan(10);
    expect(show(readAll(log))).toEqual(show(expectedAfterCompaction(appended, activeBase, false)));
    log.close();
    cleanup();
  });
});

describe('compaction keeps producer state', () => {
  it("keeps a producer's last batch as an empty, uncompressed batch with its offsets", async () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({
      dir: `${dir}/t-0`,
      config: { cleanupPolicy: 'compact', segmentBytesMax: 300 },
      nowMs: () => T0 + 1000,
    });
    const idempotent = batchOf(
      [
        ['a', 'old-a'],
        ['b', 'old-b'],
      ],
      { producerId: 5n, producerEpoch: 1, baseSequence: 7, compression: 'gzip', timestamp: BigInt(T0) },
    );
    log.append(idempotent); // offsets 0, 1
    log.append(
      batchOf(
        [
          ['a', 'new-a'],
          ['b', 'new-b'],
        ],
        { timestamp: BigInt(T0) },
      ),
    ); // 2, 3
    for (let i = 0; i < 6; i++) log.append(batchOf([[`z${i}`, 'filler']], { timestamp: BigInt(T0) }));
    expect(log.activeSegment.baseOffset).toBeGreaterThan(3n);
    await compactAll(log, { force: true });
    const { records } = log.read(0n, 1 << 20);
    const first = [...iterateBatches(records)][0]!;
    const header = readBatchHeader(first);
    expect([header.baseOffset, header.lastOffsetDelta, header.recordCount]).toEqual([0n, 1, 0]);
    expect([header.producerId, header.producerEpoch, header.baseSequence]).toEqual([5n, 1, 7]);
    expect(header.attributes & 0x07).toBe(0);
    expect(show(readAll(log)).slice(0, 2)).toEqual(['2:a=new-a', '3:b=new-b']);
    log.close();
    cleanup();
  });
});
