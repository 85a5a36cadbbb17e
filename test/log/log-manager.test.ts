import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogManager, parseOffsetCheckpoint } from '../../src/log/index.js';
import { batchOf, tempDir } from './helpers.js';
import { readAll } from './model.js';

describe('LogManager: Kafka log-dir checkpoints and the clean-shutdown marker', () => {
  it('writes the checkpoints and marker on close, and a clean start skips the rescan', () => {
    const { dir, cleanup } = tempDir();
    const manager = LogManager.open({ logDir: dir, configFor: () => ({ segmentBytesMax: 400 }) });
    const a = manager.getOrCreateLog('orders', 0);
    const b = manager.getOrCreateLog('orders', 1);
    for (let i = 0; i < 12; i++) a.append(batchOf([[`k${i}`, `v${i}`]]));
    b.append(batchOf([['x', 'y']]));
    a.setHighWatermark(10n);
    b.setHighWatermark(1n);
    a.deleteRecordsBefore(3n);
    manager.close();
    expect(existsSync(`${dir}/.kafka_cleanshutdown`)).toBe(true);
    const recovery = parseOffsetCheckpoint(
      'r',
      readFileSync(`${dir}/recovery-point-offset-checkpoint`, 'utf8'),
    );
    expect(recovery).toEqual([
      { topic: 'orders', partition: 0, offset: 12n },
      { topic: 'orders', partition: 1, offset: 1n },
    ]);
    expect(readFileSync(`${dir}/replication-offset-checkpoint`, 'utf8')).toBe(
      '0\n2\norders 0 10\norders 1 1\n',
    );
    expect(readFileSync(`${dir}/log-start-offset-checkpoint`, 'utf8')).toBe('0\n2\norders 0 3\norders 1 0\n');

    const again = LogManager.open({ logDir: dir, configFor: () => ({ segmentBytesMax: 400 }) });
    expect(again.hadCleanShutdown).toBe(true);
    expect(existsSync(`${dir}/.kafka_cleanshutdown`)).toBe(false);
    const reopened = again.getLog('orders', 0)!;
    expect(reopened.recovery.rescannedSegments).toBe(0);
    expect(reopened.logStartOffset).toBe(3n);
    expect(reopened.highWatermark).toBe(10n);
    expect(readAll(reopened).map((r) => r.offset)).toEqual([3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n]);
    again.close();
    cleanup();
  });

  it('after a crash only segments from the recovery point on are rescanned, and corruption there is cut', () => {
    const { dir, cleanup } = tempDir();
    const config = () => ({ segmentBytesMax: 400 });
    const manager = LogManager.open({ logDir: dir, configFor: config });
    const log = manager.getOrCreateLog('t', 0);
    for (let i = 0; i < 30; i++) log.append(batchOf([[`k${i}`, `v${i}`]]));
    expect(log.segments.length).toBeGreaterThan(3);
    manager.checkpoint(); // recovery point = base of the active segment (rolls fsync)
    const activeBase = log.activeSegment.baseOffset;
    expect(log.recoveryPoint).toBe(activeBase);
    // "Crash": no close, no marker. Corrupt the last batch of the active segment.
    const file = `${dir}/t-0/${activeBase.toString().padStart(20, '0')}.log`;
    const data = readFileSync(file);
    data[data.length - 3] = data[data.length - 3]! ^ 0xff;
    writeFileSync(file, data);
    const after = LogManager.open({ logDir: dir, configFor: config });
    expect(after.hadCleanShutdown).toBe(false);
    const recovered = after.getLog('t', 0)!;
    expect(recovered.recovery.rescannedSegments).toBe(1);
    expect(recovered.logEndOffset).toBe(29n);
    expect(readAll(recovered).length).toBe(29);
    after.close();
    cleanup();
  });

  it('a background pass applies retention to delete topics and compacts compact topics', async () => {
    const { dir, cleanup } = tempDir();
    const T0 = 1_700_000_000_000;
    const manager = LogManager.open({
      logDir: dir,
      configFor: (topic) =>
        topic === 'events'
          ? { segmentBytesMax: 300, retentionMs: 60_000, fileDeleteDelayMs: 0 }
          : { segmentBytesMax: 300, cleanupPolicy: 'compact' },
    });
    const events = manager.getOrCreateLog('events', 0);
    const table = manager.getOrCreateLog('table', 0);
    for (let i = 0; i < 20; i++) {
      events.append(batchOf([[`e${i}`, `v${i}`]], { timestamp: BigInt(T0 + i * 10_000) }));
      table.append(batchOf([['same-key', `v${i}`]], { timestamp: BigInt(T0) }));
    }
    events.setHighWatermark(events.logEndOffset);
    table.setHighWatermark(table.logEndOffset);
    await manager.runBackgroundPass(T0 + 19 * 10_000 + 1);
    expect(events.logStartOffset).toBeGreaterThan(0n);
    // Record i (timestamp T0 + 10 s * i) is expired iff i <= 13: only those may be gone.
    expect(events.logStartOffset).toBeLessThanOrEqual(14n);
    const activeBase = table.activeSegment.baseOffset;
    expect(readAll(table).filter((r) => r.offset < activeBase).length).toBe(1);
    manager.close();
    cleanup();
  });
});
