/**
 * The mirror's figures, per partition and in total, for the live view (live-view.ts), Prometheus
 * (prometheus.ts) and anything else that wants them: lag in records and seconds, throughput over a
 * sliding window, replication latency percentiles, last checkpoint age and counters.
 *
 * A MirrorMetrics is created before the mirror starts (so a metrics server can bind its port first) and
 * attached by passing `metrics.extension` in MirrorOptions.extensions; until then snapshots are empty.
 * Everything is computed when a snapshot is asked for: the per-ack work in the copy path is a few array
 * writes, and memory is fixed per partition (a ring of rate buckets and a ring of latency samples).
 */
import type { LivePartition, MirrorExtension, MirrorView } from './run.js';

/** What a checkpoint writer reports; `topic` may be the source or the (renamed) target topic. */
export interface CheckpointInfo {
  group: string;
  topic: string;
  partition: number;
  upstreamOffset: bigint;
  downstreamOffset: bigint;
  /** Wall-clock ms the checkpoint was written. */
  atMs: number;
  /** Source records the group consumed that the mirror has not copied yet (lost if failing over now). */
  aheadBy?: bigint;
}

/** One group's latest checkpoint on one partition, as the provider reported it. */
export interface GroupMetrics {
  group: string;
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
  /** See CheckpointInfo.aheadBy; null when the provider does not say. */
  aheadByRecords: number | null;
  ageSeconds: number;
}

export interface MetricsOptions {
  /** Throughput is averaged over this window. Default 10 s. */
  rateWindowMs?: number;
  /** Latency percentiles are taken over this many most recent acknowledgements per partition. Default 256. */
  latencySamplesMax?: number;
  /** Checkpoints written so far (another extension's state); without it checkpoint ages are null. */
  checkpoints?: () => Iterable<CheckpointInfo>;
  /** The clock (tests). Default Date.now. */
  now?: () => number;
}

/** The copy figures given per partition and in total (the totals' latencies are over all partitions). */
export interface CopyFigures {
  recordsPerSecond: number;
  bytesPerSecond: number;
  /** Ack time minus the newest record's CreateTime, over the recent acknowledgements; null before one. */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** All acknowledgements since start and the sum of their latencies (Prometheus summary _count/_sum). */
  latencyCount: number;
  latencySumMs: number;
  recordsCopied: number;
  bytesCopied: number;
}

export interface PartitionMetrics extends CopyFigures {
  topic: string;
  partition: number;
  targetTopic: string;
  /** Next source offset to copy. */
  position: number;
  highWatermark: number;
  lagRecords: number;
  /**
   * RPO estimate: 0 without lag; otherwise seconds since the CreateTime of the newest record copied, an
   * upper bound of the oldest uncopied record's age (that record is at least as new). Null while lagging
   * before anything was copied in this run (no timestamp to measure from).
   */
  lagSeconds: number | null;
  lastCopiedAgeSeconds: number | null;
  /** Age of the newest checkpoint of any group on this partition; null without one. */
  lastCheckpointAgeSeconds: number | null;
}

export interface MetricsTotals extends CopyFigures {
  partitions: number;
  lagRecords: number;
  lagSecondsMax: number | null;
  lastCheckpointAgeSeconds: number | null;
}

/** The stable shape of `snapshot()` (documented JSON: add fields, never rename or retype them). */
export interface MetricsSnapshot {
  sourceAlias: string;
  targetAlias: string;
  /** Wall-clock ms of the snapshot. */
  atMs: number;
  uptimeSeconds: number;
  totals: MetricsTotals;
  /** Sorted by topic, then partition. */
  partitions: PartitionMetrics[];
  /** Latest checkpoints of the consumer groups, sorted by group, topic, partition (empty without a provider). */
  groups: GroupMetrics[];
}

/** The part of MirrorView the collector needs (tests pass just this). */
export type MetricsView = Pick<MirrorView, 'sourceAlias' | 'targetAlias' | 'partitions' | 'onCopied'>;

const BUCKET_MS = 1_000;
const RATE_WINDOW_MS_DEFAULT = 10_000;
const LATENCY_SAMPLES_DEFAULT = 256;
/** The totals' latency ring: enough samples for a stable p99 over many partitions. */
const TOTAL_LATENCY_SAMPLES = 4_096;

/** Records and bytes per 1 s bucket in a ring covering the rate window. */
class RateWindow {
  private readonly stamps: Float64Array;
  private readonly records: Float64Array;
  private readonly bytes: Float64Array;

  constructor(private readonly buckets: number) {
    this.stamps = new Float64Array(buckets).fill(-1);
    this.records = new Float64Array(buckets);
    this.bytes = new Float64Array(buckets);
  }

  add(atMs: number, records: number, bytes: number): void {
    const index = Math.floor(atMs / BUCKET_MS);
    const slot = index % this.buckets;
    if (this.stamps[slot] !== index) {
      this.stamps[slot] = index;
      this.records[slot] = 0;
      this.bytes[slot] = 0;
    }
    this.records[slot]! += records;
    this.bytes[slot]! += bytes;
  }

  /** Per-second rates over the window ending now, not reaching back before `sinceMs` (start). */
  rates(nowMs: number, sinceMs: number): { recordsPerSecond: number; bytesPerSecond: number } {
    const current = Math.floor(nowMs / BUCKET_MS);
    const oldest = current - this.buckets + 1;
    let records = 0;
    let bytes = 0;
    for (let i = 0; i < this.buckets; i++) {
      const stamp = this.stamps[i]!;
      if (stamp >= oldest && stamp <= current) {
        records += this.records[i]!;
        bytes += this.bytes[i]!;
      }
    }
    // At least one bucket's worth, so a burst in the first milliseconds is not read as a huge rate.
    const seconds = Math.max(BUCKET_MS, nowMs - Math.max(sinceMs, oldest * BUCKET_MS)) / 1000;
    return { recordsPerSecond: records / seconds, bytesPerSecond: bytes / seconds };
  }
}

/** The most recent `size` latency samples, plus all-time count and sum. */
class LatencyRing {
  private readonly samples: Float64Array;
  private filled = 0;
  private next = 0;
  count = 0;
  sumMs = 0;

  constructor(size: number) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.filled = Math.min(this.filled + 1, this.samples.length);
    this.count++;
    this.sumMs += ms;
  }

  /** Nearest-rank percentiles (q in (0, 1]) of the samples held; null when there are none. */
  percentiles(qs: readonly number[]): (number | null)[] {
    if (this.filled === 0) return qs.map(() => null);
    const sorted = this.samples.slice(0, this.filled).sort();
    return qs.map((q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
  }
}

interface PartitionCounters {
  rate: RateWindow;
  latency: LatencyRing;
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class MirrorMetrics {
  private view: MetricsView | undefined;
  private readonly counters = new Map<string, PartitionCounters>();
  private readonly totalRate: RateWindow;
  private readonly totalLatency = new LatencyRing(TOTAL_LATENCY_SAMPLES);
  private readonly now: () => number;
  private readonly buckets: number;
  private readonly latencySamplesMax: number;
  private readonly startedAtMs: number;

  constructor(private readonly options: MetricsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.startedAtMs = this.now();
    this.buckets = Math.max(1, Math.ceil((options.rateWindowMs ?? RATE_WINDOW_MS_DEFAULT) / BUCKET_MS));
    this.totalRate = new RateWindow(this.buckets);
    this.latencySamplesMax = Math.max(1, options.latencySamplesMax ?? LATENCY_SAMPLES_DEFAULT);
  }

  /** The extension factory to pass in MirrorOptions.extensions: attaches this collector to the mirror. */
  readonly extension = (view: MetricsView): MirrorExtension => {
    this.view = view;
    view.onCopied((p, records, bytes, latencyMs) => this.copied(p, records, bytes, latencyMs));
    // Nothing to do on a tick: figures are computed when a snapshot is taken.
    return { name: 'metrics', intervalMs: 60_000, tick: async () => undefined };
  };

  private checkpointSource: (() => Iterable<CheckpointInfo>) | undefined;

  /**
   * Wraps a checkpoint extension's factory (checkpoints.ts) so this collector reads its latest
   * checkpoints: `extensions: [metrics.extension, metrics.withCheckpoints(checkpointExtension(...))]`.
   * Takes the place of the `checkpoints` option.
   */
  withCheckpoints<V, E extends MirrorExtension & { lastCheckpoints(): Iterable<CheckpointInfo> }>(
    factory: (view: V) => E,
  ): (view: V) => E {
    return (view) => {
      const extension = factory(view);
      this.checkpointSource = () => extension.lastCheckpoints();
      return extension;
    };
  }

  private countersOf(topic: string, partition: number): PartitionCounters {
    const k = partitionKey(topic, partition);
    let c = this.counters.get(k);
    if (!c) {
      c = { rate: new RateWindow(this.buckets), latency: new LatencyRing(this.latencySamplesMax) };
      this.counters.set(k, c);
    }
    return c;
  }

  private copied(p: LivePartition, records: number, bytes: number, latencyMs: number): void {
    const at = this.now();
    const c = this.countersOf(p.topic, p.partition);
    c.rate.add(at, records, bytes);
    this.totalRate.add(at, records, bytes);
    // A source clock ahead of ours gives a negative difference: count it as no delay.
    const ms = Math.max(0, latencyMs);
    c.latency.add(ms);
    this.totalLatency.add(ms);
  }

  snapshot(): MetricsSnapshot {
    const now = this.now();
    const listed = [...((this.checkpointSource ?? this.options.checkpoints)?.() ?? [])];
    /** Newest checkpoint time per partition, of any group. */
    const checkpoints = new Map<string, number>();
    for (const cp of listed) {
      const k = partitionKey(cp.topic, cp.partition);
      checkpoints.set(k, Math.max(checkpoints.get(k) ?? -Infinity, cp.atMs));
    }
    const groups: GroupMetrics[] = listed
      .map((cp) => ({
        group: cp.group,
        topic: cp.topic,
        partition: cp.partition,
        upstreamOffset: Number(cp.upstreamOffset),
        downstreamOffset: Number(cp.downstreamOffset),
        aheadByRecords: cp.aheadBy === undefined ? null : Number(cp.aheadBy),
        ageSeconds: Math.max(0, now - cp.atMs) / 1000,
      }))
      .sort(
        (a, b) =>
          (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) ||
          (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) ||
          a.partition - b.partition,
      );
    const partitions: PartitionMetrics[] = [];
    for (const p of this.view?.partitions() ?? []) {
      const c = this.countersOf(p.topic, p.partition);
      const lag = p.highWatermark > p.position ? Number(p.highWatermark - p.position) : 0;
      const [p50, p99] = c.latency.percentiles([0.5, 0.99]);
      const checkpointAt =
        checkpoints.get(partitionKey(p.targetTopic, p.partition)) ??
        checkpoints.get(partitionKey(p.topic, p.partition));
      partitions.push({
        topic: p.topic,
        partition: p.partition,
        targetTopic: p.targetTopic,
        position: Number(p.position),
        highWatermark: Number(p.highWatermark),
        lagRecords: lag,
        lagSeconds:
          lag === 0
            ? 0
            : p.newestCopiedTimestampMs < 0
              ? null
              : Math.max(0, now - p.newestCopiedTimestampMs) / 1000,
        ...c.rate.rates(now, this.startedAtMs),
        latencyP50Ms: p50 ?? null,
        latencyP99Ms: p99 ?? null,
        latencyCount: c.latency.count,
        latencySumMs: c.latency.sumMs,
        recordsCopied: p.recordsCopied,
        bytesCopied: p.bytesCopied,
        lastCopiedAgeSeconds: p.lastCopiedAtMs < 0 ? null : Math.max(0, now - p.lastCopiedAtMs) / 1000,
        lastCheckpointAgeSeconds: checkpointAt === undefined ? null : Math.max(0, now - checkpointAt) / 1000,
      });
    }
    partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    const [p50, p99] = this.totalLatency.percentiles([0.5, 0.99]);
    const known = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
    const lagSeconds = known(partitions.map((p) => p.lagSeconds));
    const checkpointAges = known(partitions.map((p) => p.lastCheckpointAgeSeconds));
    return {
      sourceAlias: this.view?.sourceAlias ?? '',
      targetAlias: this.view?.targetAlias ?? '',
      atMs: now,
      uptimeSeconds: Math.max(0, now - this.startedAtMs) / 1000,
      totals: {
        partitions: partitions.length,
        lagRecords: partitions.reduce((n, p) => n + p.lagRecords, 0),
        lagSecondsMax: lagSeconds.length === 0 ? null : Math.max(...lagSeconds),
        ...this.totalRate.rates(now, this.startedAtMs),
        latencyP50Ms: p50 ?? null,
        latencyP99Ms: p99 ?? null,
        latencyCount: this.totalLatency.count,
        latencySumMs: this.totalLatency.sumMs,
        recordsCopied: partitions.reduce((n, p) => n + p.recordsCopied, 0),
        bytesCopied: partitions.reduce((n, p) => n + p.bytesCopied, 0),
        lastCheckpointAgeSeconds: checkpointAges.length === 0 ? null : Math.min(...checkpointAges),
      },
      partitions,
      groups,
    };
  }
}
