/**
 * `kt mirror run`: copies matching topics from a source to a target cluster as record-batch bytes.
 *
 * Data path: one fetch loop per source leader (one Fetch in flight, read_committed, covering all its
 * partitions), preparePartition (batches.ts) turns each partition's bytes into produce batches, and one
 * Produce per target leader carries them (bounded by a p-queue per target broker). The next Fetch is
 * sent while the previous response is being produced, but its records wait until that produce finished:
 * at most two fetched responses per source broker are held (bounded memory), a slow target stalls the
 * fetches (back-pressure), and one produce in flight per partition keeps order.
 *
 * Progress (the resume position) is stored in the target cluster, in the compacted topic
 * `kt-mirror-offsets.<source-alias>.internal` (formats.ts: Connect/MM2 source-offset JSON), written every
 * progressIntervalMs and on stop, after the data it covers was acknowledged and after the offset syncs
 * covering it were acknowledged. Why a topic and not a consumer-group commit on the target: the offsets
 * are *source* offsets of *source* topic names, which a group on the target would attach to target
 * topics with different offsets (nonsense lag in every group tool, and Kafka may reject commits for
 * topics the target does not have); a topic also needs no group coordinator and keeps MM2's layout.
 * At least once: a crash re-copies at most what was acknowledged since the last progress write.
 *
 * Offset syncs (MM2 format) go to `mm2-offset-syncs.<target-alias>.internal` on the source whenever the
 * source→target mapping does not continue the previous one: the first produce of every partition in a
 * run (restart), after every skipped source offset (markers, aborted or compacted records) and after any
 * target-side jump (retried duplicates). Within a run of contiguous offsets `down = sync.down + (up -
 * sync.up)` holds exactly, so the syncs are an exact segment map.
 */
import PQueue from 'p-queue';
import { ErrorCode } from '../errors/codes.generated.js';
import { errorForCode } from '../errors/kafka.js';
import { KtError } from '../errors/kt-error.js';
import { readBatchHeader } from '../protocol/batch-header.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import {
  addStats,
  type BatchStats,
  emptyStats,
  type PreparedPartition,
  preparePartition,
} from './batches.js';
import { offsetSyncsTopic, progressTopic } from './formats.js';
import { ensureCompactedTopic, partitionOffset } from './internal-topics.js';
import { type RenamePolicy, TopicPolicy } from './policy.js';
import { produceToLeader } from './produce.js';
import { ProgressWriter, SyncWriter } from './progress.js';
import { formatConfigSync, syncTopics } from './topics.js';
import { loadSegmentMaps, SegmentMap, type Translation } from './translate.js';

export interface MirrorOptions {
  source: ClusterClient;
  target: ClusterClient;
  sourceAlias: string;
  targetAlias: string;
  topics?: string;
  exclude?: string;
  rename: RenamePolicy;
  signal: AbortSignal;
  /** New topics and partitions are picked up this often. Default 30 s. */
  refreshIntervalMs?: number;
  /** Progress is written this often (the at-least-once window). Default 1 s. */
  progressIntervalMs?: number;
  /** A log line this often. Default 10 s; 0: none (a live view shows the figures instead). */
  statsIntervalMs?: number;
  /** Fetch long-poll wait; also bounds how long a stop waits for a fetch. Default 500 ms. */
  fetchWaitMs?: number;
  fetchBytesMax?: number;
  partitionBytesMax?: number;
  /** Produce requests in flight per target broker. Default 4. */
  produceInFlightMax?: number;
  log?: (line: string) => void;
  /**
   * Periodic work that runs inside the mirror's lifetime and sees its live state: checkpoints, group
   * offset sync, heartbeats, metrics. Each is created once the mirror has loaded its state, ticks every
   * `intervalMs` (a failed tick is logged and retried next time), and gets a last tick on stop.
   */
  extensions?: readonly ((view: MirrorView) => MirrorExtension)[];
}

export interface MirrorExtension {
  name: string;
  intervalMs: number;
  tick(): Promise<void>;
  /** Called once on stop, after the data path drained (default: one last tick). */
  close?(): Promise<void>;
}

/** A partition as the mirror sees it now, with counters since the mirror started. */
export interface LivePartition extends PartitionStatus {
  recordsCopied: number;
  bytesCopied: number;
  /** CreateTime (ms) of the newest record copied; -1 before the first. */
  newestCopiedTimestampMs: number;
  /** Wall-clock ms of the last acknowledged produce; -1 before the first. */
  lastCopiedAtMs: number;
}

/** What extensions see of a running mirror. */
export interface MirrorView {
  readonly source: ClusterClient;
  readonly target: ClusterClient;
  readonly sourceAlias: string;
  readonly targetAlias: string;
  readonly policy: TopicPolicy;
  readonly signal: AbortSignal;
  partitions(): Iterable<LivePartition>;
  /** Exact target offset for committed source offset `g` (translate.ts); undefined before the history. */
  translate(topic: string, partition: number, g: bigint): Translation | undefined;
  /** Called with every acknowledged produce: records, bytes, ack ms minus newest record's CreateTime. */
  onCopied(listener: (p: LivePartition, records: number, bytes: number, latencyMs: number) => void): void;
  log(line: string): void;
}

export interface PartitionStatus {
  topic: string;
  partition: number;
  targetTopic: string;
  /** Next source offset to replicate (acknowledged on the target). */
  position: bigint;
  highWatermark: bigint;
}

export interface MirrorSummary {
  records: number;
  bytes: number;
  batches: BatchStats;
  offsetSyncs: number;
  partitions: PartitionStatus[];
  topicsCreated: string[];
}

interface PartitionState extends LivePartition {
  fetchPosition: bigint;
  progressWritten: bigint;
  leader: number;
  /** The source/target offsets the next record continues at, when the mapping is still contiguous. */
  expectUp: bigint | null;
  expectDown: bigint;
  /** The last produce of this partition: a partition that moved to another source leader's loop waits for it. */
  inFlight: Promise<void>;
}

const FETCH = 1;
const FETCH_VERSION_MAX = 12;
const READ_COMMITTED = 1;
const SOURCE_RETRY_MS = 1_000;
/** min.compaction.lag.ms of the offset-syncs topic kt creates: a week of exact translation history. */
const SYNC_HISTORY_MS = 7 * 24 * 3600 * 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export async function runMirror(options: MirrorOptions): Promise<MirrorSummary> {
  const { source, target, signal } = options;
  const log = options.log ?? (() => undefined);
  const policy = new TopicPolicy(options);
  const syncsTopic = offsetSyncsTopic(options.targetAlias);
  const progressName = progressTopic(options.sourceAlias);
  const states = new Map<string, PartitionState>();
  const summary: MirrorSummary = {
    records: 0,
    bytes: 0,
    batches: emptyStats(),
    offsetSyncs: 0,
    partitions: [],
    topicsCreated: [],
  };
  const produceQueues = new Map<number, PQueue>();
  const workers = new Map<number, Promise<void>>();
  let fatal: unknown;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) stop.abort();
  const fail = (error: unknown) => {
    fatal ??= error;
    stop.abort();
  };

  // The syncs are the translation history: keep a week of it from compaction (MM2 compacts at once).
  await ensureCompactedTopic(source, syncsTopic, { 'min.compaction.lag.ms': String(SYNC_HISTORY_MS) });
  await ensureCompactedTopic(target, progressName);
  const { maps: segments, skipped } = await loadSegmentMaps(source, syncsTopic);
  if (skipped > 0) log(`mirror: skipped ${skipped} records of ${syncsTopic} that are not offset syncs`);
  const syncs = new SyncWriter(source, syncsTopic, (topic, partition, up, down) =>
    segments.push(topic, partition, up, down),
  );
  const progress = new ProgressWriter(target, progressName, options.sourceAlias, syncs, () =>
    states.values(),
  );
  const resume = await progress.load();
  const copiedListeners: ((p: LivePartition, records: number, bytes: number, latencyMs: number) => void)[] =
    [];
  const flushSyncs = syncs.flush;
  const flushProgress = progress.flush;

  /** Records the acknowledged copy of `prepared` (batch k at target offset bases[k]); syncs where needed. */
  const acknowledge = (s: PartitionState, prepared: PreparedPartition, bases: readonly bigint[]): void => {
    for (const run of prepared.runs) {
      const base = bases[run.batch];
      if (base === undefined) throw new Error(`no base offset for batch ${run.batch}`);
      const down = base + BigInt(run.index);
      if (s.expectUp !== run.upstream || s.expectDown !== down) {
        syncs.push(s.topic, s.partition, run.upstream, down);
      }
      s.expectUp = run.upstream + BigInt(run.length);
      s.expectDown = down + BigInt(run.length);
    }
    // Skipped offsets at the end (a commit marker, aborted records): say where the next record goes, so
    // a group committed after them translates to the target end instead of past it.
    if (s.expectUp !== null && prepared.nextOffset > s.expectUp) {
      syncs.push(s.topic, s.partition, prepared.nextOffset, s.expectDown);
      s.expectUp = prepared.nextOffset;
    }
    s.position = prepared.nextOffset;
    summary.records += prepared.records;
    summary.bytes += prepared.bytes;
    addStats(summary.batches, prepared.stats);
    const last = prepared.batches[prepared.batches.length - 1];
    if (last !== undefined) {
      const now = Date.now();
      const newest = Number(readBatchHeader(last).maxTimestamp);
      s.recordsCopied += prepared.records;
      s.bytesCopied += prepared.bytes;
      s.newestCopiedTimestampMs = Math.max(s.newestCopiedTimestampMs, newest);
      s.lastCopiedAtMs = now;
      for (const listener of copiedListeners) listener(s, prepared.records, prepared.bytes, now - newest);
    }
  };

  /**
   * Produces every partition's batches, one Produce round per batch index (Kafka takes one batch per
   * partition per request; rounds are sequential so a retried batch can never land after a later one).
   */
  const produceAll = async (work: [PartitionState, PreparedPartition][]): Promise<void> => {
    const byLeader = new Map<number, [PartitionState, PreparedPartition][]>();
    for (const [s, prepared] of work) {
      if (prepared.batches.length === 0) {
        acknowledge(s, prepared, []);
        continue;
      }
      const leader = await target.partitionLeader(s.targetTopic, s.partition);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), [s, prepared]]);
    }
    await Promise.all(
      [...byLeader].map(([leader, items]) => {
        let queue = produceQueues.get(leader);
        if (!queue) {
          queue = new PQueue({ concurrency: options.produceInFlightMax ?? 4 });
          produceQueues.set(leader, queue);
        }
        return queue.add(async () => {
          const bases = items.map((): bigint[] => []);
          const rounds = Math.max(...items.map(([, p]) => p.batches.length));
          for (let k = 0; k < rounds; k++) {
            const round = items
              .map((item, i) => [item, i] as const)
              .filter(([[, p]]) => k < p.batches.length);
            await produceToLeader(
              target,
              leader,
              round.map(([[s, p]]) => ({
                topic: s.targetTopic,
                partition: s.partition,
                batch: p.batches[k]!,
              })),
              (j, baseOffset) => bases[round[j]![1]]!.push(baseOffset),
            );
          }
          for (const [i, [s, p]] of items.entries()) acknowledge(s, p, bases[i]!);
        });
      }),
    );
    await flushSyncs();
  };

  const fetchFrom = async (leader: number, mine: PartitionState[]) => {
    const conn = await source.connection({ nodeId: leader });
    const topics = new Map<string, PartitionState[]>();
    for (const s of mine) topics.set(s.topic, [...(topics.get(s.topic) ?? []), s]);
    const waitMs = options.fetchWaitMs ?? 500;
    return conn.send(
      FETCH,
      {
        replicaId: -1,
        maxWaitMs: waitMs,
        minBytes: 1,
        maxBytes: options.fetchBytesMax ?? 16 * 1024 * 1024,
        isolationLevel: READ_COMMITTED,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...topics].map(([topic, list]) => ({
          topic,
          partitions: list.map((s) => ({
            partition: s.partition,
            currentLeaderEpoch: -1,
            fetchOffset: s.fetchPosition,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: options.partitionBytesMax ?? 1024 * 1024,
          })),
        })),
      },
      { version: Math.min(conn.versionFor(FETCH), FETCH_VERSION_MAX), timeoutMs: waitMs + 30_000 },
    );
  };

  const fetchLoop = async (leader: number): Promise<void> => {
    let producing: Promise<void> = Promise.resolve();
    while (!stop.signal.aborted) {
      const mine = [...states.values()].filter((s) => s.leader === leader);
      if (mine.length === 0) break;
      let response: Awaited<ReturnType<typeof fetchFrom>>;
      try {
        response = await fetchFrom(leader, mine);
      } catch (error) {
        // A source broker that is down or moving: retry (forever, logged) instead of stopping the mirror.
        if (!(error instanceof KtError) || (error.code !== 'KT_CONNECTION' && error.code !== 'KT_TIMEOUT'))
          throw error;
        log(
          `mirror: fetch from source broker ${leader} failed (${error.message}); retrying in ${SOURCE_RETRY_MS} ms`,
        );
        await sleep(SOURCE_RETRY_MS, stop.signal);
        source.invalidateLeaders();
        for (const s of mine)
          s.leader = await source.partitionLeader(s.topic, s.partition).catch(() => s.leader);
        for (const s of mine) startWorker(s.leader);
        continue;
      }
      const work: [PartitionState, PreparedPartition][] = [];
      for (const t of response.responses) {
        for (const p of t.partitions) {
          const s = states.get(key(t.topic, p.partitionIndex));
          if (!s) continue;
          if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
            const earliest = await partitionOffset(source, s.topic, s.partition, 'earliest');
            log(
              `mirror: ${s.topic}-${s.partition}: source offsets ${s.fetchPosition}..${earliest - 1n} were deleted before they were copied; continuing at ${earliest}`,
            );
            s.fetchPosition = earliest;
            continue;
          }
          if (p.errorCode !== ErrorCode.NONE) {
            if (!errorForCode(p.errorCode).retriable) throw errorForCode(p.errorCode);
            source.invalidateLeaders(s.topic);
            s.leader = await source.partitionLeader(s.topic, s.partition);
            startWorker(s.leader);
            continue;
          }
          s.highWatermark = p.highWatermark;
          if (!p.records || p.records.length === 0) continue;
          const prepared = preparePartition(p.records, s.fetchPosition, p.abortedTransactions);
          s.fetchPosition = prepared.nextOffset;
          work.push([s, prepared]);
        }
      }
      await producing;
      const prior = work.map(([s]) => s.inFlight);
      producing = Promise.all(prior).then(() => produceAll(work));
      const settled = producing.catch(() => undefined);
      for (const [s] of work) s.inFlight = settled;
    }
    await producing;
  };

  const startWorker = (leader: number): void => {
    if (workers.has(leader)) return;
    const worker = fetchLoop(leader)
      .catch(fail)
      .finally(() => workers.delete(leader));
    workers.set(leader, worker);
  };

  const refresh = async (): Promise<void> => {
    const synced = await syncTopics(source, target, policy);
    for (const name of synced.created) log(`mirror: created target topic ${name}`);
    for (const g of synced.grown) log(`mirror: grew ${g.topic} from ${g.from} to ${g.to} partitions`);
    for (const c of synced.configsSynced) log(formatConfigSync(c));
    for (const e of synced.configErrors) {
      log(`mirror: config sync of ${e.topic} failed: ${e.message} (retrying next refresh)`);
    }
    summary.topicsCreated.push(...synced.created);
    for (const sp of synced.partitions) {
      const k = key(sp.topic, sp.partition);
      if (states.has(k)) continue;
      const start = resume.get(k) ?? (await partitionOffset(source, sp.topic, sp.partition, 'earliest'));
      const state: PartitionState = {
        ...sp,
        position: start,
        fetchPosition: start,
        progressWritten: resume.has(k) ? start : -1n,
        highWatermark: start,
        leader: await source.partitionLeader(sp.topic, sp.partition),
        // The first copy of a run always writes a sync (expectUp null); until then the next record will
        // land at the target's end, which is what a group at the end translates to.
        expectUp: null,
        expectDown: await partitionOffset(target, sp.targetTopic, sp.partition, 'latest'),
        inFlight: Promise.resolve(),
        recordsCopied: 0,
        bytesCopied: 0,
        newestCopiedTimestampMs: -1,
        lastCopiedAtMs: -1,
      };
      states.set(k, state);
    }
    for (const s of states.values()) startWorker(s.leader);
  };

  const timers: NodeJS.Timeout[] = [];
  /**
   * Runs `fn` every `ms`. Housekeeping (topic refresh, progress) survives a failed round: it is logged
   * and tried again next time (a late progress write only widens the at-least-once window).
   */
  const every = (ms: number, what: string, fn: () => Promise<void>) => {
    let busy = false;
    timers.push(
      setInterval(() => {
        if (busy || stop.signal.aborted) return;
        busy = true;
        fn()
          .catch((error: unknown) =>
            log(`mirror: ${what} failed, retrying in ${ms} ms: ${(error as Error).message}`),
          )
          .finally(() => {
            busy = false;
          });
      }, ms),
    );
  };
  let lastRecords = 0;
  let lastAt = Date.now();
  const stats = async (): Promise<void> => {
    const now = Date.now();
    const rate = ((summary.records - lastRecords) * 1000) / Math.max(1, now - lastAt);
    lastRecords = summary.records;
    lastAt = now;
    const lags = [...states.values()]
      .map((s) => [`${s.topic}-${s.partition}`, s.highWatermark - s.position] as const)
      .filter(([, lag]) => lag > 0n);
    const total = lags.reduce((a, [, l]) => a + l, 0n);
    const shown = lags
      .slice(0, 10)
      .map(([n, l]) => `${n}=${l}`)
      .join(' ');
    log(
      `mirror: ${Math.round(rate)} records/s, ${summary.records} records copied, lag ${total}${shown ? ` (${shown})` : ''}`,
    );
  };

  const view: MirrorView = {
    source,
    target,
    sourceAlias: options.sourceAlias,
    targetAlias: options.targetAlias,
    policy,
    signal: stop.signal,
    partitions: () => states.values(),
    translate: (topic, partition, g) => {
      const s = states.get(key(topic, partition));
      const map = segments.get(topic, partition) ?? new SegmentMap();
      // After every acknowledge the mirror's position continues at expectDown (see acknowledge).
      return map.translate(g, s ? { up: s.position, down: s.expectDown } : undefined);
    },
    onCopied: (listener) => copiedListeners.push(listener),
    log,
  };
  let extensions: MirrorExtension[] = [];

  try {
    await refresh();
    extensions = (options.extensions ?? []).map((make) => make(view));
    for (const e of extensions) every(e.intervalMs, e.name, () => e.tick());
    every(options.refreshIntervalMs ?? 30_000, 'topic refresh', refresh);
    every(options.progressIntervalMs ?? 1_000, 'progress write', flushProgress);
    if (options.statsIntervalMs !== 0) every(options.statsIntervalMs ?? 10_000, 'stats', stats);
    await new Promise<void>((resolve) => {
      if (stop.signal.aborted) resolve();
      else stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } catch (error) {
    fail(error);
  } finally {
    for (const t of timers) clearInterval(t);
    signal.removeEventListener('abort', onAbort);
  }
  // Stop: let every fetch loop finish its produce, then write the syncs and progress they cover.
  while (workers.size > 0) await Promise.all([...workers.values()]);
  // Even after a failure, what was acknowledged is worth recording (a failed write changes nothing).
  await flushProgress().catch((error: unknown) => fail(error));
  // Extensions last: checkpoints written now translate with everything this run copied.
  for (const e of extensions) {
    await (e.close ? e.close() : e.tick()).catch((error: unknown) =>
      log(`mirror: ${e.name} on stop failed: ${(error as Error).message}`),
    );
  }
  summary.offsetSyncs = syncs.written;
  if (fatal !== undefined) throw fatal;
  summary.partitions = [...states.values()].map((s) => ({
    topic: s.topic,
    partition: s.partition,
    targetTopic: s.targetTopic,
    position: s.position,
    highWatermark: s.highWatermark,
  }));
  return summary;
}
