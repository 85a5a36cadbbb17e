// Pure number crunching for benchmarks: no I/O, no clocks, so lib.test.ts can check it exactly.

/** Min, median and max of a non-empty list of round values. */
export interface Summary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly count: number;
}

/** Which way a metric improves; decides how the kt/peer ratio is oriented. */
export type Better = 'higher' | 'lower';

function sortedCopy(values: readonly number[]): number[] {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`benchmark value is not a finite number: ${v}`);
  }
  return [...values].sort((a, b) => a - b);
}

/** Median of an even count is the mean of the two middle values. Throws on an empty list. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('cannot summarize zero values');
  const s = sortedCopy(values);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]!, count: s.length };
}

/**
 * Nearest-rank percentile (p in 0..100) of latency samples: the smallest sample with at least p% of the
 * samples at or below it. Nearest-rank always returns a real sample (no interpolation), which is what
 * "p99 = 3 ms" conventionally means. p=0 gives the minimum.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('cannot take a percentile of zero samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const s = sortedCopy(samples);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

/** p50/p99/max of latency samples (same unit in as out). */
export function latencySummary(samples: readonly number[]): LatencySummary {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
    count: samples.length,
  };
}

/** Amount per second: records/s from a record count, bytes/s from bytes. */
export function throughput(amount: number, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError(`throughput needs a positive duration, got ${seconds} s`);
  return amount / seconds;
}

/** MB/s with MB = 10^6 bytes (the unit used throughout perf.md). */
export function mbPerSec(bytes: number, seconds: number): number {
  return throughput(bytes, seconds) / 1e6;
}

/**
 * kt relative to the peer, oriented so that > 1 always means kt is better:
 * kt/peer for higher-is-better metrics (throughput), peer/kt for lower-is-better ones (latency, ms).
 * null when there is no peer value or a division would be meaningless.
 */
export function ratioOf(kt: number, peer: number | null, better: Better): number | null {
  if (peer === null) return null;
  const num = better === 'higher' ? kt : peer;
  const den = better === 'higher' ? peer : kt;
  if (den === 0 || !Number.isFinite(num / den)) return null;
  return num / den;
}

/** Round to a few significant digits for the JSON line; timing noise (±30%) makes more digits a lie. */
export function roundSig(value: number, digits = 4): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Human formatting for the table: thousands separators for big values, 2-3 significant decimals for small. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
