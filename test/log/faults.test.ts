import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaultyFs, Log, LogError, nodeFs } from '../../src/log/index.js';
import { batchOf, tempDir } from './helpers.js';
import { readAll, show } from './model.js';

function setup(config: Parameters<typeof Log.open>[0]['config'] = {}) {
  const { dir, cleanup } = tempDir();
  const fs = new FaultyFs(nodeFs);
  const log = Log.open({ dir: `${dir}/t-0`, fs, config: { flushMessagesInterval: 1, ...config } });
  return { dir: `${dir}/t-0`, fs, log, cleanup };
}

describe('fault injection through the FS layer', () => {
  for (const [op, kind] of [
    ['write', 'ENOSPC'],
    ['write', 'EIO'],
    ['write', 'torn'],
    ['fdatasync', 'EIO'],
  ] as const) {
    it(`${kind} during ${op}: the append fails loudly, nothing of it is visible, the log works once the fault clears`, () => {
      const { dir, fs, log, cleanup } = setup();
      log.append(batchOf([['a', '1']]));
      log.append(batchOf([['b', '2']]));
      fs.inject(op, kind, { pathSuffix: '.log' });
      let caught: unknown;
      try {
        log.append(batchOf([['c', 'lost']]));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(LogError);
      expect((caught as LogError).code).toBe('KT_LOG_IO');
      expect(fs.fired).toBe(1);
      expect(log.logEndOffset).toBe(2n);
      expect(show(readAll(log))).toEqual(['0:a=1', '1:b=2']);
      // The file holds exactly the acknowledged batches (the torn/unsynced bytes were cut).
      expect(readFileSync(`${dir}/00000000000000000000.log`).length).toBe(log.activeSegment.sizeBytes);
      expect(log.append(batchOf([['c', '3']])).baseOffset).toBe(2n);
      expect(show(readAll(log))).toEqual(['0:a=1', '1:b=2', '2:c=3']);
      log.close();
      const reopened = Log.open({ dir });
      expect(show(readAll(reopened))).toEqual(['0:a=1', '1:b=2', '2:c=3']);
      reopened.close();
      cleanup();
    });
  }

  it('short writes are completed, not lost', () => {
    const { fs, log, cleanup } = setup();
    fs.inject('write', 'short', { pathSuffix: '.log' });
    fs.inject('write', 'short', { pathSuffix: '.log' });
    log.append(batchOf([['a', 'x'.repeat(500)]]));
    expect(fs.fired).toBe(2);
    expect(readAll(log).map((r) => r.value?.length)).toEqual([500]);
    log.close();
    cleanup();
  });

  it('a failed write whose rollback also fails leaves the tail cut before the next append', () => {
    const { dir, fs, log, cleanup } = setup();
    log.append(batchOf([['a', '1']]));
    fs.inject('write', 'torn', { pathSuffix: '.log' });
    fs.inject('ftruncate', 'EIO', { pathSuffix: '.log' });
    expect(() => log.append(batchOf([['b', 'y'.repeat(200)]]))).toThrow(LogError);
    expect(readFileSync(`${dir}/00000000000000000000.log`).length).toBeGreaterThan(
      log.activeSegment.sizeBytes,
    );
    expect(show(readAll(log))).toEqual(['0:a=1']);
    expect(log.append(batchOf([['c', '2']])).baseOffset).toBe(1n);
    expect(readFileSync(`${dir}/00000000000000000000.log`).length).toBe(log.activeSegment.sizeBytes);
    log.close();
    const reopened = Log.open({ dir });
    expect(show(readAll(reopened))).toEqual(['0:a=1', '1:c=2']);
    reopened.close();
    cleanup();
  });

  it('a torn tail left by a crash is truncated on recovery; a bit flip is detected by the CRC', () => {
    const { dir, log, cleanup } = setup();
    for (let i = 0; i < 5; i++) log.append(batchOf([[`k${i}`, `v${i}`]]));
    log.close();
    const file = `${dir}/00000000000000000000.log`;
    const data = readFileSync(file);
    // Torn tail: a partial copy of the last batch appended again.
    const fs = new FaultyFs(nodeFs);
    const fd = fs.open(file, 'r+');
    fs.write(fd, data.subarray(0, 40), 0, 40, data.length);
    fs.close(fd);
    const recovered = Log.open({ dir });
    expect(recovered.recovery.truncatedBytes).toBe(40);
    expect(recovered.logEndOffset).toBe(5n);
    recovered.close();
    // Bit flip read during recovery: the scan sees a bad CRC and truncates from that batch.
    const flipping = new FaultyFs(nodeFs);
    flipping.inject('read', 'bitflip', { pathSuffix: '.log' });
    const flipped = Log.open({ dir, fs: flipping });
    expect(flipping.fired).toBe(1);
    expect(flipped.recovery.truncations.length).toBe(1);
    expect(flipped.logEndOffset).toBeLessThan(5n);
    flipped.close();
    cleanup();
  });

  it('a failed periodic flush is reported and the recovery point stops advancing', () => {
    const { fs, log, cleanup } = setup({ flushMessagesInterval: Number.POSITIVE_INFINITY });
    log.append(batchOf([['a', '1']]));
    log.flush();
    expect(log.recoveryPoint).toBe(1n);
    log.append(batchOf([['b', '2']]));
    fs.inject('fdatasync', 'EIO');
    expect(() => log.flush()).toThrow(expect.objectContaining({ code: 'KT_LOG_IO', osCode: 'EIO' }));
    log.append(batchOf([['c', '3']]));
    log.flush();
    expect(log.recoveryPoint).toBe(1n);
    expect(show(readAll(log))).toEqual(['0:a=1', '1:b=2', '2:c=3']);
    log.close();
    cleanup();
  });

  for (const [op, suffix] of [
    ['open', '.log'],
    ['write', '.index'],
    ['fdatasync', '.log'],
    ['fsync', 't-0'],
  ] as const) {
    it(`a fault in ${op} of ${suffix} while rolling fails that append only; the next one rolls`, () => {
      const { dir, fs, log, cleanup } = setup({
        segmentBytesMax: 300,
        indexIntervalBytes: 50,
        flushMessagesInterval: Number.POSITIVE_INFINITY,
      });
      let i = 0;
      while (log.segments.length === 1) log.append(batchOf([[`k${i}`, `value-${i++}`]]));
      const segmentsBefore = log.segments.length;
      // Fill the active segment until the next append must roll, then fail the roll.
      const active = log.activeSegment;
      while (active.sizeBytes + 80 <= 300) log.append(batchOf([[`k${i}`, `value-${i++}`]]));
      fs.inject(op, 'ENOSPC', { pathSuffix: suffix });
      const end = log.logEndOffset;
      expect(() => log.append(batchOf([[`k${i}`, `value-${i}`]]))).toThrow(
        expect.objectContaining({ code: 'KT_LOG_IO' }),
      );
      expect(fs.fired).toBe(1);
      expect(log.logEndOffset).toBe(end);
      expect(log.append(batchOf([[`k${i}`, `value-${i}`]])).baseOffset).toBe(end);
      expect(log.segments.length).toBe(segmentsBefore + 1);
      const expected = Array.from({ length: i + 1 }, (_, j) => `${j}:k${j}=value-${j}`);
      expect(show(readAll(log))).toEqual(expected);
      log.close();
      const reopened = Log.open({ dir });
      expect(show(readAll(reopened))).toEqual(expected);
      reopened.close();
      cleanup();
    });
  }
});
