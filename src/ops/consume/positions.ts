/**
 * Which partitions `kt consume` reads and from where to where: topics (names or a regex) and partitions
 * from Metadata, start and end offsets from ListOffsets (earliest, latest, by timestamp) per leader.
 */

import type { EndBound, StartPosition } from '../../cli/time.js';
import { ErrorCode } from '../../errors/codes.generated.js';
import { errorForCode } from '../../errors/kafka.js';
import { KtError, usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';

export interface PartitionRef {
  topic: string;
  partition: number;
  leader: number;
}

const LIST_OFFSETS = 2;
export const EARLIEST = -2n;
export const LATEST = -1n;

/** Resolves topic names or a regex to partitions with their leaders. */
export async function resolvePartitions(
  client: ClusterClient,
  topics: readonly string[],
  regex: string | undefined,
  partitions: readonly number[] | undefined,
): Promise<PartitionRef[]> {
  let wanted: string[] = [...topics];
  let metadata = await client.refreshMetadata(regex === undefined ? wanted : null);
  if (regex !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${regex})$`);
    } catch (error) {
      throw usageError(`--regex ${regex}: ${(error as Error).message}`);
    }
    wanted = metadata.topics
      .filter((t) => t.errorCode === ErrorCode.NONE && t.name !== null && !t.isInternal && re.test(t.name))
      .map((t) => t.name!)
      .sort();
    if (wanted.length === 0) throw new KtError('KT_NOT_FOUND', `no topic matches --regex ${regex}`);
    metadata = await client.refreshMetadata(wanted);
  }
  const refs: PartitionRef[] = [];
  for (const name of wanted) {
    const t = metadata.topics.find((x) => x.name === name);
    if (!t || t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      throw new KtError('KT_NOT_FOUND', `topic ${name} does not exist`, { kafkaCode: 3 });
    }
    if (t.errorCode !== ErrorCode.NONE) {
      const e = errorForCode(t.errorCode);
      throw new KtError('KT_KAFKA', `topic ${name}: ${e.name}: ${e.message}`, { kafkaCode: t.errorCode });
    }
    const present = new Map(t.partitions.map((p) => [p.partitionIndex, p.leaderId]));
    const chosen = partitions ?? [...present.keys()].sort((a, b) => a - b);
    for (const p of chosen) {
      const leader = present.get(p);
      if (leader === undefined) {
        throw usageError(`--partition ${p}: topic ${name} has partitions 0..${present.size - 1}`);
      }
      refs.push({ topic: name, partition: p, leader });
    }
  }
  return refs;
}

/**
 * ListOffsets for many partitions at one timestamp each (-2 earliest, -1 latest, else epoch ms). A time
 * with no record at or after it answers -1: the caller decides (usually: the latest offset).
 */
export async function listOffsets(
  client: ClusterClient,
  refs: readonly PartitionRef[],
  timestampOf: (ref: PartitionRef) => bigint,
  isolationLevel: number,
): Promise<Map<PartitionRef, bigint>> {
  const byLeader = new Map<number, PartitionRef[]>();
  for (const r of refs) {
    const list = byLeader.get(r.leader) ?? [];
    list.push(r);
    byLeader.set(r.leader, list);
  }
  const out = new Map<PartitionRef, bigint>();
  await Promise.all(
    [...byLeader].map(async ([leader, list]) => {
      const topics = new Map<string, PartitionRef[]>();
      for (const r of list) topics.set(r.topic, [...(topics.get(r.topic) ?? []), r]);
      const response = await client.send({ nodeId: leader }, LIST_OFFSETS, {
        replicaId: -1,
        isolationLevel,
        timeoutMs: 30_000,
        topics: [...topics].map(([name, rs]) => ({
          name,
          partitions: rs.map((r) => ({
            partitionIndex: r.partition,
            currentLeaderEpoch: -1,
            timestamp: timestampOf(r),
          })),
        })),
      });
      for (const t of response.topics) {
        for (const p of t.partitions) {
          const ref = list.find((r) => r.topic === t.name && r.partition === p.partitionIndex);
          if (!ref) continue;
          if (p.errorCode !== ErrorCode.NONE) {
            const e = errorForCode(p.errorCode);
            throw new KtError(
              'KT_KAFKA',
              `ListOffsets ${t.name}-${p.partitionIndex}: ${e.name}: ${e.message}`,
              {
                kafkaCode: p.errorCode,
              },
            );
          }
          out.set(ref, p.offset);
        }
      }
    }),
  );
  return out;
}

export interface Range {
  ref: PartitionRef;
  /** Next offset to read. */
  next: bigint;
  /** Stop before this offset (exclusive); undefined: follow forever. */
  end: bigint | undefined;
}

/** Start and end offsets of each partition for a start position and an optional end bound. */
export async function resolveRanges(
  client: ClusterClient,
  refs: readonly PartitionRef[],
  start: StartPosition,
  end: EndBound | undefined,
  isolationLevel: number,
): Promise<Range[]> {
  const [earliest, latest] = await Promise.all([
    listOffsets(client, refs, () => EARLIEST, isolationLevel),
    listOffsets(client, refs, () => LATEST, isolationLevel),
  ]);
  let startByTime: Map<PartitionRef, bigint> | undefined;
  if (start.kind === 'time')
    startByTime = await listOffsets(client, refs, () => start.timestamp, isolationLevel);
  let endByTime: Map<PartitionRef, bigint> | undefined;
  if (end?.kind === 'time') endByTime = await listOffsets(client, refs, () => end.timestamp, isolationLevel);
  return refs.map((ref) => {
    const lo = earliest.get(ref) ?? 0n;
    const hi = latest.get(ref) ?? 0n;
    let next: bigint;
    switch (start.kind) {
      case 'earliest':
        next = lo;
        break;
      case 'latest':
        next = hi;
        break;
      case 'offset':
        next = start.offset < lo ? lo : start.offset > hi ? hi : start.offset;
        break;
      case 'last':
        next = hi - start.count < lo ? lo : hi - start.count;
        break;
      case 'time': {
        const at = startByTime!.get(ref) ?? -1n;
        next = at < 0n ? hi : at;
        break;
      }
    }
    let stop: bigint | undefined;
    if (end?.kind === 'end') stop = hi;
    else if (end?.kind === 'offset') stop = end.offset;
    else if (end?.kind === 'time') {
      const at = endByTime!.get(ref) ?? -1n;
      stop = at < 0n ? hi : at;
    }
    return { ref, next, end: stop };
  });
}
