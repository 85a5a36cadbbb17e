import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FaultyFs,
  formatLeaderEpochCheckpoint,
  formatOffsetCheckpoint,
  LeaderEpochCache,
  logConfig,
  logConfigFromKafka,
  nodeFs,
  parseLeaderEpochCheckpoint,
  parseOffsetCheckpoint,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from '../../src/log/index.js';
import { tempDir } from './helpers.js';

describe('checkpoint files', () => {
  it('round-trips Kafka offset and leader-epoch checkpoint text', () => {
    const entries = [
      { topic: 'a.b_c-d', partition: 0, offset: 0n },
      { topic: 'x', partition: 12, offset: 9_007_199_254_740_993n },
    ];
    const text = formatOffsetCheckpoint(entries);
    expect(text).toBe('0\n2\na.b_c-d 0 0\nx 12 9007199254740993\n');
    expect(parseOffsetCheckpoint('c', text)).toEqual(entries);
    expect(parseLeaderEpochCheckpoint(formatLeaderEpochCheckpoint([{ epoch: 3, startOffset: 10n }]))).toEqual(
      [{ epoch: 3, startOffset: 10n }],
    );
  });

  for (const bad of [
    '1\n0\n',
    '0\n2\nt 0 1\n',
    '0\n1\nt 0\n',
    '0\n1\nt x 1\n',
    '0\n1\nt 0 1.5\n',
    '',
    '0\n-1\n',
  ]) {
    it(`rejects malformed text ${JSON.stringify(bad)} with KT_LOG_CHECKPOINT`, () => {
      expect(() => parseOffsetCheckpoint('c', bad)).toThrow(
        expect.objectContaining({ code: 'KT_LOG_CHECKPOINT' }),
      );
    });
  }

  it('writes atomically: a failed rename leaves the previous checkpoint intact', () => {
    const { dir, cleanup } = tempDir();
    writeOffsetCheckpoint(nodeFs, dir, 'cp', [{ topic: 't', partition: 0, offset: 5n }]);
    const fs = new FaultyFs(nodeFs);
    fs.inject('rename', 'EIO');
    expect(() => writeOffsetCheckpoint(fs, dir, 'cp', [{ topic: 't', partition: 0, offset: 9n }])).toThrow();
    expect(readOffsetCheckpoint(nodeFs, dir, 'cp')).toEqual([{ topic: 't', partition: 0, offset: 5n }]);
    fs.inject('fdatasync', 'EIO');
    expect(() => writeOffsetCheckpoint(fs, dir, 'cp', [{ topic: 't', partition: 0, offset: 9n }])).toThrow();
    expect(readFileSync(`${dir}/cp`, 'utf8')).toBe('0\n1\nt 0 5\n');
    cleanup();
  });

  it('leader-epoch cache: assign, end offsets, truncation from both ends, persisted', () => {
    const { dir, cleanup } = tempDir();
    const cache = LeaderEpochCache.load(nodeFs, dir);
    cache.assign(1, 0n);
    cache.assign(1, 5n); // same epoch: no new entry
    cache.assign(3, 10n);
    cache.assign(2, 12n); // older epoch: ignored
    cache.assign(4, 20n);
    expect(cache.endOffsetFor(1, 30n)).toEqual({ epoch: 1, endOffset: 10n });
    expect(cache.endOffsetFor(2, 30n)).toEqual({ epoch: 1, endOffset: 10n });
    expect(cache.endOffsetFor(4, 30n)).toEqual({ epoch: 4, endOffset: 30n });
    cache.truncateFromEnd(20n);
    cache.truncateFromStart(12n);
    expect(readFileSync(`${dir}/leader-epoch-checkpoint`, 'utf8')).toBe('0\n1\n3 12\n');
    expect(LeaderEpochCache.load(nodeFs, dir).all).toEqual([{ epoch: 3, startOffset: 12n }]);
    writeFileSync(`${dir}/leader-epoch-checkpoint`, '0\n1\n-3 12\n');
    expect(() => LeaderEpochCache.load(nodeFs, dir)).toThrow(
      expect.objectContaining({ code: 'KT_LOG_CHECKPOINT' }),
    );
    cleanup();
  });
});

describe('LogConfig', () => {
  it("has Kafka's defaults and maps Kafka's names", () => {
    const defaults = logConfig();
    expect(defaults.segmentBytesMax).toBe(1024 ** 3);
    expect(defaults.maxBatchBytes).toBe(1_048_588);
    expect(defaults.indexIntervalBytes).toBe(4096);
    expect(defaults.retentionMs).toBe(7 * 24 * 3600 * 1000);
    const config = logConfigFromKafka({
      'segment.bytes': '1000',
      'flush.messages': '1',
      'flush.ms': '9223372036854775807',
      'cleanup.policy': 'delete, compact',
    });
    expect(config.segmentBytesMax).toBe(1000);
    expect(config.flushMessagesInterval).toBe(1);
    expect(config.flushIntervalMs).toBe(Number.POSITIVE_INFINITY);
    expect(config.cleanupPolicy).toBe('compact,delete');
    expect(() => logConfigFromKafka({ 'segment.bytes': 'ten' })).toThrow(
      expect.objectContaining({ code: 'KT_LOG_CONFIG' }),
    );
    expect(() => logConfigFromKafka({ 'no.such': '1' })).toThrow(
      expect.objectContaining({ code: 'KT_LOG_CONFIG' }),
    );
    expect(() => logConfig({ segmentBytesMax: 0 })).toThrow(
      expect.objectContaining({ code: 'KT_LOG_CONFIG' }),
    );
  });
});
