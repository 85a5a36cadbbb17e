/**
 * `kt records delete`: moves partitions' log start offset forward (DeleteRecords), deleting the records
 * before it: `TOPIC:PARTITION=OFFSET` per partition (OFFSET may be `latest`: everything up to the high
 * watermark), or every partition of a topic `--before` a time (the first offset at or after the time,
 * found with ListOffsets; a partition with nothing that recent is emptied).
 *
 * JSON shape (stable):
 *   { "dryRun": boolean,
 *     "partitions": [ { "topic": string, "partition": number, "offset": number,
 *                       "lowWatermarkBefore": number|null, "lowWatermark": number|null } ] }
 * `offset` is the requested new start (-1 for latest). With --dry-run `lowWatermark` is the predicted one.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';
import { offsetsForTime, type TopicPartitions } from '../offsets/list.js';
import { EARLIEST, LATEST, type ParsedTime } from '../offsets/time.js';

export interface DeleteTarget {
  topic: string;
  partition: number;
  /** New log start offset; -1 = the high watermark. */
  offset: bigint;
}

/** Parses `TOPIC:PARTITION=OFFSET` (OFFSET a number, or latest/end). */
export function parseDeleteTarget(spec: string): DeleteTarget {
  const match = /^(.+):(\d+)=(\d+|latest|end)$/.exec(spec.trim());
  if (!match) throw usageError(`${spec}: expected TOPIC:PARTITION=OFFSET (or TOPIC with --before TIME)`);
  const offset = match[3] === 'latest' || match[3] === 'end' ? LATEST : BigInt(match[3]!);
  return { topic: match[1]!, partition: Number(match[2]), offset };
}

export interface DeleteRecordsResult {
  dryRun: boolean;
  partitions: Array<{
    topic: string;
    partition: number;
    offset: bigint;
    lowWatermarkBefore: bigint | null;
    lowWatermark: bigint | null;
  }>;
}

/** Resolves `TOPIC --before TIME` into per-partition targets. */
export async function targetsBefore(
  client: ClusterClient,
  topics: readonly string[],
  time: ParsedTime,
): Promise<DeleteTarget[]> {
  const found = await offsetsForTime(
    client,
    topics.map((topic): TopicPartitions => ({ topic })),
    time,
  );
  return found.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset ?? LATEST }));
}

export async function deleteRecords(
  client: ClusterClient,
  targets: readonly DeleteTarget[],
  options: { dryRun?: boolean; timeoutMs?: number } = {},
): Promise<DeleteRecordsResult> {
  if (targets.length === 0) throw usageError('Name at least one TOPIC:PARTITION=OFFSET');
  const keys = targets.map((t) => `${t.topic}:${t.partition}`);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw usageError(`${dup} is named twice`);
  const selections = new Map<string, number[]>();
  for (const t of targets) selections.set(t.topic, [...(selections.get(t.topic) ?? []), t.partition]);
  const sel = [...selections].map(([topic, partitions]) => ({ topic, partitions }));
  // Also checks that every topic and partition exists before anything is deleted.
  const earliest = await offsetsForTime(client, sel, { spec: 'earliest', timestamp: EARLIEST });
  const latest = await offsetsForTime(client, sel, { spec: 'latest', timestamp: LATEST });
  const at = (list: typeof earliest.offsets, t: DeleteTarget) =>
    list.find((o) => o.topic === t.topic && o.partition === t.partition)?.offset ?? null;
  for (const t of targets) {
    const hw = at(latest.offsets, t);
    if (t.offset !== LATEST && hw !== null && t.offset > hw) {
      throw usageError(`${t.topic}:${t.partition}=${t.offset}: the offset is above the high watermark ${hw}`);
    }
  }
  const rows = targets
    .map((t) => {
      const before = at(earliest.offsets, t);
      const goal = t.offset === LATEST ? at(latest.offsets, t) : t.offset;
      return {
        topic: t.topic,
        partition: t.partition,
        offset: t.offset,
        lowWatermarkBefore: before,
        lowWatermark: before !== null && goal !== null ? (goal > before ? goal : before) : goal,
      };
    })
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  if (options.dryRun) return { dryRun: true, partitions: rows };

  const byLeader = new Map<number, DeleteTarget[]>();
  for (const t of targets) {
    const leader = await client.partitionLeader(t.topic, t.partition);
    byLeader.set(leader, [...(byLeader.get(leader) ?? []), t]);
  }
  const results = new Map<string, bigint>();
  await Promise.all(
    [...byLeader].map(async ([leader, list]) => {
      const perTopic = new Map<string, DeleteTarget[]>();
      for (const t of list) perTopic.set(t.topic, [...(perTopic.get(t.topic) ?? []), t]);
      const response = await client.send({ nodeId: leader }, 21, {
        topics: [...perTopic].map(([name, ts]) => ({
          name,
          partitions: ts.map((t) => ({ partitionIndex: t.partition, offset: t.offset })),
        })),
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== ErrorCode.NONE)
            throw kafkaError(p.errorCode, null, `Cannot delete records of ${t.name}-${p.partitionIndex}`);
          results.set(`${t.name}:${p.partitionIndex}`, p.lowWatermark);
        }
      }
    }),
  );
  return {
    dryRun: false,
    partitions: rows.map((r) => ({
      ...r,
      lowWatermark: results.get(`${r.topic}:${r.partition}`) ?? r.lowWatermark,
    })),
  };
}
