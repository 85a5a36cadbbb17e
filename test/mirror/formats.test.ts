import { describe, expect, it } from 'vitest';
import {
  decodeOffsetSync,
  decodeProgress,
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
