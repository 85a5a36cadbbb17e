/**
 * `kt mirror status`: where a mirror stands, from what it leaves in the target cluster — no access to
 * the running process needed (it may be down: that is when the question matters most).
 *
 * - progress `kt-mirror-offsets.<alias>.internal`: per source partition the position (next offset to
 *   copy) and when it was last written (the record's timestamp);
 * - checkpoints `<alias>.checkpoints.internal`: the latest per group/topic/partition, with its age;
 * - `heartbeats`: the newest heartbeat of each flow from <alias>, with its age (is the mirror alive?);
 * - with a reachable source: its end offsets, so lag in records per partition. An unreachable source is
 *   reported, not an error: it is the failover case.
 *
 * The internal topics are compacted and small (one record per key is what survives), so each is read
 * from start to end once. Records that do not decode are counted and skipped, as MM2's readers do.
 */

import { formatTable } from '../cli/output.js';
import { KtError } from '../errors/kt-error.js';
import { fetchTopicMetadata } from '../ops/topics/metadata.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import {
  checkpointsTopic,
  decodeCheckpoint,
  decodeHeartbeat,
  decodeProgress,
  HEARTBEATS_TOPIC,
  progressTopic,
} from './formats.js';
import { readDecoded } from './internal-topics.js';
import { formatSeconds } from './live-view.js';
import { listOffset } from './record-reader.js';

export interface StatusPartition {
  topic: string;
  partition: number;
  /** Next source offset the mirror will copy. */
  position: bigint;
  /** When the position was written (progress record timestamp). */
  progressAtMs: number;
  progressAgeSeconds: number;
  /** Source high watermark; null without a reachable source. */
  sourceEnd: bigint | null;
  lagRecords: bigint | null;
}

export interface StatusCheckpoint {
  group: string;
  /** Target topic name, as MM2 keys checkpoints. */
  topic: string;
  partition: number;
  upstreamOffset: bigint;
  downstreamOffset: bigint;
  atMs: number;
  ageSeconds: number;
}

export interface StatusHeartbeat {
  sourceAlias: string;
  targetAlias: string;
  timestampMs: number;
  ageSeconds: number;
}

/** The stable `--output json` shape (add fields, never rename or retype them). */
export interface MirrorStatus {
  sourceAlias: string;
  atMs: number;
  topics: { progress: string; checkpoints: string; heartbeats: string };
  source: {
    /** False when no --source was given. */
    checked: boolean;
    reachable: boolean | null;
    error: string | null;
  };
  totals: {
    partitions: number;
    /** Null unless the source answered for every partition. */
    lagRecords: bigint | null;
    /** Age of the stalest progress record: how long ago the mirror last advanced some partition. */
    progressAgeSecondsMax: number | null;
    newestHeartbeatAgeSeconds: number | null;
    checkpoints: number;
    /** Records of the internal topics that did not decode (skipped). */
    skippedRecords: number;
  };
  partitions: StatusPartition[];
  checkpoints: StatusCheckpoint[];
  heartbeats: StatusHeartbeat[];
}

export interface StatusOptions {
  target: ClusterClient;
  sourceAlias: string;
  /** A source client, connected or not; when it cannot be reached the status says so. */
  source?: ClusterClient;
  /** The clock (tests). Default Date.now(). */
  nowMs?: number;
}

/**
 * Reads partition 0 of `topic` from start to end through `decode`; returns how many records did not
 * decode, or null when the topic does not exist.
 */
async function readInternal<T>(
  client: ClusterClient,
  topic: string,
  decode: (key: Uint8Array | null, value: Uint8Array | null) => T,
  onItem: (item: T, timestampMs: number) => void,
): Promise<number | null> {
  const { topics } = await fetchTopicMetadata(client, [topic]);
  if (topics.length === 0) return null;
  return readDecoded(client, topic, decode, onItem);
}

/** A decoder that leaves tombstones (null values: a deleted key, nothing to show) out. */
const unlessTombstone =
  <T>(decode: (key: Uint8Array | null, value: Uint8Array) => T) =>
  (key: Uint8Array | null, value: Uint8Array | null): T | null =>
    value === null ? null : decode(key, value);

const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const age = (nowMs: number, atMs: number) => Math.max(0, nowMs - atMs) / 1000;

export async function mirrorStatus(options: StatusOptions): Promise<MirrorStatus> {
  const { target, sourceAlias } = options;
  const nowMs = options.nowMs ?? Date.now();
  const topics = {
    progress: progressTopic(sourceAlias),
    checkpoints: checkpointsTopic(sourceAlias),
    heartbeats: HEARTBEATS_TOPIC,
  };
  const positions = new Map<string, { topic: string; partition: number; position: bigint; atMs: number }>();
  const progressSkipped = await readInternal(target, topics.progress, decodeProgress, (entry, atMs) => {
    if (!entry || entry.cluster !== sourceAlias) return;
    positions.set(`${entry.topic}\u0000${entry.partition}`, {
      topic: entry.topic,
      partition: entry.partition,
      position: entry.offset + 1n,
      atMs,
    });
  });
  if (progressSkipped === null) {
    throw new KtError(
      'KT_NOT_FOUND',
      `no mirror from source alias ${JSON.stringify(sourceAlias)} has run against this target (no topic ${topics.progress})`,
      { hint: 'Pass the --source-alias that kt mirror run was given' },
    );
  }

  let skipped = progressSkipped;
  const checkpoints = new Map<string, StatusCheckpoint>();
  const checkpointsSkipped = await readInternal(
    target,
    topics.checkpoints,
    unlessTombstone(decodeCheckpoint),
    (c, atMs) => {
      if (c === null) return;
      checkpoints.set(`${c.group}\u0000${c.topic}\u0000${c.partition}`, {
        group: c.group,
        topic: c.topic,
        partition: c.partition,
        upstreamOffset: c.upstreamOffset,
        downstreamOffset: c.downstreamOffset,
        atMs,
        ageSeconds: age(nowMs, atMs),
      });
    },
  );
  skipped += checkpointsSkipped ?? 0;

  const heartbeats = new Map<string, StatusHeartbeat>();
  const heartbeatsSkipped = await readInternal(
    target,
    topics.heartbeats,
    unlessTombstone(decodeHeartbeat),
    (h) => {
      if (h === null || h.sourceClusterAlias !== sourceAlias) return;
      const timestampMs = Number(h.timestampMs);
      const last = heartbeats.get(h.targetClusterAlias);
      if (last && last.timestampMs >= timestampMs) return;
      heartbeats.set(h.targetClusterAlias, {
        sourceAlias: h.sourceClusterAlias,
        targetAlias: h.targetClusterAlias,
        timestampMs,
        ageSeconds: age(nowMs, timestampMs),
      });
    },
  );
  skipped += heartbeatsSkipped ?? 0;

  const partitions: StatusPartition[] = [...positions.values()]
    .sort((a, b) => compare(a.topic, b.topic) || a.partition - b.partition)
    .map((p) => ({
      topic: p.topic,
      partition: p.partition,
      position: p.position,
      progressAtMs: p.atMs,
      progressAgeSeconds: age(nowMs, p.atMs),
      sourceEnd: null,
      lagRecords: null,
    }));
  const source: MirrorStatus['source'] = {
    checked: options.source !== undefined,
    reachable: null,
    error: null,
  };
  if (options.source) await sourceEnds(options.source, partitions, source);

  const progressAges = partitions.map((p) => p.progressAgeSeconds);
  const heartbeatList = [...heartbeats.values()].sort((a, b) => compare(a.targetAlias, b.targetAlias));
  const allLags = partitions.every((p) => p.lagRecords !== null);
  return {
    sourceAlias,
    atMs: nowMs,
    topics,
    source,
    totals: {
      partitions: partitions.length,
      lagRecords:
        source.reachable && allLags ? partitions.reduce((n, p) => n + (p.lagRecords ?? 0n), 0n) : null,
      progressAgeSecondsMax: progressAges.length === 0 ? null : Math.max(...progressAges),
      newestHeartbeatAgeSeconds:
        heartbeatList.length === 0 ? null : Math.min(...heartbeatList.map((h) => h.ageSeconds)),
      checkpoints: checkpoints.size,
      skippedRecords: skipped,
    },
    partitions,
    checkpoints: [...checkpoints.values()].sort(
      (a, b) => compare(a.group, b.group) || compare(a.topic, b.topic) || a.partition - b.partition,
    ),
    heartbeats: heartbeatList,
  };
}

/**
 * Fills sourceEnd and lagRecords from the source's high watermarks. A broker's answer for one partition
 * (a topic deleted on the source) leaves that partition's figures null; failing to reach the source at
 * all marks it unreachable and stops asking.
 */
async function sourceEnds(
  client: ClusterClient,
  partitions: StatusPartition[],
  source: MirrorStatus['source'],
): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    source.reachable = false;
    source.error = (error as Error).message;
    return;
  }
  source.reachable = true;
  for (const p of partitions) {
    try {
      const end = await listOffset(client, p.topic, p.partition, 'latest');
      if (end === null) continue;
      p.sourceEnd = end;
      p.lagRecords = end > p.position ? end - p.position : 0n;
    } catch (error) {
      if (error instanceof KtError && error.kafkaCode !== undefined) {
        source.error ??= error.message;
        continue;
      }
      source.reachable = false;
      source.error = (error as Error).message;
      return;
    }
  }
}

/** The text form: a summary line, then partitions, checkpoints and heartbeats as tables. */
export function renderStatus(status: MirrorStatus): string {
  const t = status.totals;
  const src = !status.source.checked
    ? 'source not checked (pass --source for lag)'
    : status.source.reachable
      ? `lag ${t.lagRecords ?? '?'} records`
      : `source unreachable: ${status.source.error ?? 'unknown error'}`;
  const beat =
    t.newestHeartbeatAgeSeconds === null
      ? 'no heartbeats'
      : `newest heartbeat ${formatSeconds(t.newestHeartbeatAgeSeconds)} ago`;
  // Tables end with a line feed; sections are separated by one blank line.
  const table = (options: Parameters<typeof formatTable>[0]) => formatTable(options).trimEnd();
  const out = [
    `Mirror from ${status.sourceAlias}: ${t.partitions} partitions, ${src}; ${beat}; ${t.checkpoints} checkpoints` +
      (t.skippedRecords > 0 ? `; ${t.skippedRecords} undecodable records skipped` : ''),
    '',
    table({
      head: ['TOPIC', 'PARTITION', 'POSITION', 'SOURCE END', 'LAG', 'PROGRESS AGE'],
      rows: status.partitions.map((p) => [
        p.topic,
        p.partition,
        p.position,
        p.sourceEnd,
        p.lagRecords,
        formatSeconds(p.progressAgeSeconds),
      ]),
      alignRight: [1, 2, 3, 4, 5],
    }),
  ];
  if (status.checkpoints.length > 0) {
    out.push(
      '',
      table({
        head: ['GROUP', 'TOPIC', 'PARTITION', 'UPSTREAM', 'DOWNSTREAM', 'AGE'],
        rows: status.checkpoints.map((c) => [
          c.group,
          c.topic,
          c.partition,
          c.upstreamOffset,
          c.downstreamOffset,
          formatSeconds(c.ageSeconds),
        ]),
        alignRight: [2, 3, 4, 5],
      }),
    );
  }
  if (status.heartbeats.length > 0) {
    out.push(
      '',
      table({
        head: ['SOURCE', 'TARGET', 'TIMESTAMP', 'AGE'],
        rows: status.heartbeats.map((h) => [
          h.sourceAlias,
          h.targetAlias,
          new Date(h.timestampMs).toISOString(),
          formatSeconds(h.ageSeconds),
        ]),
        alignRight: [3],
      }),
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
