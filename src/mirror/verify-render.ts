/** Text rendering of a `kt mirror verify` report: a partition table, each partition's findings, a verdict. */
import { formatTable } from '../cli/output.js';
import type { PartitionVerification, VerifyReport } from './verify.js';

const span = (from: bigint, to: bigint): string => (from === to ? `${from}` : `${from}..${to}`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The findings of one partition, one line each (the text output). */
export function describeFindings(p: PartitionVerification): string[] {
  const lines: string[] = [];
  if (p.targetPartitionMissing) lines.push(`target partition ${p.targetTopic}-${p.partition} does not exist`);
  for (const r of p.missingRanges) {
    const what = r.count === 1 ? 'source offset' : 'source offsets';
    lines.push(
      `missing ${what} ${span(r.sourceFrom, r.sourceTo)} (${plural(r.count, 'record')})${r.trailing ? ', up to the source end: is the mirror behind?' : ''}`,
    );
  }
  for (const r of p.duplicatedRanges) {
    const what = r.count === 1 ? 'source offset' : 'source offsets';
    lines.push(
      r.count === 1
        ? `duplicated ${what} ${r.sourceFrom} (target offsets ${r.targetFrom}, ${r.duplicateFrom})`
        : `duplicated ${what} ${span(r.sourceFrom, r.sourceTo)} (${plural(r.count, 'record')}; target offsets ${span(r.targetFrom, r.targetTo)}, again at ${span(r.duplicateFrom, r.duplicateTo)})`,
    );
  }
  for (const r of p.divergingRanges) {
    lines.push(
      `diverging at source ${span(r.sourceFrom, r.sourceTo)} / target ${span(r.targetFrom, r.targetTo)}: ${r.fields.join(', ')} differ${r.fields.length === 1 && r.fields[0] !== 'headers' ? 's' : ''}`,
    );
  }
  for (const r of p.unexpectedRanges) {
    lines.push(
      `unexpected target ${r.count === 1 ? 'offset' : 'offsets'} ${span(r.targetFrom, r.targetTo)} (${plural(r.count, 'record')} not from the source)`,
    );
  }
  if (p.rangesTruncated) lines.push('(more ranges not listed; the counts are complete)');
  return lines;
}

/** What failed, e.g. `1 of 2 partitions differs (1 missing, 1 diverging)`; '' when the check passed. */
export function failureSummary(report: VerifyReport): string {
  const t = report.totals;
  if (report.ok) return '';
  const parts = [
    t.missing > 0 ? `${t.missing} missing` : '',
    t.diverging > 0 ? `${t.diverging} diverging` : '',
    t.unexpected > 0 ? `${t.unexpected} unexpected` : '',
    report.failOnDuplicates && t.duplicated > 0 ? `${t.duplicated} duplicated` : '',
    t.targetPartitionsMissing > 0 ? `${plural(t.targetPartitionsMissing, 'target partition')} missing` : '',
  ].filter((x) => x !== '');
  const verb = t.partitionsFailed === 1 ? 'differs' : 'differ';
  return `${t.partitionsFailed} of ${plural(t.partitions, 'partition')} ${verb} (${parts.join(', ')})`;
}

/** The overall verdict line. */
export function verdict(report: VerifyReport): string {
  const t = report.totals;
  if (report.ok) {
    const dups = t.duplicated > 0 ? `; ${plural(t.duplicated, 'duplicate')} (at-least-once re-copies)` : '';
    return `OK: all ${plural(t.sourceRecords, 'source record')} of ${plural(t.partitions, 'partition')} are on the target${dups}`;
  }
  return `FAILED: ${failureSummary(report)}`;
}

/** The text output: a table of partitions, each partition's findings, the verdict. */
export function renderVerifyText(report: VerifyReport): string {
  const table = formatTable({
    head: [
      'TOPIC',
      'PARTITION',
      'TARGET TOPIC',
      'SOURCE',
      'TARGET',
      'MATCHED',
      'MISSING',
      'DUPLICATED',
      'DIVERGING',
      'UNEXPECTED',
      'STATUS',
    ],
    rows: report.partitions.map((p) => [
      p.topic,
      p.partition,
      p.targetTopic,
      p.source.records,
      p.target === null ? 'no partition' : p.target.records,
      p.matched,
      p.missing,
      p.duplicated,
      p.diverging,
      p.unexpected,
      p.ok ? 'ok' : 'FAILED',
    ]),
    alignRight: [1, 3, 4, 5, 6, 7, 8, 9],
  });
  const findings = report.partitions.flatMap((p) => {
    const lines = describeFindings(p);
    return lines.length === 0
      ? []
      : [`${p.topic}-${p.partition} → ${p.targetTopic}-${p.partition}:`, ...lines.map((l) => `  ${l}`)];
  });
  return `${table}${findings.length > 0 ? `\n${findings.join('\n')}\n` : ''}\n${verdict(report)}\n`;
}
