/** The human form of a `kt mirror failover` / `failback` result: the plan table, notes, warnings, outcome. */
import { formatTable } from '../cli/output.js';
import type { FailoverResult, PlanRow } from './failover-plan.js';

function ageText(ms: number | null): string {
  if (ms === null) return '?';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

/** What a partition may lose or re-read: the group's loss (aheadBy) or, source down, the RPO window. */
function atRiskText(r: Omit<PlanRow, 'group'>): string {
  const parts: string[] = [];
  if (r.aheadBy > 0n) parts.push(`${r.aheadBy} consumed, not on target`);
  if (r.checkpointAgeMs !== null) {
    parts.push(
      `source records from ${r.mirrorPosition ?? '?'} unknown (position ${ageText(r.mirrorPositionAgeMs)} old, checkpoint ${ageText(r.checkpointAgeMs)} old)`,
    );
  }
  return parts.join('; ') || '-';
}

/** The human form: the plan table, then warnings and what happened. */
export function renderFailover(r: FailoverResult): string {
  const sourceLine = r.source.reachable
    ? `source ${r.source.alias} reachable: offsets translated exactly from the offset syncs`
    : `source ${r.source.alias} UNREACHABLE${r.source.error ? ` (${r.source.error})` : ''}: offsets from the latest checkpoints on the target`;
  const rows = r.groups.flatMap((g) =>
    g.partitions.map((p) => [
      g.group,
      p.sourceTopic,
      p.partition,
      p.sourceOffset,
      p.targetTopic,
      p.targetOffset,
      p.mirrorLag,
      atRiskText(p),
      p.action,
    ]),
  );
  const table = formatTable({
    head: [
      'GROUP',
      'TOPIC',
      'PARTITION',
      'SOURCE-OFFSET',
      'TARGET-TOPIC',
      'TARGET-OFFSET',
      'MIRROR-LAG',
      'AT-RISK',
      'ACTION',
    ],
    rows,
    alignRight: [2, 3, 5, 6],
  });
  const notes = r.groups.flatMap((g) =>
    g.partitions
      .filter((p) => p.note !== '')
      .map((p) => `  ${g.group} ${p.sourceTopic}:${p.partition}: ${p.note}`),
  );
  const outcome = r.dryRun
    ? 'Dry run: nothing was committed.'
    : !r.executed
      ? 'Nothing was committed.'
      : r.verified
        ? 'Committed on the target and read back: offsets equal the plan.'
        : `Committed, but the read-back differs from the plan for ${r.mismatches.length} partition(s): ${r.mismatches
            .map(
              (m) =>
                `${m.group} ${m.topic}:${m.partition} expected ${m.expected ?? 'none'} got ${m.actual ?? 'none'}`,
            )
            .join(', ')}`;
  return [
    `${r.direction === 'failover' ? 'Failover' : 'Failback'} ${r.source.alias} → ${r.target.alias}; ${sourceLine}`,
    table.trimEnd(),
    ...(notes.length > 0 ? ['Notes:', ...notes] : []),
    ...r.warnings.map((w) => `Warning: ${w}`),
    outcome,
    '',
  ].join('\n');
}
