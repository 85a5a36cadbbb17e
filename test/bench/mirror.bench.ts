// kt mirror vs MirrorMaker 2 vs kcat pipes, source and target both a real Apache Kafka from the harness
// (`bench` and `bench-target`). Bulk copy: 1M records (KT_BENCH_MIRROR_RECORDS to shrink) of 100 B and of
// 1 KiB over 6 partitions, pre-filled once; each call copies the whole topic from scratch under fresh
// aliases and is timed from spawn to the moment the target's end offsets add up to the source's (and, to
// leave start-up out, from 10% to 90% of the records on the target). Live phase: each tool runs caught up
// on an empty topic while records stamped with their send time are produced at a fixed rate; a consumer on
// the target turns receive − send into latency p50/p99. Method: README.md.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import { type CaseFn, commandPeer, defineBench, latencySummary, mbPerSec, nowMs, peer } from './lib/index.js';
import { type BenchKafka, startBenchKafka } from './lib/kafka.js';
import {
  connectCluster,
  consumeLatencies,
  createTopic,
  deleteTopicsContaining,
  endOffsets,
  endOffsetsNow,
  prefillTopic,
  produceAtFixedRate,
  produceProbes,
} from './lib/mirror-kafka.js';
import {
  KT_BIN,
  type RunningTool,
  startKcatPipes,
  startKtMirror,
  startMirrorMaker2,
} from './lib/mirror-tools.js';

const PARTITIONS = 6;
const RECORD_SIZES = [100, 1024] as const;
const RECORDS = positiveIntFromEnv('KT_BENCH_MIRROR_RECORDS', 1_000_000);
const LATENCY_RECORDS = positiveIntFromEnv('KT_BENCH_MIRROR_LATENCY_RECORDS', 10_000);
const LATENCY_RECORDS_PER_SEC = 2_500;
const LATENCY_RECORD_BYTES = 100;
/** Set to a folder to write a V8 CPU profile of every kt mirror process there (--cpu-prof). */
const CPU_PROF_DIR = process.env.KT_BENCH_MIRROR_CPU_PROF;
const POLL_MS = 25;
const COPY_TIMEOUT_MS = 900_000;
const CATCH_UP_TIMEOUT_MS = 180_000;
const PROBE_INTERVAL_MS = 200;
/** Names this run's pre-filled source topics (and only those), for the teardown. */
const PREFILL_TAG = `bench-mirror-${process.pid}-`;

type Tool = 'kt' | 'mm2' | 'kcat';

interface Filled {
  readonly topic: string;
  readonly records: number;
  readonly bytes: number;
}

interface Ctx {
  readonly source: BenchKafka;
  readonly target: BenchKafka;
  readonly sourceClient: ClusterClient;
  readonly targetClient: ClusterClient;
  readonly dir: string;
  readonly filled: Map<number, Filled>;
  seq: number;
}

function positiveIntFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < PARTITIONS) throw new Error(`${name} must be an integer >= ${PARTITIONS}`);
  return n;
}

const count = (n: number): string =>
  n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
const sizeName = (bytes: number): string => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`);
const sizeKey = (bytes: number): string => (bytes % 1024 === 0 ? `${bytes / 1024}kib` : `${bytes}b`);
const log = (line: string): void => {
  process.stderr.write(`[mirror] ${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Fresh aliases per call (so every tool copies from scratch) that also name everything the call creates. */
function aliases(ctx: Ctx, tool: Tool): { tag: string; sourceAlias: string; targetAlias: string } {
  const tag = `bm${process.pid}${tool}${++ctx.seq}`;
  return { tag, sourceAlias: `${tag}s`, targetAlias: `${tag}t` };
}

async function startTool(
  ctx: Ctx,
  tool: Tool,
  topic: string,
  a: ReturnType<typeof aliases>,
  follow: boolean,
): Promise<{ running: RunningTool; targetTopic: string }> {
  const flow = {
    source: ctx.source.bootstrap,
    target: ctx.target.bootstrap,
    topic,
    sourceAlias: a.sourceAlias,
    targetAlias: a.targetAlias,
  };
  if (tool === 'kt') {
    const prof = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    return { running: startKtMirror(flow, prof), targetTopic: `${a.sourceAlias}.${topic}` };
  }
  if (tool === 'mm2') {
    return {
      running: await startMirrorMaker2(flow, PARTITIONS, ctx.dir),
      targetTopic: `${a.sourceAlias}.${topic}`,
    };
  }
  // kcat -P cannot create a topic with 6 partitions; creating it counts as part of the copy.
  const targetTopic = `${a.sourceAlias}.${topic}`;
  await createTopic(ctx.targetClient, targetTopic, PARTITIONS);
  const running = startKcatPipes({
    source: ctx.source.bootstrap,
    target: ctx.target.bootstrap,
    topic,
    targetTopic,
    partitions: PARTITIONS,
    follow,
  });
  return { running, targetTopic };
}

/** When the target's summed end offsets first reached 10%, 90% and 100% of the total (monotonic ms). */
interface Crossings {
  readonly tenthMs: number;
  readonly ninetiethMs: number;
  readonly lastMs: number;
}

/** Polls the target every POLL_MS until its end offsets add up to `total`; fails fast when the tool dies. */
async function waitForTarget(
  ctx: Ctx,
  running: RunningTool,
  targetTopic: string,
  total: bigint,
  timeoutMs: number,
): Promise<Crossings> {
  const deadline = nowMs() + timeoutMs;
  let tenthMs: number | undefined;
  let ninetiethMs: number | undefined;
  for (;;) {
    const offsets = await endOffsetsNow(ctx.targetClient, targetTopic, PARTITIONS);
    const sum = offsets.reduce((a, b) => a + b, 0n);
    const at = nowMs();
    if (sum * 10n >= total) tenthMs ??= at;
    if (sum * 10n >= total * 9n) ninetiethMs ??= at;
    if (sum >= total) return { tenthMs: tenthMs ?? at, ninetiethMs: ninetiethMs ?? at, lastMs: at };
    checkRunning(running, `${sum} of ${total} records copied`);
    if (at > deadline) throw new Error(`${running.name}: ${sum} of ${total} records after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

/** Throws when the tool died (with its stderr tail) or ended early. */
function checkRunning(running: RunningTool, progress: string): void {
  const failure = running.failure();
  if (failure !== undefined) throw new Error(`${failure} (${progress})`);
  if (running.exited()) throw new Error(`${running.name} exited early (${progress})`);
}

/** Polls the target until every partition holds at least one record: the tool copies all of them. */
async function waitForEveryPartition(
  ctx: Ctx,
  running: RunningTool,
  targetTopic: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const offsets = await endOffsetsNow(ctx.targetClient, targetTopic, PARTITIONS);
    const reached = offsets.filter((o) => o > 0n).length;
    if (reached === PARTITIONS) return;
    checkRunning(running, `${reached} of ${PARTITIONS} partitions live`);
    if (nowMs() > deadline) {
      throw new Error(`${running.name}: ${reached} of ${PARTITIONS} partitions live after ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
}

/** Removes what one call created on both clusters (target topic, internal topics), outside the clock. */
async function cleanUp(ctx: Ctx, tag: string): Promise<void> {
  await deleteTopicsContaining(ctx.targetClient, tag);
  await deleteTopicsContaining(ctx.sourceClient, tag);
}

function copyCase(ctx: Ctx, tool: Tool, recordBytes: number): CaseFn {
  return async () => {
    const filled = ctx.filled.get(recordBytes)!;
    const a = aliases(ctx, tool);
    const startMs = nowMs();
    const { running, targetTopic } = await startTool(ctx, tool, filled.topic, a, false);
    try {
      const at = await waitForTarget(ctx, running, targetTopic, BigInt(filled.records), COPY_TIMEOUT_MS);
      const key = sizeKey(recordBytes);
      return {
        [`copy_${key}_mb_per_s`]: mbPerSec(filled.bytes, (at.lastMs - startMs) / 1000),
        // Below a poll interval the crossing times cannot tell durations apart: one interval is the floor.
        [`copy_${key}_steady_mb_per_s`]: mbPerSec(
          filled.bytes * 0.8,
          Math.max(at.ninetiethMs - at.tenthMs, POLL_MS) / 1000,
        ),
      };
    } finally {
      await running.stop();
      await cleanUp(ctx, a.tag);
    }
  };
}

function latencyCase(ctx: Ctx, tool: Tool): CaseFn {
  return async () => {
    const a = aliases(ctx, tool);
    const topic = `bench-mirror-live-${a.tag}`;
    await createTopic(ctx.sourceClient, topic, PARTITIONS);
    let running: RunningTool | undefined;
    let probes: NodeJS.Timeout | undefined;
    try {
      const started = await startTool(ctx, tool, topic, a, true);
      running = started.running;
      // A probe per partition every PROBE_INTERVAL_MS until the end: caught up means a probe reached every
      // target partition; afterwards the trickle pushes out each pipe's last line (kcat -P 1.7.1 hands a
      // line to librdkafka only once the next input arrives). Probes carry no send time: not measured.
      let probeFailure: unknown;
      probes = setInterval(() => {
        produceProbes(ctx.sourceClient, topic, PARTITIONS).catch((error: unknown) => {
          probeFailure ??= error;
        });
      }, PROBE_INTERVAL_MS);
      await waitForEveryPartition(ctx, running, started.targetTopic, CATCH_UP_TIMEOUT_MS);
      if (probeFailure !== undefined) throw probeFailure;
      const from = await endOffsets(ctx.targetClient, started.targetTopic, PARTITIONS);
      const consumer = consumeLatencies(
        ctx.targetClient,
        started.targetTopic,
        from,
        LATENCY_RECORDS,
        (LATENCY_RECORDS / LATENCY_RECORDS_PER_SEC) * 1000 + 120_000,
      );
      consumer.done.catch(() => undefined); // awaited below; a failure must not be an unhandled rejection meanwhile
      try {
        await produceAtFixedRate(ctx.sourceClient, topic, {
          records: LATENCY_RECORDS,
          recordsPerSec: LATENCY_RECORDS_PER_SEC,
          recordBytes: LATENCY_RECORD_BYTES,
          partitions: PARTITIONS,
        });
      } catch (error) {
        consumer.stop();
        await consumer.done.catch(() => undefined);
        throw error;
      }
      const summary = latencySummary(await consumer.done);
      const failure = running.failure();
      if (failure !== undefined) throw new Error(failure);
      return { latency_p50_ms: summary.p50, latency_p99_ms: summary.p99 };
    } finally {
      clearInterval(probes);
      await running?.stop();
      await cleanUp(ctx, a.tag);
    }
  };
}

/**
 * The harness keys a multi-metric sample by metric name and every JSON line's metric must say its peer, so
 * the same kt case serves the MM2 and the kcat comparison with its figures renamed `<metric>_vs_<peer>`.
 */
function suffixed(run: CaseFn, vs: string): CaseFn {
  return async (c) => {
    const sample = (await run(c)) as Record<string, number>;
    return Object.fromEntries(Object.entries(sample).map(([k, v]) => [`${k}_vs_${vs}`, v]));
  };
}

/** bin/run.js runs dist/: warn when src/mirror is newer than its build, the figures would be stale. */
async function warnIfStaleBuild(): Promise<void> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  if (KT_BIN !== join(root, 'bin/run.js')) {
    log(`kt under test: ${KT_BIN}`);
    return;
  }
  try {
    const built = (await stat(join(root, 'dist/src/mirror/run.js'))).mtimeMs;
    const source = (await stat(join(root, 'src/mirror/run.ts'))).mtimeMs;
    if (source > built) log('warning: src/mirror/run.ts is newer than dist/: run `npm run build` first');
  } catch {
    log('warning: dist/src/mirror/run.js missing: run `npm run build` first');
  }
}

export default defineBench<Ctx>({
  description: `kt mirror vs MirrorMaker 2 vs kcat pipes on real Apache Kafka → real Apache Kafka: ${count(RECORDS)} records of ${RECORD_SIZES.map(sizeName).join(' and ')} over ${PARTITIONS} partitions (MB/s), then ${count(LATENCY_RECORDS)} live records at ${LATENCY_RECORDS_PER_SEC}/s (latency ms)`,
  rounds: 3,
  warmup: 1,
  async setup() {
    await warnIfStaleBuild();
    const source = await startBenchKafka();
    let target: BenchKafka | undefined;
    let sourceClient: ClusterClient | undefined;
    let targetClient: ClusterClient | undefined;
    try {
      target = await startBenchKafka({ name: 'bench-target' });
      sourceClient = await connectCluster(source.bootstrap);
      targetClient = await connectCluster(target.bootstrap);
      const dir = await mkdtemp(join(tmpdir(), 'kt-bench-mirror-'));
      const ctx: Ctx = { source, target, sourceClient, targetClient, dir, filled: new Map(), seq: 0 };
      for (const recordBytes of RECORD_SIZES) {
        const topic = `${PREFILL_TAG}${sizeKey(recordBytes)}`;
        const t = nowMs();
        await createTopic(sourceClient, topic, PARTITIONS);
        await prefillTopic(sourceClient, topic, PARTITIONS, RECORDS, recordBytes);
        const seconds = (nowMs() - t) / 1000;
        log(`pre-filled ${topic}: ${count(RECORDS)} x ${sizeName(recordBytes)} in ${seconds.toFixed(1)} s`);
        ctx.filled.set(recordBytes, { topic, records: RECORDS, bytes: RECORDS * recordBytes });
      }
      return ctx;
    } catch (error) {
      if (sourceClient) await deleteTopicsContaining(sourceClient, PREFILL_TAG).catch(() => undefined);
      await sourceClient?.close().catch(() => undefined);
      await targetClient?.close().catch(() => undefined);
      await target?.stop();
      await source.stop();
      throw error;
    }
  },
  async teardown(ctx) {
    await deleteTopicsContaining(ctx.sourceClient, PREFILL_TAG).catch(() => undefined);
    await ctx.sourceClient.close().catch(() => undefined);
    await ctx.targetClient.close().catch(() => undefined);
    await rm(ctx.dir, { recursive: true, force: true });
    await ctx.target.stop();
    await ctx.source.stop();
  },
  comparisons: (ctx) => {
    const mm2Name = `MirrorMaker 2 (${PARTITIONS} tasks)`;
    const kcatName = `kcat -C | kcat -P (${PARTITIONS} pipes)`;
    const copies = RECORD_SIZES.flatMap((recordBytes) => {
      const key = sizeKey(recordBytes);
      const label = `copy ${count(RECORDS)} x ${sizeName(recordBytes)}, ${PARTITIONS} partitions`;
      const metrics = (vs: string) => [
        { name: `copy_${key}_mb_per_s_vs_${vs}`, unit: 'MB/s', better: 'higher' as const },
        { name: `copy_${key}_steady_mb_per_s_vs_${vs}`, unit: 'MB/s', better: 'higher' as const },
      ];
      const kt = copyCase(ctx, 'kt', recordBytes);
      return [
        {
          label,
          metrics: metrics('mm2'),
          kt: { name: 'kt mirror run', run: suffixed(kt, 'mm2') },
          peer: peer(mm2Name, suffixed(copyCase(ctx, 'mm2', recordBytes), 'mm2')),
        },
        {
          label,
          metrics: metrics('kcat'),
          kt: { name: 'kt mirror run', run: suffixed(kt, 'kcat') },
          peer: commandPeer(kcatName, 'kcat', suffixed(copyCase(ctx, 'kcat', recordBytes), 'kcat')),
        },
      ];
    });
    const latencyLabel = `latency, ${count(LATENCY_RECORDS)} x ${sizeName(LATENCY_RECORD_BYTES)} at ${LATENCY_RECORDS_PER_SEC}/s`;
    const latencyMetrics = (vs: string) => [
      { name: `latency_p50_ms_vs_${vs}`, unit: 'ms', better: 'lower' as const },
      { name: `latency_p99_ms_vs_${vs}`, unit: 'ms', better: 'lower' as const },
    ];
    return [
      ...copies,
      {
        label: latencyLabel,
        metrics: latencyMetrics('mm2'),
        kt: { name: 'kt mirror run', run: suffixed(latencyCase(ctx, 'kt'), 'mm2') },
        peer: peer(mm2Name, suffixed(latencyCase(ctx, 'mm2'), 'mm2')),
      },
      {
        label: latencyLabel,
        metrics: latencyMetrics('kcat'),
        kt: { name: 'kt mirror run', run: suffixed(latencyCase(ctx, 'kt'), 'kcat') },
        peer: commandPeer(kcatName, 'kcat', suffixed(latencyCase(ctx, 'kcat'), 'kcat')),
      },
    ];
  },
});
