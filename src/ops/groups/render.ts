/** Human tables of the group commands (the JSON shapes are the data values themselves). */
import { formatTable } from '../../cli/output.js';
import type { DescribeResult, GroupDescription, ListedGroupRow } from './describe.js';
import type { ResetResult } from './reset.js';

/** 0.5 → "0.5s", 75 → "1m15s", 3725 → "1h02m05s", 90061 → "1d01h01m". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d > 0) return `${d}d${two(h)}h${two(m)}m`;
  if (h > 0) return `${h}h${two(m)}m${two(sec)}s`;
  return `${m}m${two(sec)}s`;
}

export function renderList(data: { groups: ListedGroupRow[] }): string {
  return formatTable({
    head: ['GROUP', 'STATE', 'PROTOCOL-TYPE', 'TYPE', 'COORDINATOR'],
    rows: data.groups.map((g) => [g.group, g.state, g.protocolType || '-', g.type || '-', g.coordinator]),
    alignRight: [4],
  });
}

function renderGroup(g: GroupDescription): string {
  const protocol = [g.protocolType, g.assignor].filter((x) => x !== '').join('/') || '-';
  const header =
    `Group: ${g.group}  State: ${g.state}  Protocol: ${protocol}  ` +
    `Coordinator: ${g.coordinator.id} (${g.coordinator.host}:${g.coordinator.port})  ` +
    `Members: ${g.members.length}  Lag: ${g.lag}  Time-lag: ${formatSeconds(g.timeLagSeconds)}\n`;
  const partitions =
    g.partitions.length === 0
      ? '(no partitions)\n'
      : formatTable({
          head: [
            'TOPIC',
            'PARTITION',
            'CURRENT-OFFSET',
            'LOG-END-OFFSET',
            'LAG',
            'TIME-LAG',
            'CONSUMER-ID',
            'HOST',
            'CLIENT-ID',
          ],
          rows: [
            ...g.partitions.map((p) => [
              p.topic,
              p.partition,
              p.committedOffset,
              p.logEndOffset,
              p.lag,
              formatSeconds(p.timeLagSeconds),
              p.memberId,
              p.host,
              p.clientId,
            ]),
            ...g.topics.map((t) => [
              t.topic,
              'TOTAL',
              '',
              '',
              t.lag,
              formatSeconds(t.timeLagSeconds),
              '',
              '',
              '',
            ]),
          ],
          alignRight: [1, 2, 3, 4, 5],
        });
  const members =
    g.members.length === 0
      ? ''
      : `\n${formatTable({
          head: ['MEMBER-ID', 'CLIENT-ID', 'HOST', 'ASSIGNMENT'],
          rows: g.members.map((m) => [
            m.memberId,
            m.clientId,
            m.host,
            m.assignments.map((a) => `${a.topic}:${a.partitions.join(',')}`).join(' ') || '-',
          ]),
        })}`;
  return `${header}${partitions}${members}`;
}

export function renderDescribe(data: DescribeResult): string {
  return data.groups.map(renderGroup).join('\n');
}

export function renderPlan(data: ResetResult): string {
  const title = data.executed
    ? `Reset ${data.group} (${data.mode}): applied; undo with --from-file ${data.undoFile}\n`
    : `Plan for ${data.group} (${data.mode}): nothing changed; add --execute to apply\n`;
  return `${title}${formatTable({
    head: ['TOPIC', 'PARTITION', 'CURRENT', 'NEW', 'LOG-START', 'LOG-END', 'LAG-AFTER'],
    rows: data.partitions.map((p) => [
      p.topic,
      p.partition,
      p.currentOffset,
      p.newOffset === null ? '(removed)' : p.newOffset,
      p.logStartOffset,
      p.logEndOffset,
      p.lagAfter,
    ]),
    alignRight: [1, 2, 3, 4, 5, 6],
  })}`;
}
