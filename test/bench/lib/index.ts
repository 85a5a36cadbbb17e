/**
 * kt benchmark harness: the API every test/bench/NAME.bench.ts is written against. Stable; add, don't change.
 *
 * A bench file default-exports defineBench({...}). `npm run bench -- NAME` runs it in its own child process:
 * setup() → for each comparison: `warmup` discarded calls, then `rounds` (default 3) measured rounds with kt
 * and the peer interleaved (alternating who goes first) → teardown() → a table (min/median/max) on stdout,
 * then, as the LAST lines, one JSON object per figure:
 *   {"bench":"NAME","metric":"…","unit":"…","better":"higher|lower","kt":<median>,"peer":"<name>",
 *    "peerValue":<median|null>,"ratio":<oriented: >1 means kt better|null>,"rounds":3[,"reason":"…"]}
 * Progress goes to stderr. A case returns the value it measured (you decide what is inside the clock), so
 * per-round setup such as a fresh topic or folder stays outside the measurement.
 *
 * Example (test/bench/example.bench.ts):
 *
 *   import { commandPeer, defineBench, mbPerSec, nowMs, skipBench, timeCommand, which } from './lib/index.js';
 *
 *   export default defineBench({
 *     description: 'write 64 MiB: kt log append vs dd',
 *     rounds: 3, // optional; --rounds N overrides
 *     warmup: 1,
 *     async setup() {
 *       if (!which('dd')) skipBench('dd not installed'); // whole bench skipped: prints {"bench","skipped"}
 *       return { dir: await makeTempDir() };
 *     },
 *     async teardown(ctx) { await removeDir(ctx.dir); },
 *     comparisons: (ctx) => [
 *       {
 *         label: 'append 64 MiB, 1 MiB batches',
 *         metrics: [{ name: 'append_mb_per_s', unit: 'MB/s', better: 'higher' }],
 *         kt: async ({ round }) => {
 *           const log = openLog(`${ctx.dir}/kt-${round}`);   // setup outside the clock
 *           const start = nowMs();
 *           appendAll(log);
 *           return mbPerSec(64 * 2 ** 20, (nowMs() - start) / 1000);
 *         },
 *         // Skipped with a printed reason (and peerValue null) if `dd` is not on PATH; a peer that throws
 *         // is dropped the same way ("peer failed: …"). A kt case that throws fails the bench.
 *         peer: commandPeer('dd', 'dd', async ({ round }) => {
 *           const ms = await timeCommand('dd', ['if=/dev/zero', `of=${ctx.dir}/dd-${round}`, 'bs=1M', 'count=64']);
 *           return mbPerSec(64 * 2 ** 20, ms / 1000);
 *         }),
 *       },
 *       {
 *         // Several figures from one run: return an object keyed by metric name.
 *         label: 'produce 100 B records',
 *         metrics: [
 *           { name: 'produce_records_per_s', unit: 'records/s', better: 'higher' },
 *           { name: 'produce_p99_ms', unit: 'ms', better: 'lower' },
 *         ],
 *         kt: { name: 'kt produce', run: async () => ({ produce_records_per_s: 1e5, produce_p99_ms: 3 }) },
 *         peer: skipPeer('ProducerPerformance', 'no Java on this machine'),
 *       },
 *     ],
 *   });
 *
 * Helpers: timeCommand (spawn, wall ms, stdin/stdout from/to /dev/null or files), timeIt, nowMs, throughput,
 * mbPerSec (MB = 10^6 B), percentile / latencySummary (nearest-rank p50/p99/max), which, peer / skipPeer /
 * commandPeer, skipBench. A real Apache Kafka as common ground: `startBenchKafka()` from './lib/kafka.js'
 * (returns { bootstrap, stop }; skips the bench with the reason when Java/jars are missing); Java tools as
 * peers: timeKafkaTool (wall ms, JVM start included) and runKafkaTool (parse the tool's own report), same module.
 * Rules: benchmarks never run in CI; no test asserts a time (see ../README.md).
 */
import { which } from './measure.js';
import type { BenchDef, CaseFn, Peer } from './types.js';

export { CommandFailedError, nowMs, type TimeCommandOptions, timeCommand, timeIt, which } from './measure.js';
export { jsonLine, renderTable } from './report.js';
export {
  BenchSkipError,
  DEFAULT_ROUNDS,
  DEFAULT_WARMUP,
  type RunOptions,
  runBench,
  skipBench,
} from './runner.js';
export {
  type Better,
  type LatencySummary,
  latencySummary,
  mbPerSec,
  percentile,
  ratioOf,
  type Summary,
  summarize,
  throughput,
} from './stats.js';
export type {
  BenchDef,
  Case,
  CaseContext,
  CaseFn,
  Comparison,
  FigureResult,
  Metric,
  Peer,
  Sample,
  SkippedPeer,
} from './types.js';

/** Identity with type inference for the setup context: `export default defineBench({ ... })`. */
export function defineBench<Ctx = undefined>(def: BenchDef<Ctx>): BenchDef<Ctx> {
  return def;
}

/** A runnable peer case. */
export function peer(name: string, run: CaseFn): Peer {
  return { name, run };
}

/** A peer that cannot run here; reported with the reason and peerValue null. */
export function skipPeer(name: string, reason: string): Peer {
  return { name, skip: reason };
}

/** A peer that needs an executable on PATH: runnable if found, otherwise skipped with "X not found on PATH". */
export function commandPeer(name: string, command: string, run: CaseFn): Peer {
  return which(command) === null ? skipPeer(name, `${command} not found on PATH`) : peer(name, run);
}
