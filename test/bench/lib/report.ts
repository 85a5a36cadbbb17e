// Rendering: the human table and the machine JSON lines. Pure functions of the results, for lib.test.ts.
import Table from 'cli-table3';
import { formatNumber, roundSig, type Summary } from './stats.js';
import type { FigureResult, Metric } from './types.js';

/** Everything the table shows for one figure (the JSON line carries only medians). */
export interface FigureRow {
  readonly label: string;
  readonly metric: Metric;
  readonly ktName: string;
  readonly kt: Summary;
  readonly peerName: string;
  /** null when the peer was skipped; then skipReason says why. */
  readonly peer: Summary | null;
  readonly skipReason?: string;
  readonly result: FigureResult;
}

/** The readable table: one kt row and one peer row per figure, ratio on the kt row. */
export function renderTable(bench: string, rows: readonly FigureRow[]): string {
  const table = new Table({
    head: ['comparison', 'case', 'min', 'median', 'max', 'unit', 'ratio'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left', 'right'],
    // No ANSI colours: bench output is meant to be pasted into reports and piped.
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    const { label, metric, kt, peer } = row;
    const ratio = row.result.ratio === null ? '-' : `${row.result.ratio.toFixed(2)}x`;
    table.push([
      { content: `${label}\n(${metric.better} is better)`, rowSpan: 2 },
      row.ktName,
      formatNumber(kt.min),
      formatNumber(kt.median),
      formatNumber(kt.max),
      { content: metric.unit, rowSpan: 2 },
      { content: ratio, rowSpan: 2 },
    ]);
    if (peer === null) {
      table.push([row.peerName, { content: `skipped: ${row.skipReason ?? 'no reason given'}`, colSpan: 3 }]);
    } else {
      table.push([row.peerName, formatNumber(peer.min), formatNumber(peer.median), formatNumber(peer.max)]);
    }
  }
  const rounds = rows[0]?.result.rounds ?? 0;
  return `bench ${bench}: medians of ${rounds} rounds; ratio > 1 means kt is better\n${table.toString()}`;
}

/** One JSON object per figure, field order fixed so lines diff cleanly between runs. */
export function jsonLine(result: FigureResult): string {
  const r = result;
  return JSON.stringify({
    bench: r.bench,
    metric: r.metric,
    unit: r.unit,
    better: r.better,
    kt: roundSig(r.kt),
    peer: r.peer,
    peerValue: r.peerValue === null ? null : roundSig(r.peerValue),
    ratio: r.ratio === null ? null : roundSig(r.ratio, 3),
    rounds: r.rounds,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
  });
}

/** The last line of a bench that could not run at all (e.g. no Java for a real-Kafka peer). */
export function skippedBenchLine(bench: string, reason: string): string {
  return JSON.stringify({ bench, skipped: reason });
}
