import { describe, expect, it } from 'vitest';
import { type CheckpointInfo, type MetricsView, MirrorMetrics } from '../../src/mirror/metrics.js';
import type { LivePartition } from '../../src/mirror/run.js';

type Listener = Parameters<MetricsView['onCopied']>[0];

function partition(topic: string, p: number, position: bigint, highWatermark: bigint): LivePartition {
  return {
    topic,
    partition: p,
    targetTopic: `east.${topic}`,
    position,
    highWatermark,
    recordsCopied: 0,
    bytesCopied: 0,
    newestCopiedTimestampMs: -1,
    lastCopiedAtMs: -1,
  };
}

/** A clock, a set of live partitions and a way to play acknowledged produces into the collector. */
function rig(
  options: { rateWindowMs?: number; latencySamplesMax?: number; checkpoints?: CheckpointInfo[] } = {},
) {
  let nowMs = 1_700_000_000_000;
  const partitions: LivePartition[] = [];
  const listeners: Listener[] = [];
  const metrics = new MirrorMetrics({
    ...(options.rateWindowMs !== undefined ? { rateWindowMs: options.rateWindowMs } : {}),
    ...(options.latencySamplesMax !== undefined ? { latencySamplesMax: options.latencySamplesMax } : {}),
    ...(options.checkpoints ? { checkpoints: () => options.checkpoints! } : {}),
    now: () => nowMs,
  });
  const view: MetricsView = {
    sourceAlias: 'east',
    targetAlias: 'west',
    partitions: () => partitions,
    onCopied: (l) => listeners.push(l),
  };
  return {
    metrics,
    partitions,
    attach: () => metrics.extension(view),
    advance: (ms: number) => {
      nowMs += ms;
    },
    now: () => nowMs,
    /** What run.ts does on an acknowledged produce. */
    copy(p: LivePartition, records: number, bytes: number, newestTimestampMs: number) {
      p.position += BigInt(records);
      p.recordsCopied += records;
      p.bytesCopied += bytes;
      p.newestCopiedTimestampMs = Math.max(p.newestCopiedTimestampMs, newestTimestampMs);
      p.lastCopiedAtMs = nowMs;
      for (const l of listeners) l(p, records, bytes, nowMs - newestTimestampMs);
    },
  };
}

describe('MirrorMetrics', () => {
  it('is empty until attached to a mirror', () => {
    const r = rig();
    const s = r.metrics.snapshot();
    expect(s.partitions).toEqual([]);
    expect(s.totals).toMatchObject({ partitions: 0, lagRecords: 0, lagSecondsMax: null, latencyP50Ms: null });
  });

  it('lag in records and seconds: 0 when caught up, age of the newest copied record otherwise, null when unknown', () => {
    const r = rig();
    const a = partition('orders', 0, 0n, 100n);
    const b = partition('orders', 1, 0n, 10n);
    const c = partition('payments', 0, 5n, 50n);
    r.partitions.push(c, b, a);
    r.attach();
    r.copy(a, 40, 4000, r.now() - 5_000);
    r.copy(b, 10, 1000, r.now() - 1_000);
    r.advance(2_000);
    const s = r.metrics.snapshot();
    expect(s.partitions.map((p) => [p.topic, p.partition])).toEqual([
      ['orders', 0],
      ['orders', 1],
      ['payments', 0],
    ]);
    const [pa, pb, pc] = s.partitions;
    expect(pa).toMatchObject({ position: 40, highWatermark: 100, lagRecords: 60, lagSeconds: 7 });
    expect(pb).toMatchObject({ lagRecords: 0, lagSeconds: 0, recordsCopied: 10, bytesCopied: 1000 });
    expect(pc).toMatchObject({ lagRecords: 45, lagSeconds: null, recordsCopied: 0, latencyP50Ms: null });
    expect(pa!.lastCopiedAgeSeconds).toBe(2);
    expect(pc!.lastCopiedAgeSeconds).toBeNull();
    expect(s.totals).toMatchObject({
      partitions: 3,
      lagRecords: 105,
      lagSecondsMax: 7,
      recordsCopied: 50,
      bytesCopied: 5000,
    });
    expect(s.sourceAlias).toBe('east');
    expect(s.targetAlias).toBe('west');
  });

  it('throughput over a sliding window: the recent rate, not the all-time average', () => {
    const r = rig({ rateWindowMs: 10_000 });
    const p = partition('t', 0, 0n, 1_000_000n);
    r.partitions.push(p);
    r.attach();
    // 20 s at 100 records and 10 kB per second.
    for (let i = 0; i < 20; i++) {
      r.copy(p, 100, 10_000, r.now());
      r.advance(1_000);
    }
    let s = r.metrics.snapshot().partitions[0]!;
    expect(s.recordsPerSecond).toBeGreaterThan(90);
    expect(s.recordsPerSecond).toBeLessThanOrEqual(100);
    expect(s.bytesPerSecond).toBeCloseTo(s.recordsPerSecond * 100, 6);
    // Then 5 quiet seconds: the rate falls; after the window, it is 0.
    r.advance(5_000);
    s = r.metrics.snapshot().partitions[0]!;
    expect(s.recordsPerSecond).toBeLessThan(60);
    expect(s.recordsPerSecond).toBeGreaterThan(30);
    r.advance(10_000);
    s = r.metrics.snapshot().partitions[0]!;
    expect(s.recordsPerSecond).toBe(0);
    expect(r.metrics.snapshot().totals.recordsPerSecond).toBe(0);
    expect(s.recordsCopied).toBe(2000);
  });

  it('a burst right after the start is not divided by a whole window', () => {
    const r = rig({ rateWindowMs: 10_000 });
    const p = partition('t', 0, 0n, 10n);
    r.partitions.push(p);
    r.attach();
    r.advance(2_000);
    r.copy(p, 1000, 1000, r.now());
    const rate = r.metrics.snapshot().totals.recordsPerSecond;
    // 1000 records in the 2 s since the collector started.
    expect(rate).toBe(500);
  });

  it('latency percentiles over a bounded ring of recent acknowledgements, count and sum over all', () => {
    const r = rig({ latencySamplesMax: 10 });
    const p = partition('t', 0, 0n, 1000n);
    r.partitions.push(p);
    r.attach();
    for (let ms = 1; ms <= 100; ms++) r.copy(p, 1, 10, r.now() - ms);
    const s = r.metrics.snapshot().partitions[0]!;
    // Only the last 10 samples (91..100) are held.
    expect(s.latencyP50Ms).toBe(95);
    expect(s.latencyP99Ms).toBe(100);
    expect(s.latencyCount).toBe(100);
    expect(s.latencySumMs).toBe(5050);
    // The totals' ring is larger: all 100 samples.
    const t = r.metrics.snapshot().totals;
    expect(t.latencyP50Ms).toBe(50);
    expect(t.latencyP99Ms).toBe(99);
  });

  it('a negative latency (source clock ahead) counts as 0', () => {
    const r = rig();
    const p = partition('t', 0, 0n, 10n);
    r.partitions.push(p);
    r.attach();
    r.copy(p, 1, 1, r.now() + 3_000);
    expect(r.metrics.snapshot().partitions[0]!.latencyP99Ms).toBe(0);
  });

  it('last checkpoint age per partition from the provider (target or source topic name), newest group wins', () => {
    const at = 1_700_000_000_000;
    const checkpoints: CheckpointInfo[] = [
      {
        group: 'g1',
        topic: 'east.orders',
        partition: 0,
        upstreamOffset: 5n,
        downstreamOffset: 5n,
        atMs: at - 30_000,
      },
      {
        group: 'g2',
        topic: 'east.orders',
        partition: 0,
        upstreamOffset: 7n,
        downstreamOffset: 7n,
        atMs: at - 4_000,
      },
      {
        group: 'g1',
        topic: 'orders',
        partition: 1,
        upstreamOffset: 1n,
        downstreamOffset: 1n,
        atMs: at - 10_000,
        aheadBy: 3n,
      },
    ];
    const r = rig({ checkpoints });
    r.partitions.push(
      partition('orders', 0, 0n, 0n),
      partition('orders', 1, 0n, 0n),
      partition('orders', 2, 0n, 0n),
    );
    r.attach();
    const s = r.metrics.snapshot();
    expect(s.partitions.map((p) => p.lastCheckpointAgeSeconds)).toEqual([4, 10, null]);
    expect(s.totals.lastCheckpointAgeSeconds).toBe(4);
    // Every group's checkpoint, sorted, with how far ahead of the mirror it is when the provider says.
    expect(s.groups).toEqual([
      {
        group: 'g1',
        topic: 'east.orders',
        partition: 0,
        upstreamOffset: 5,
        downstreamOffset: 5,
        aheadByRecords: null,
        ageSeconds: 30,
      },
      {
        group: 'g1',
        topic: 'orders',
        partition: 1,
        upstreamOffset: 1,
        downstreamOffset: 1,
        aheadByRecords: 3,
        ageSeconds: 10,
      },
      {
        group: 'g2',
        topic: 'east.orders',
        partition: 0,
        upstreamOffset: 7,
        downstreamOffset: 7,
        aheadByRecords: null,
        ageSeconds: 4,
      },
    ]);
  });

  it('withCheckpoints reads the wrapped checkpoint extension once the mirror created it', async () => {
    const r = rig();
    r.partitions.push(partition('orders', 0, 0n, 0n));
    r.attach();
    const latest = [
      {
        group: 'g',
        topic: 'orders',
        partition: 0,
        upstreamOffset: 3n,
        downstreamOffset: 3n,
        atMs: r.now() - 2_000,
      },
    ];
    const factory = r.metrics.withCheckpoints((view: { name: string }) => ({
      name: `checkpoints of ${view.name}`,
      intervalMs: 1_000,
      tick: async () => undefined,
      lastCheckpoints: () => latest,
    }));
    expect(r.metrics.snapshot().partitions[0]!.lastCheckpointAgeSeconds).toBeNull();
    expect(factory({ name: 'flow' }).name).toBe('checkpoints of flow');
    expect(r.metrics.snapshot().partitions[0]!.lastCheckpointAgeSeconds).toBe(2);
    expect(r.metrics.snapshot().groups.map((g) => g.group)).toEqual(['g']);
  });

  it('snapshot has a stable JSON shape', () => {
    const r = rig();
    const p = partition('t', 0, 0n, 10n);
    r.partitions.push(p);
    r.attach();
    r.copy(p, 5, 50, r.now() - 10);
    const s = JSON.parse(JSON.stringify(r.metrics.snapshot()));
    expect(Object.keys(s)).toEqual([
      'sourceAlias',
      'targetAlias',
      'atMs',
      'uptimeSeconds',
      'totals',
      'partitions',
      'groups',
    ]);
    expect(Object.keys(s.totals)).toEqual([
      'partitions',
      'lagRecords',
      'lagSecondsMax',
      'recordsPerSecond',
      'bytesPerSecond',
      'latencyP50Ms',
      'latencyP99Ms',
      'latencyCount',
      'latencySumMs',
      'recordsCopied',
      'bytesCopied',
      'lastCheckpointAgeSeconds',
    ]);
    expect(Object.keys(s.partitions[0])).toEqual([
      'topic',
      'partition',
      'targetTopic',
      'position',
      'highWatermark',
      'lagRecords',
      'lagSeconds',
      'recordsPerSecond',
      'bytesPerSecond',
      'latencyP50Ms',
      'latencyP99Ms',
      'latencyCount',
      'latencySumMs',
      'recordsCopied',
      'bytesCopied',
      'lastCopiedAgeSeconds',
      'lastCheckpointAgeSeconds',
    ]);
  });
});
