// mirrorStatus over internal topics written by hand on an embedded broker: latest record per key wins,
// other aliases and other connectors are left out, records of another layout are counted and skipped,
// and renderStatus shows it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KtError } from '../../src/errors/kt-error.js';
import {
  checkpointsTopic,
  encodeCheckpointKey,
  encodeCheckpointValue,
  encodeHeartbeatKey,
  encodeHeartbeatValue,
  encodeProgressKey,
  encodeProgressValue,
  HEARTBEATS_TOPIC,
  progressTopic,
} from '../../src/mirror/formats.js';
import { appendRecords, ensureCompactedTopic } from '../../src/mirror/internal-topics.js';
import { mirrorStatus, renderStatus } from '../../src/mirror/status.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../support/embedded.js';

let broker: EmbeddedBroker;
let target: ClusterClient;
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  broker = await startEmbeddedBroker();
  target = new ClusterClient({ bootstrapServers: [broker.bootstrap] });
  await target.connect();
  for (const topic of [progressTopic('east'), checkpointsTopic('east'), HEARTBEATS_TOPIC]) {
    await ensureCompactedTopic(target, topic);
  }
  const b = (text: string) => Buffer.from(text);
  await appendRecords(target, progressTopic('east'), [
    {
      key: encodeProgressKey('east', 'orders', 0),
      value: encodeProgressValue(9n),
      timestamp: BigInt(T0 - 9_000),
    },
    {
      key: encodeProgressKey('east', 'orders', 1),
      value: encodeProgressValue(4n),
      timestamp: BigInt(T0 - 8_000),
    },
    // A later position of orders-0 replaces the first.
    {
      key: encodeProgressKey('east', 'orders', 0),
      value: encodeProgressValue(19n),
      timestamp: BigInt(T0 - 2_000),
    },
    // Another alias's progress and another connector's record are not this mirror's.
    { key: encodeProgressKey('north', 'orders', 0), value: encodeProgressValue(99n), timestamp: BigInt(T0) },
    { key: b('["other",{"cluster":"east","partition":0,"topic":"x"}]'), value: b('{"offset":1}') },
    // Not JSON: counted and skipped.
    { key: b('garbage'), value: b('{') },
  ]);
  await appendRecords(target, checkpointsTopic('east'), [
    {
      key: encodeCheckpointKey('billing', 'east.orders', 0),
      value: encodeCheckpointValue(5n, 5n),
      timestamp: BigInt(T0 - 20_000),
    },
    {
      key: encodeCheckpointKey('billing', 'east.orders', 0),
      value: encodeCheckpointValue(15n, 15n),
      timestamp: BigInt(T0 - 5_000),
    },
    { key: b('short'), value: b('x'), timestamp: BigInt(T0) },
    // A tombstone is neither a checkpoint nor an undecodable record.
    { key: encodeCheckpointKey('gone', 'east.orders', 0), value: null, timestamp: BigInt(T0) },
  ]);
  await appendRecords(target, HEARTBEATS_TOPIC, [
    { key: encodeHeartbeatKey('east', 'west'), value: encodeHeartbeatValue(BigInt(T0 - 3_000)) },
    { key: encodeHeartbeatKey('east', 'west'), value: encodeHeartbeatValue(BigInt(T0 - 1_000)) },
    { key: encodeHeartbeatKey('east', 'backup'), value: encodeHeartbeatValue(BigInt(T0 - 60_000)) },
    { key: encodeHeartbeatKey('north', 'west'), value: encodeHeartbeatValue(BigInt(T0)) },
  ]);
});

afterAll(async () => {
  await target?.close();
  await broker?.close();
});

describe('mirrorStatus', () => {
  it('reads positions, checkpoints and heartbeats of one source alias, the latest per key', async () => {
    const status = await mirrorStatus({ target, sourceAlias: 'east', nowMs: T0 });
    expect(status.source).toEqual({ checked: false, reachable: null, error: null });
    expect(status.partitions).toEqual([
      {
        topic: 'orders',
        partition: 0,
        position: 20n,
        progressAtMs: T0 - 2_000,
        progressAgeSeconds: 2,
        sourceEnd: null,
        lagRecords: null,
      },
      {
        topic: 'orders',
        partition: 1,
        position: 5n,
        progressAtMs: T0 - 8_000,
        progressAgeSeconds: 8,
        sourceEnd: null,
        lagRecords: null,
      },
    ]);
    expect(status.checkpoints).toEqual([
      {
        group: 'billing',
        topic: 'east.orders',
        partition: 0,
        upstreamOffset: 15n,
        downstreamOffset: 15n,
        atMs: T0 - 5_000,
        ageSeconds: 5,
      },
    ]);
    expect(status.heartbeats).toEqual([
      { sourceAlias: 'east', targetAlias: 'backup', timestampMs: T0 - 60_000, ageSeconds: 60 },
      { sourceAlias: 'east', targetAlias: 'west', timestampMs: T0 - 1_000, ageSeconds: 1 },
    ]);
    expect(status.totals).toEqual({
      partitions: 2,
      lagRecords: null,
      progressAgeSecondsMax: 8,
      newestHeartbeatAgeSeconds: 1,
      checkpoints: 1,
      skippedRecords: 2,
    });
  });

  it('renders the text form', async () => {
    const text = renderStatus(await mirrorStatus({ target, sourceAlias: 'east', nowMs: T0 }));
    expect(text).toBe(
      [
        'Mirror from east: 2 partitions, source not checked (pass --source for lag); newest heartbeat 1.0s ago; 1 checkpoints; 2 undecodable records skipped',
        '',
        'TOPIC   PARTITION  POSITION  SOURCE END  LAG  PROGRESS AGE',
        'orders          0        20           -    -          2.0s',
        'orders          1         5           -    -          8.0s',
        '',
        'GROUP    TOPIC        PARTITION  UPSTREAM  DOWNSTREAM   AGE',
        'billing  east.orders          0        15          15  5.0s',
        '',
        'SOURCE  TARGET  TIMESTAMP                   AGE',
        'east    backup  2023-11-14T22:12:20.000Z  1m00s',
        'east    west    2023-11-14T22:13:19.000Z   1.0s',
        '',
      ].join('\n'),
    );
  });

  it('lag against a source: its end offsets minus the positions', async () => {
    // The embedded broker doubles as the source: a topic `orders` with 25 and 5 records.
    const { createTopics } = await import('../../src/ops/topics/create.js');
    await createTopics(target, { names: ['orders'], partitions: 2 });
    const value = (i: number) => ({ key: null, value: Buffer.from(String(i)) });
    const { producePartition } = await import('./helpers.js');
    await producePartition(
      target,
      'orders',
      0,
      Array.from({ length: 25 }, (_, i) => value(i)),
    );
    await producePartition(
      target,
      'orders',
      1,
      Array.from({ length: 5 }, (_, i) => value(i)),
    );
    const status = await mirrorStatus({ target, sourceAlias: 'east', source: target, nowMs: T0 });
    expect(status.source).toEqual({ checked: true, reachable: true, error: null });
    expect(status.partitions.map((p) => [p.sourceEnd, p.lagRecords])).toEqual([
      [25n, 5n],
      [5n, 0n],
    ]);
    expect(status.totals.lagRecords).toBe(5n);
  });

  it('an unreachable source is reported, not thrown', async () => {
    const nowhere = new ClusterClient({ bootstrapServers: ['127.0.0.1:1'], connectTimeoutMs: 2_000 });
    const status = await mirrorStatus({ target, sourceAlias: 'east', source: nowhere, nowMs: T0 });
    expect(status.source.reachable).toBe(false);
    expect(status.source.error).toMatch(/127\.0\.0\.1:1/);
    expect(status.totals.lagRecords).toBeNull();
    expect(renderStatus(status)).toMatch(/^Mirror from east: 2 partitions, source unreachable: /);
  });

  it('a source alias that never ran is KT_NOT_FOUND', async () => {
    await expect(mirrorStatus({ target, sourceAlias: 'south' })).rejects.toSatisfy(
      (e) =>
        e instanceof KtError &&
        e.code === 'KT_NOT_FOUND' &&
        /kt-mirror-offsets\.south\.internal/.test(e.message),
    );
  });
});
