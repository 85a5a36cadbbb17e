// The shapes a bench file declares. Documented with an example in index.ts.
import type { Better } from './stats.js';

/** Passed to every case call so a case can, e.g., use a fresh topic or folder per call. */
export interface CaseContext {
  /** 0-based round number; warm-up calls have warmup=true and count their own rounds from 0. */
  readonly round: number;
  readonly warmup: boolean;
}

/**
 * What one case call returns: the measured value of the comparison's only metric, or, for a comparison with
 * several metrics, an object with one number per metric name (e.g. { records_per_s: …, p99_ms: … }).
 */
export type Sample = number | Readonly<Record<string, number>>;

/** One case: does the work (or times a command) and returns the measured value(s). */
export type CaseFn = (ctx: CaseContext) => Promise<Sample> | Sample;

/** A named case. A bare CaseFn on the kt side is labelled "kt". */
export interface Case {
  readonly name: string;
  readonly run: CaseFn;
}

/** A peer that could not run (tool not installed, feature missing): reported with the reason, value null. */
export interface SkippedPeer {
  readonly name: string;
  readonly skip: string;
}

export type Peer = Case | SkippedPeer;

export interface Metric {
  /** snake_case, unit in the name where it helps: 'produce_records_per_s', 'metadata_wall_ms'. */
  readonly name: string;
  /** Shown in the table: 'records/s', 'MB/s', 'ms'. */
  readonly unit: string;
  /** 'higher' for throughput, 'lower' for times; the JSON ratio is oriented so > 1 means kt is better. */
  readonly better: Better;
}

/** kt and one peer doing the same work, measured the same way, yielding one or more figures. */
export interface Comparison {
  /** Row label in the table, e.g. 'produce 100 B x 1M records'. Defaults to the metric names. */
  readonly label?: string;
  readonly metrics: readonly Metric[];
  readonly kt: CaseFn | Case;
  readonly peer: Peer;
}

export interface BenchDef<Ctx = undefined> {
  /** One line shown before the table. */
  readonly description?: string;
  /** Measured rounds per case (default 3, at least 3 for figures you report; overridden by --rounds). */
  readonly rounds?: number;
  /** Discarded calls per case before measuring (default 1; overridden by --warmup). */
  readonly warmup?: number;
  /** Start what the cases need (a broker, files). Throw skipBench(reason) if it cannot run here. */
  readonly setup?: () => Promise<Ctx> | Ctx;
  /** Always called after setup succeeded, also when a case failed or on Ctrl-C. */
  readonly teardown?: (ctx: Ctx) => Promise<void> | void;
  /** The comparisons to run, in order, given what setup returned. */
  readonly comparisons: (ctx: Ctx) => readonly Comparison[] | Promise<readonly Comparison[]>;
}

/** What the harness computed for one figure; one JSON line each. */
export interface FigureResult {
  readonly bench: string;
  readonly metric: string;
  readonly unit: string;
  readonly better: Better;
  readonly kt: number;
  readonly peer: string;
  readonly peerValue: number | null;
  readonly ratio: number | null;
  readonly rounds: number;
  /** Present only when the peer was skipped. */
  readonly reason?: string;
}
