// Runs one bench definition: setup, per comparison a warm-up then interleaved kt/peer rounds, teardown,
// then the table and the JSON lines (JSON last, so `| tail -n N` picks the figures).
import { type FigureRow, jsonLine, renderTable, skippedBenchLine } from './report.js';
import { formatNumber, ratioOf, summarize } from './stats.js';
import type { BenchDef, Case, CaseFn, Comparison, FigureResult, Metric, Peer, SkippedPeer } from './types.js';

/** Thrown by skipBench(): the bench cannot run on this machine; not a failure. */
export class BenchSkipError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BenchSkipError';
  }
}

/** Call from setup (or comparisons) when the bench cannot run here; prints the reason, exits 0. */
export function skipBench(reason: string): never {
  throw new BenchSkipError(reason);
}

export interface RunOptions {
  /** Overrides the bench's own rounds (from --rounds / KT_BENCH_ROUNDS). */
  readonly rounds?: number;
  readonly warmup?: number;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
  /** Table and JSON lines (default: stdout). */
  readonly out?: (line: string) => void;
}

export const DEFAULT_ROUNDS = 3;
export const DEFAULT_WARMUP = 1;

function isSkipped(peer: Peer): peer is SkippedPeer {
  return 'skip' in peer;
}

function asCase(kt: CaseFn | Case): Case {
  return typeof kt === 'function' ? { name: 'kt', run: kt } : kt;
}

/** Normalise a case's return value to one finite number per metric, or throw saying what is wrong. */
export function sampleValues(caseName: string, metrics: readonly Metric[], sample: unknown): number[] {
  if (typeof sample === 'number') {
    if (metrics.length !== 1) {
      throw new TypeError(`${caseName} returned one number but the comparison has ${metrics.length} metrics`);
    }
    if (!Number.isFinite(sample)) throw new TypeError(`${caseName} returned ${sample}`);
    return [sample];
  }
  if (typeof sample !== 'object' || sample === null) {
    throw new TypeError(`${caseName} returned ${String(sample)}, expected a number or { metric: number }`);
  }
  const record = sample as Record<string, unknown>;
  return metrics.map((m) => {
    const v = record[m.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`${caseName} returned no finite number for metric ${m.name}`);
    }
    return v;
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Thrown between case calls once Ctrl-C / SIGTERM arrived, so no new work starts during teardown. */
class BenchAbortedError extends Error {}

async function runComparison(
  bench: string,
  cmp: Comparison,
  rounds: number,
  warmup: number,
  log: (line: string) => void,
  aborted: () => boolean,
): Promise<FigureRow[]> {
  if (cmp.metrics.length === 0) throw new TypeError(`bench ${bench}: a comparison has no metrics`);
  const label = cmp.label ?? cmp.metrics.map((m) => m.name).join(', ');
  const kt = asCase(cmp.kt);
  const peer = cmp.peer;
  let peerSkip: string | undefined = isSkipped(peer) ? peer.skip : undefined;
  if (peerSkip !== undefined) log(`[${bench}] ${label}: peer ${peer.name} skipped: ${peerSkip}`);

  const ktValues: number[][] = cmp.metrics.map(() => []);
  const peerValues: number[][] = cmp.metrics.map(() => []);

  // A failing kt case fails the bench; a failing peer only loses its column, with the reason shown.
  const callKt = async (round: number, isWarmup: boolean): Promise<number[]> => {
    if (aborted()) throw new BenchAbortedError();
    return sampleValues(kt.name, cmp.metrics, await kt.run({ round, warmup: isWarmup }));
  };
  const callPeer = async (round: number, isWarmup: boolean): Promise<number[] | null> => {
    if (aborted()) throw new BenchAbortedError();
    if (peerSkip !== undefined || isSkipped(peer)) return null;
    try {
      return sampleValues(peer.name, cmp.metrics, await peer.run({ round, warmup: isWarmup }));
    } catch (err) {
      if (aborted()) throw err;
      peerSkip = `peer failed: ${errorMessage(err)}`;
      log(`[${bench}] ${label}: ${peer.name} ${peerSkip}`);
      return null;
    }
  };

  for (let i = 0; i < warmup; i++) {
    // Warm-up runs both sides in the same alternating order as the rounds; results are dropped.
    if (i % 2 === 0) {
      await callKt(i, true);
      await callPeer(i, true);
    } else {
      await callPeer(i, true);
      await callKt(i, true);
    }
  }
  for (let r = 0; r < rounds; r++) {
    // Interleave and alternate who goes first, so machine drift and cache warmth hit both sides alike.
    let k: number[];
    let p: number[] | null;
    if (r % 2 === 0) {
      k = await callKt(r, false);
      p = await callPeer(r, false);
    } else {
      p = await callPeer(r, false);
      k = await callKt(r, false);
    }
    for (const [i, v] of k.entries()) ktValues[i]!.push(v);
    if (p !== null) for (const [i, v] of p.entries()) peerValues[i]!.push(v);
    const shown = cmp.metrics.map((m, i) => {
      const pv = p === null ? 'n/a' : formatNumber(p[i]!);
      return `${m.name} kt ${formatNumber(k[i]!)} / ${peer.name} ${pv} ${m.unit}`;
    });
    log(`[${bench}] ${label}: round ${r + 1}/${rounds}: ${shown.join('; ')}`);
  }

  return cmp.metrics.map((metric, i) => {
    const ktSummary = summarize(ktValues[i]!);
    // A peer that failed mid-run keeps no partial figures: fewer rounds than kt would not be a fair median.
    const peerSummary = peerSkip === undefined ? summarize(peerValues[i]!) : null;
    const peerValue = peerSummary?.median ?? null;
    const result: FigureResult = {
      bench,
      metric: metric.name,
      unit: metric.unit,
      better: metric.better,
      kt: ktSummary.median,
      peer: peer.name,
      peerValue,
      ratio: ratioOf(ktSummary.median, peerValue, metric.better),
      rounds,
      ...(peerSkip === undefined ? {} : { reason: peerSkip }),
    };
    return {
      label,
      metric,
      ktName: kt.name,
      kt: ktSummary,
      peerName: peer.name,
      peer: peerSummary,
      ...(peerSkip === undefined ? {} : { skipReason: peerSkip }),
      result,
    };
  });
}

function countFrom(name: string, value: number | undefined, fallback: number, min: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${n}`);
  return n;
}

/**
 * Run a bench and print its table and JSON lines. Resolves with the figures (empty when the bench skipped);
 * rejects when setup or a kt case fails (teardown has run by then, and figures of the comparisons that
 * completed before the failure have been printed).
 */
export async function runBench<Ctx>(
  bench: string,
  def: BenchDef<Ctx>,
  options: RunOptions = {},
): Promise<FigureResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rounds = countFrom('rounds', options.rounds ?? def.rounds, DEFAULT_ROUNDS, 1);
  const warmup = countFrom('warmup', options.warmup ?? def.warmup, DEFAULT_WARMUP, 0);
  if (rounds < 3) log(`[${bench}] note: ${rounds} round(s); report figures only from runs of 3 or more`);
  if (def.description) log(`[${bench}] ${def.description}`);

  // Ctrl-C / SIGTERM at any point: let a setup under way finish (so the broker it is starting can be
  // stopped), tear down exactly once, exit 130/143. A leaked broker would eat the shared 2-core machine.
  // A second signal more than 2 s after the first (the user insisting) exits at once.
  let ctx: Ctx | undefined;
  let ctxReady = false;
  let tornDown: Promise<void> | undefined;
  const teardown = (): Promise<void> => {
    if (!ctxReady) return Promise.resolve();
    tornDown ??= Promise.resolve().then(() => def.teardown?.(ctx as Ctx));
    return tornDown;
  };
  let signalled: NodeJS.Signals | undefined;
  let signalledAtMs = 0;
  const exitCodeFor = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) {
      if (Date.now() - signalledAtMs > 2000) process.exit(exitCodeFor(signal));
      return;
    }
    signalled = signal;
    signalledAtMs = Date.now();
    log(`[${bench}] ${signal}: ${ctxReady ? 'tearing down' : 'stopping once setup is done'}`);
    if (ctxReady) void teardown().finally(() => process.exit(exitCodeFor(signal)));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const rows: FigureRow[] = [];
  try {
    try {
      ctx = def.setup ? await def.setup() : undefined;
      ctxReady = true;
    } catch (err) {
      if (signalled !== undefined) process.exit(exitCodeFor(signalled));
      throw err;
    }
    if (signalled !== undefined) {
      await teardown();
      process.exit(exitCodeFor(signalled));
    }
    const comparisons = await def.comparisons(ctx as Ctx);
    for (const cmp of comparisons) {
      rows.push(...(await runComparison(bench, cmp, rounds, warmup, log, () => signalled !== undefined)));
    }
  } catch (err) {
    // After a signal, a case cut short by the teardown is not a failure; the signal handler exits.
    if (signalled !== undefined) {
      await teardown();
      return new Promise<never>(() => {});
    }
    if (!(err instanceof BenchSkipError)) {
      // Keep what earlier comparisons measured; the bench still fails.
      if (rows.length > 0) printFigures(bench, rows, out);
      throw err;
    }
    log(`[${bench}] skipped: ${err.reason}`);
    out(skippedBenchLine(bench, err.reason));
    return [];
  } finally {
    await teardown();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  printFigures(bench, rows, out);
  return rows.map((r) => r.result);
}

function printFigures(bench: string, rows: readonly FigureRow[], out: (line: string) => void): void {
  out(renderTable(bench, rows));
  for (const row of rows) out(jsonLine(row.result));
}
