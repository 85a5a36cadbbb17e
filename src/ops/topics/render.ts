/**
 * Human output of the topic commands (the JSON shapes are documented with each service). Tables follow
 * kafka-topics.sh's vocabulary; unhealthy partitions are coloured when stdout is a terminal.
 */
import { colors } from '../../cli/color.js';
import { formatTable } from '../../cli/output.js';
import type { AlterTopicResult } from './alter.js';
import type { CreatedTopic } from './create.js';
import type { DeleteStatus } from './delete.js';
import type { TopicDescription, TopicListEntry } from './describe.js';

export function renderTopicList(data: { topics: TopicListEntry[] }): string {
  if (data.topics.length === 0) return '';
  return formatTable({
    head: ['TOPIC', 'PARTITIONS', 'REPLICATION-FACTOR'],
    rows: data.topics.map((t) => [
      t.internal ? `${t.name} (internal)` : t.name,
      t.partitions,
      t.replicationFactor,
    ]),
    alignRight: [1, 2],
  });
}

function configLine(configs: Record<string, string | null>): string {
  return Object.entries(configs)
    .map(([k, v]) => `${k}=${v ?? '<sensitive>'}`)
    .join(',');
}

export function renderTopicDescriptions(data: { topics: TopicDescription[] }): string {
  const c = colors(process.stdout);
  const blocks = data.topics.map((t) => {
    const head =
      `Topic: ${c.bold(t.name)}\tTopicId: ${t.topicId ?? '-'}\tPartitionCount: ${t.partitionCount}\t` +
      `ReplicationFactor: ${t.replicationFactor}\tConfigs: ${configLine(t.configs)}\n`;
    if (t.partitions.length === 0) return head;
    const table = formatTable({
      head: ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'LOG-START', 'HIGH-WATERMARK', 'STATUS'],
      rows: t.partitions.map((p) => {
        const status = p.issues.filter((i) => i !== 'at-min-isr');
        return [
          p.partition,
          p.leader ?? 'none',
          p.replicas.join(','),
          p.isr.join(','),
          p.logStartOffset,
          p.highWatermark,
          status.length === 0 ? 'ok' : status.join(','),
        ];
      }),
      alignRight: [0, 4, 5],
    });
    // Colour whole rows after layout, so escape codes do not skew column widths.
    const lines = table.split('\n');
    const coloured = lines.map((line, i) => {
      const p = t.partitions[i - 1];
      if (!p) return line;
      if (p.issues.includes('unavailable') || p.issues.includes('under-min-isr')) return c.red(line);
      if (p.issues.includes('under-replicated')) return c.yellow(line);
      return line;
    });
    return head + coloured.join('\n');
  });
  return blocks.join('\n');
}

export function renderCreated(data: { dryRun: boolean; topics: CreatedTopic[] }): string {
  return data.topics
    .map((t) => {
      const shape = `${t.partitions ?? 'default'} partitions, replication factor ${t.replicationFactor ?? 'default'}`;
      if (t.status === 'exists') return `Topic "${t.name}" already exists\n`;
      if (t.status === 'validated')
        return `Topic "${t.name}" can be created (${shape}) — dry run, nothing created\n`;
      return `Created topic "${t.name}" (${shape})\n`;
    })
    .join('');
}

export function renderDeleted(data: {
  dryRun: boolean;
  topics: Array<{ name: string; status: DeleteStatus }>;
}): string {
  if (data.topics.length === 0) return 'No topics matched\n';
  return data.topics
    .map((t) =>
      t.status === 'absent'
        ? `Topic "${t.name}" does not exist\n`
        : t.status === 'would-delete'
          ? `Would delete topic "${t.name}" — dry run\n`
          : `Deleted topic "${t.name}"\n`,
    )
    .join('');
}

export function renderAltered(data: AlterTopicResult): string {
  const lines: string[] = [];
  const suffix = data.dryRun ? ' — dry run, nothing changed' : '';
  if (data.partitions) {
    lines.push(
      `Topic "${data.topic}": partitions ${data.partitions.before} → ${data.partitions.after}${suffix}`,
    );
  }
  for (const ch of data.configs) {
    lines.push(
      `Topic "${data.topic}": ${ch.name} ${ch.before ?? '(unset)'} → ${ch.after ?? '(unset)'}${suffix}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
