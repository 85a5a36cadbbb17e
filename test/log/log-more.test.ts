import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Log } from '../../src/log/index.js';
import { batchOf, tempDir } from './helpers.js';
import { readAll, show } from './model.js';

describe('Log: indexes, flush policy, truncation', () => {
  it('rebuilds a corrupt or missing index (Kafka testRecoveryFixesCorruptIndex) and lookups stay right', () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({ dir: `${dir}/t-0`, config: { indexIntervalBytes: 64, segmentBytesMax: 2000 } });
    for (let i = 0; i < 40; i++) log.append(batchOf([[`k${i}`, `v${i}`]], { timestamp: BigInt(1000 + i) }));
    expect(log.segments[0]!.offsetIndex.size).toBeGreaterThan(3);
    log.close();
    const index = `${dir}/t-0/00000000000000000000.index`;
    const bytes = readFileSync(index);
    bytes.writeInt32BE(1_000_000, 12); // a position past the end of the log
    writeFileSync(index, bytes);
    unlinkSync(`${dir}/t-0/00000000000000000000.timeindex`);
    const reopened = Log.open({
      dir: `${dir}/t-0`,
      cleanShutdown: true,
      config: { indexIntervalBytes: 64, segmentBytesMax: 2000 },
    });
    for (const offset of [0n, 5n, 17n, 39n]) {
      const { records } = reopened.read(offset, 1);
      expect(new DataView(records.buffer, records.byteOffset).getBigInt64(0)).toBe(offset);
    }
    expect(reopened.offsetForTimestamp(1017n)?.offset).toBe(17n);
    reopened.close();
    expect(readFileSync(index).readInt32BE(12)).not.toBe(1_000_000);
    cleanup();
  });

  it('flush.messages and flush.ms advance the recovery point only when due', () => {
    const { dir, cleanup } = tempDir();
    const byCount = Log.open({ dir: `${dir}/a-0`, config: { flushMessagesInterval: 3 } });
    byCount.append(batchOf([['a', '1']]));
    byCount.append(batchOf([['b', '1']]));
    expect(byCount.recoveryPoint).toBe(0n);
    byCount.append(batchOf([['c', '1']]));
    expect(byCount.recoveryPoint).toBe(3n);
    byCount.close();
    let now = 0;
    const byTime = Log.open({ dir: `${dir}/b-0`, config: { flushIntervalMs: 100 }, nowMs: () => now });
    byTime.append(batchOf([['a', '1']]));
    now = 50;
    byTime.maybeFlush();
    expect(byTime.recoveryPoint).toBe(0n);
    now = 100;
    byTime.maybeFlush();
    expect(byTime.recoveryPoint).toBe(1n);
    byTime.close();
    cleanup();
  });

  it('truncateTo drops offsets at and after the point, across segments, and the log continues there', () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({ dir: `${dir}/t-0`, config: { segmentBytesMax: 300 } });
    for (let i = 0; i < 20; i++) log.append(batchOf([[`k${i}`, `v${i}`]]), { leaderEpoch: i < 10 ? 1 : 2 });
    expect(log.truncateTo(7n)).toBe(7n);
    expect(log.logEndOffset).toBe(7n);
    expect(log.epochs.all).toEqual([{ epoch: 1, startOffset: 0n }]);
    expect(readAll(log).map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    expect(log.append(batchOf([['n', 'new']]), { leaderEpoch: 3 }).baseOffset).toBe(7n);
    log.close();
    const reopened = Log.open({ dir: `${dir}/t-0` });
    expect(show(readAll(reopened)).slice(-2)).toEqual(['6:k6=v6', '7:n=new']);
    reopened.close();
    cleanup();
  });

  it('LogAppendTime stamps the batch and keeps it valid', () => {
    const { dir, cleanup } = tempDir();
    const log = Log.open({
      dir: `${dir}/t-0`,
      config: { messageTimestampType: 'LogAppendTime' },
      nowMs: () => 5555,
    });
    const result = log.append(batchOf([['a', '1']], { timestamp: 1n }));
    expect(result.logAppendTimeMs).toBe(5555n);
    expect(readAll(log)[0]!.timestampMs).toBe(5555);
    log.close();
    expect(Log.open({ dir: `${dir}/t-0` }).recovery.truncatedBytes).toBe(0);
    cleanup();
  });
});
