import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogConfig } from '../../src/log/index.js';
import { applyRetention, Log } from '../../src/log/index.js';
import { batchOf, tempDir } from './helpers.js';
import { readAll } from './model.js';

const T0 = 1_700_000_000_000;

/** 30 one-record batches with timestamps T0 + 1000*i, small segments; HW = log end. */
function filledLog(
  dir: string,
  config: Partial<LogConfig>,
  now: () => number,
): { log: Log; segmentRanges: [bigint, bigint][] } {
  const log = Log.open({
    dir,
    config: { segmentBytesMax: 300, fileDeleteDelayMs: 0, ...config },
    nowMs: now,
  });
  for (let i = 0; i < 30; i++)
    log.append(batchOf([[`k${i}`, `value-${i}`]], { timestamp: BigInt(T0 + 1000 * i) }));
  log.setHighWatermark(log.logEndOffset);
  return { log, segmentRanges: log.segments.map((s) => [s.baseOffset, s.nextOffset]) };
}

const offsetsFrom = (start: bigint, end: bigint): bigint[] => {
  const out: bigint[] = [];
  for (let o = start; o < end; o++) out.push(o);
  return out;
};

describe('retention', () => {
  it('time: deletes exactly the non-active segments whose newest record is older than retention.ms', async () => {
    const { dir, cleanup } = tempDir();
    const now = T0 + 1000 * 29 + 10_000;
    const retentionMs = 20_000;
    const { log, segmentRanges } = filledLog(`${dir}/t-0`, { retentionMs }, () => now);
    expect(segmentRanges.length).toBeGreaterThan(4);
    // Model: record i has timestamp T0 + 1000 i; a segment goes when its last record is expired.
    const expired = (offset: bigint) => now - (T0 + 1000 * Number(offset)) > retentionMs;
    const doomed = segmentRanges.slice(0, -1).filter(([, next]) => expired(next - 1n));
    const survivorStart = doomed.length === 0 ? 0n : doomed[doomed.length - 1]![1];
    const report = applyRetention(log);
    await report.filesRemoved;
    expect(report.deletedBaseOffsets).toEqual(doomed.map(([b]) => b));
    expect(doomed.length).toBeGreaterThan(0);
    expect(log.logStartOffset).toBe(survivorStart);
    expect(readAll(log).map((r) => r.offset)).toEqual(offsetsFrom(survivorStart, 30n));
    for (const [base] of doomed)
      expect(existsSync(`${dir}/t-0/${base.toString().padStart(20, '0')}.log`)).toBe(false);
    expect(readdirSync(`${dir}/t-0`).some((n) => n.endsWith('.deleted'))).toBe(false);
    expect(() => log.read(0n, 100)).toThrow(expect.objectContaining({ code: 'KT_LOG_OFFSET_OUT_OF_RANGE' }));
    log.close();
    cleanup();
  });

  it('size: drops oldest segments while the log stays at or above retention.bytes', async () => {
    const { dir, cleanup } = tempDir();
    const { log, segmentRanges } = filledLog(
      `${dir}/t-0`,
      { retentionMs: -1, retentionBytes: 700 },
      () => T0,
    );
    const sizes = log.segments.map((s) => s.sizeBytes);
    let excess = sizes.reduce((a, b) => a + b, 0) - 700;
    let deleted = 0;
    for (const size of sizes.slice(0, -1)) {
      if (excess < size) break;
      excess -= size;
      deleted += 1;
    }
    expect(deleted).toBeGreaterThan(0);
    const report = applyRetention(log);
    await report.filesRemoved;
    expect(report.deletedBaseOffsets).toEqual(segmentRanges.slice(0, deleted).map(([b]) => b));
    expect(log.sizeBytes).toBeGreaterThanOrEqual(700);
    expect(readAll(log).map((r) => r.offset)).toEqual(offsetsFrom(segmentRanges[deleted]![0], 30n));
    log.close();
    cleanup();
  });

  it('DeleteRecords moves the log start at once; whole segments below it are deleted next pass', async () => {
    const { dir, cleanup } = tempDir();
    const { log, segmentRanges } = filledLog(`${dir}/t-0`, { retentionMs: -1 }, () => T0);
    const cut = 13n;
    expect(log.deleteRecordsBefore(cut)).toBe(cut);
    expect(() => log.read(12n, 100)).toThrow(expect.objectContaining({ code: 'KT_LOG_OFFSET_OUT_OF_RANGE' }));
    expect(readAll(log).map((r) => r.offset)).toEqual(offsetsFrom(cut, 30n));
    const below = segmentRanges.filter(([, next]) => next <= cut).map(([b]) => b);
    const report = applyRetention(log);
    await report.filesRemoved;
    expect(report.deletedBaseOffsets).toEqual(below);
    expect(log.logStartOffset).toBe(cut);
    expect(readAll(log).map((r) => r.offset)).toEqual(offsetsFrom(cut, 30n));
    expect(() => log.deleteRecordsBefore(31n)).toThrow(
      expect.objectContaining({ code: 'KT_LOG_OFFSET_OUT_OF_RANGE' }),
    );
    log.close();
    const reopened = Log.open({ dir: `${dir}/t-0`, logStartOffset: cut, cleanShutdown: true });
    expect(readAll(reopened).map((r) => r.offset)).toEqual(offsetsFrom(cut, 30n));
    reopened.close();
    cleanup();
  });

  it('never deletes above the high watermark or with cleanup.policy=compact', () => {
    const { dir, cleanup } = tempDir();
    const { log } = filledLog(`${dir}/t-0`, { retentionMs: 1 }, () => T0 + 10_000_000);
    log.setHighWatermark(0n);
    expect(applyRetention(log).deletedBaseOffsets).toEqual([]);
    log.close();
    const compacted = filledLog(
      `${dir}/t-1`,
      { retentionMs: 1, cleanupPolicy: 'compact' },
      () => T0 + 10_000_000,
    );
    expect(applyRetention(compacted.log).deletedBaseOffsets).toEqual([]);
    compacted.log.close();
    cleanup();
  });

  it('an expired active segment is rolled and deleted; the log continues at its end', async () => {
    const { dir, cleanup } = tempDir();
    const { log } = filledLog(`${dir}/t-0`, { retentionMs: 1000 }, () => T0 + 10_000_000);
    const report = applyRetention(log);
    await report.filesRemoved;
    expect(log.logStartOffset).toBe(30n);
    expect(log.segments.length).toBe(1);
    expect(log.read(30n, 100).records.length).toBe(0);
    expect(log.append(batchOf([['n', 'new']], { timestamp: BigInt(T0 + 10_000_000) })).baseOffset).toBe(30n);
    expect(readAll(log).map((r) => r.offset)).toEqual([30n]);
    log.close();
    cleanup();
  });
});
