import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkpointsTopic,
  decodeCheckpoint,
  decodeHeartbeat,
  decodeOffsetSync,
  decodeProgress,
  encodeCheckpointKey,
  encodeCheckpointValue,
  encodeHeartbeatKey,
  encodeHeartbeatValue,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
  encodeProgressKey,
  encodeProgressValue,
  offsetSyncsTopic,
} from '../../src/mirror/formats.js';
import { TopicPolicy } from '../../src/mirror/policy.js';
import { DecodeError } from '../../src/protocol/decode-error.js';

describe('MM2 offset-sync format', () => {
  it('matches the reference bytes of mirror.md §4', () => {
    expect(Buffer.from(encodeOffsetSyncKey('orders', 3)).toString('hex')).toBe('00066f726465727300000003');
    expect(Buffer.from(encodeOffsetSyncValue(1000n, 900n)).toString('hex')).toBe(
      '00000000000003e80000000000000384',
    );
    expect(decodeOffsetSync(encodeOffsetSyncKey('orders', 3), encodeOffsetSyncValue(1000n, 900n))).toEqual({
      topic: 'orders',
      partition: 3,
      upstreamOffset: 1000n,
      downstreamOffset: 900n,
    });
    expect(offsetSyncsTopic('us-east')).toBe('mm2-offset-syncs.us-east.internal');
  });

  it('rejects truncated or oversized records with DecodeError', () => {
    const key = encodeOffsetSyncKey('t', 0);
    expect(() => decodeOffsetSync(key.subarray(0, 4), encodeOffsetSyncValue(1n, 1n))).toThrow(DecodeError);
    expect(() => decodeOffsetSync(key, new Uint8Array(15))).toThrow(DecodeError);
    expect(() => decodeOffsetSync(Buffer.from([0xff, 0xff, 0, 0, 0, 0]), new Uint8Array(16))).toThrow(
      DecodeError,
    );
    expect(() => decodeOffsetSync(null, null)).toThrow(DecodeError);
  });
});

describe('progress records', () => {
  it('round-trip offsets above 2^53 exactly', () => {
    const entry = decodeProgress(
      encodeProgressKey('src', 'orders', 2),
      encodeProgressValue(9007199254740993n),
    );
    expect(entry).toEqual({ cluster: 'src', topic: 'orders', partition: 2, offset: 9007199254740993n });
  });

  it('ignores other connectors and rejects garbage with DecodeError', () => {
    expect(
      decodeProgress(Buffer.from('["MirrorSourceConnector",{}]'), Buffer.from('{"offset":1}')),
    ).toBeNull();
    expect(() => decodeProgress(Buffer.from('{'), Buffer.from('{}'))).toThrow(DecodeError);
    expect(() => decodeProgress(encodeProgressKey('a', 't', 0), Buffer.from('{"offset":"x"}'))).toThrow(
      DecodeError,
    );
  });
});

describe('TopicPolicy', () => {
  it('excludes internal topics, applies lists, regexes, excludes, rename and the cycle guard', () => {
    const all = new TopicPolicy({ sourceAlias: 'a', targetAlias: 'b', rename: 'prefix' });
    for (const name of [
      '__consumer_offsets',
      'mm2-offset-syncs.b.internal',
      'x.internal',
      'kt-mirror-offsets.a.internal',
      'b.orders',
    ]) {
      expect(all.matches(name)).toBe(false);
    }
    expect(all.matches('orders')).toBe(true);
    expect(all.targetTopic('orders')).toBe('a.orders');
    const list = new TopicPolicy({ sourceAlias: 'a', targetAlias: 'b', rename: 'identity', topics: 'x,y' });
    expect(['x', 'y', 'z'].filter((n) => list.matches(n))).toEqual(['x', 'y']);
    expect(list.targetTopic('x')).toBe('x');
    const re = new TopicPolicy({
      sourceAlias: 'a',
      targetAlias: 'b',
      rename: 'prefix',
      topics: 'ord.*',
      exclude: 'orders-tmp',
    });
    expect(['orders', 'orders-tmp', 'payments'].filter((n) => re.matches(n))).toEqual(['orders']);
    expect(
      () => new TopicPolicy({ sourceAlias: 'a', targetAlias: 'b', rename: 'prefix', topics: '(' }),
    ).toThrow(/not a valid regex/);
  });
});

describe('MM2 checkpoint and heartbeat formats', () => {
  it('match the reference bytes of mirror.md §4', () => {
    const key = Buffer.from(encodeCheckpointKey('billing', 'us-west.orders', 3)).toString('hex');
    expect(key).toBe(
      `0007${Buffer.from('billing').toString('hex')}000e${Buffer.from('us-west.orders').toString('hex')}00000003`,
    );
    expect(Buffer.from(encodeCheckpointValue(1000n, 901n)).toString('hex')).toBe(
      '0000' + '00000000000003e8' + '0000000000000385' + '0000',
    );
    expect(
      decodeCheckpoint(
        encodeCheckpointKey('billing', 'us-west.orders', 3),
        encodeCheckpointValue(1000n, 901n, 'm'),
      ),
    ).toEqual({
      group: 'billing',
      topic: 'us-west.orders',
      partition: 3,
      upstreamOffset: 1000n,
      downstreamOffset: 901n,
      metadata: 'm',
    });
    expect(checkpointsTopic('us-west')).toBe('us-west.checkpoints.internal');
    expect(Buffer.from(encodeHeartbeatKey('us-west', 'us-east')).toString('hex')).toBe(
      `0007${Buffer.from('us-west').toString('hex')}0007${Buffer.from('us-east').toString('hex')}`,
    );
    expect(Buffer.from(encodeHeartbeatValue(1700000000000n)).toString('hex')).toBe(
      '0000' + '0000018bcfe56800',
    );
    expect(decodeHeartbeat(encodeHeartbeatKey('a', 'b'), encodeHeartbeatValue(5n))).toEqual({
      sourceClusterAlias: 'a',
      targetClusterAlias: 'b',
      timestampMs: 5n,
    });
  });

  it('rejects any truncation or garbage with DecodeError, never another error (fuzzed)', () => {
    const key = encodeCheckpointKey('g', 'topic', 1);
    const value = encodeCheckpointValue(5n, 6n, 'meta');
    for (let cut = 0; cut < key.length; cut++) {
      expect(() => decodeCheckpoint(key.subarray(0, cut), value)).toThrow(DecodeError);
    }
    for (let cut = 0; cut < value.length; cut++) {
      expect(() => decodeCheckpoint(key, value.subarray(0, cut))).toThrow(DecodeError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (k, v) => {
        for (const decode of [decodeCheckpoint, decodeHeartbeat]) {
          try {
            decode(k, v);
          } catch (error) {
            if (!(error instanceof DecodeError)) throw error;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
