/**
 * `kt groups list` and `kt groups describe`: groups with state and protocol; per group the coordinator,
 * members with their assignments, and per partition the committed offset, log-end offset, lag in records
 * and time lag: seconds between `describedAt` and the timestamp of the first record the group has not
 * consumed yet (the record at its committed offset). Totals per topic and per group.
 *
 * JSON shapes (stable, snapshot-tested in fixtures/cli/groups/):
 *   list:     { groups: [ { group, state, protocolType, type, coordinator: number } ] }
 *   describe: { describedAt: number, groups: [ { group, state, protocolType, assignor,
 *               coordinator: { id, host, port },
 *               members: [ { memberId, groupInstanceId: string|null, clientId, host,
 *                            assignments: [ { topic, partitions: number[] } ] } ],
 *               partitions: [ { topic, partition, committedOffset: number|null, logEndOffset: number|null,
 *                               lag: number|null, firstUnconsumedTimestamp: number|null,
 *                               timeLagSeconds: number|null, memberId: string|null, clientId: string|null,
 *                               host: string|null } ],
 *               topics: [ { topic, lag: number, timeLagSeconds: number|null } ],
 *               lag: number, timeLagSeconds: number|null } ] }
 * Lag is null where nothing is committed; time lag is 0 with no lag, null when unknown.
 */
import { KtError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import {
  type CommittedOffset,
  decodeAssignment,
  describeGroup,
  fetchCommitted,
  listAllGroups,
  type RawGroup,
  type TopicAssignment,
} from './coordinator.js';
import {
  firstRecordTimestamps,
  keyOf,
  logRanges,
  type PartitionRef,
  topicPartitions,
} from './log-positions.js';

export const GROUP_STATES = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead'] as const;

export interface ListedGroupRow {
  group: string;
  state: string;
  protocolType: string;
  type: string;
  coordinator: number;
}

export async function listGroups(
  client: ClusterClient,
  options: { states?: readonly string[]; topic?: string } = {},
): Promise<{ groups: ListedGroupRow[] }> {
  const states = options.states ?? [];
  let groups = (await listAllGroups(client, states)).filter(
    (g) => states.length === 0 || states.some((s) => s.toLowerCase() === g.state.toLowerCase()),
  );
  if (options.topic !== undefined) {
    const topic = options.topic;
    const keep = await Promise.all(
      groups.map(async (g) => (await fetchCommitted(client, g.group)).some((o) => o.topic === topic)),
    );
    groups = groups.filter((_, i) => keep[i]);
  }
  return {
    groups: groups.map((g) => ({
      group: g.group,
      state: g.state,
      protocolType: g.protocolType,
      type: g.type,
      coordinator: g.coordinator,
    })),
  };
}

export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  host: string;
  assignments: TopicAssignment[];
}

export interface PartitionLag {
  topic: string;
  partition: number;
  committedOffset: bigint | null;
  logEndOffset: bigint | null;
  lag: bigint | null;
  firstUnconsumedTimestamp: bigint | null;
  timeLagSeconds: number | null;
  memberId: string | null;
  clientId: string | null;
  host: string | null;
}

export interface TopicLag {
  topic: string;
  lag: bigint;
  timeLagSeconds: number | null;
}

export interface GroupDescription {
  group: string;
  state: string;
  protocolType: string;
  assignor: string;
  coordinator: { id: number; host: string; port: number };
  members: MemberDescription[];
  partitions: PartitionLag[];
  topics: TopicLag[];
  lag: bigint;
  timeLagSeconds: number | null;
}

export interface DescribeResult {
  describedAt: number;
  groups: GroupDescription[];
}

export function groupNotFound(group: string): KtError {
  return new KtError('KT_NOT_FOUND', `Group "${group}" does not exist`, {
    hint: 'kt groups list shows the groups of the cluster',
  });
}

/** The group's raw state and committed offsets; KT_NOT_FOUND when it has neither members nor offsets. */
export async function loadGroup(
  client: ClusterClient,
  group: string,
): Promise<{ raw: RawGroup; committed: CommittedOffset[] }> {
  const [raw, committed] = await Promise.all([describeGroup(client, group), fetchCommitted(client, group)]);
  if (raw.state === 'Dead' && raw.members.length === 0 && committed.length === 0) throw groupNotFound(group);
  return { raw, committed };
}

/** Seconds from `ts` to `nowMs`, to the millisecond, never negative (clock skew, future timestamps). */
export function secondsBehind(nowMs: number, ts: bigint): number {
  const ms = nowMs - Number(ts);
  return ms <= 0 ? 0 : ms / 1000;
}

export async function describeGroups(
  client: ClusterClient,
  groups: readonly string[],
  options: { onlyWithLag?: boolean; nowMs?: () => number } = {},
): Promise<DescribeResult> {
  const loaded = await Promise.all(groups.map((g) => loadGroup(client, g)));
  const topics = new Set<string>();
  for (const { raw, committed } of loaded) {
    for (const c of committed) topics.add(c.topic);
    for (const m of raw.members)
      for (const a of decodeAssignment(m.memberAssignment) ?? []) topics.add(a.topic);
  }
  const { partitions: meta } = await topicPartitions(client, [...topics]);
  const refs = [...meta.values()].flat();
  const ranges = await logRanges(client, refs);
  const refOf = (topic: string, partition: number): PartitionRef | undefined =>
    meta.get(topic)?.find((r) => r.partition === partition);

  // The first unconsumed record of every lagging partition, in one Fetch per leader for all groups.
  const behind: Array<{ ref: PartitionRef; offset: bigint }> = [];
  for (const { committed } of loaded) {
    for (const c of committed) {
      const ref = refOf(c.topic, c.partition);
      const range = ranges.get(keyOf(c.topic, c.partition));
      if (ref && range && c.offset < range.logEnd) behind.push({ ref, offset: c.offset });
    }
  }
  const timestamps = new Map<string, bigint>();
  // Different groups may sit at different offsets of one partition: fetch per distinct position.
  const distinct = new Map<string, { ref: PartitionRef; offset: bigint }>();
  for (const b of behind) distinct.set(`${keyOf(b.ref.topic, b.ref.partition)}@${b.offset}`, b);
  const byPartition = new Map<string, Array<{ ref: PartitionRef; offset: bigint }>>();
  for (const b of distinct.values()) {
    const k = keyOf(b.ref.topic, b.ref.partition);
    byPartition.set(k, [...(byPartition.get(k) ?? []), b]);
  }
  // One request can carry each partition once; rounds cover partitions several groups read.
  for (let round = 0; ; round++) {
    const batch = [...byPartition.values()].map((list) => list[round]).filter((x) => x !== undefined);
    if (batch.length === 0) break;
    const found = await firstRecordTimestamps(client, batch);
    for (const b of batch) {
      const ts = found.get(keyOf(b.ref.topic, b.ref.partition));
      if (ts !== undefined) timestamps.set(`${keyOf(b.ref.topic, b.ref.partition)}@${b.offset}`, ts);
    }
  }
  const describedAt = (options.nowMs ?? Date.now)();

  const out = loaded.map(({ raw, committed }) =>
    buildDescription(raw, committed, ranges, timestamps, describedAt, options.onlyWithLag === true),
  );
  return { describedAt, groups: out };
}

function buildDescription(
  raw: RawGroup,
  committed: readonly CommittedOffset[],
  ranges: ReadonlyMap<string, { logStart: bigint; logEnd: bigint }>,
  timestamps: ReadonlyMap<string, bigint>,
  describedAt: number,
  onlyWithLag: boolean,
): GroupDescription {
  const members: MemberDescription[] = raw.members
    .map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      host: m.clientHost,
      assignments: decodeAssignment(m.memberAssignment) ?? [],
    }))
    .sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const owner = new Map<string, MemberDescription>();
  for (const m of members)
    for (const a of m.assignments) for (const p of a.partitions) owner.set(keyOf(a.topic, p), m);
  const committedBy = new Map(committed.map((c) => [keyOf(c.topic, c.partition), c]));
  const keys = new Map<string, { topic: string; partition: number }>();
  for (const c of committed)
    keys.set(keyOf(c.topic, c.partition), { topic: c.topic, partition: c.partition });
  for (const m of members)
    for (const a of m.assignments)
      for (const p of a.partitions) keys.set(keyOf(a.topic, p), { topic: a.topic, partition: p });

  const partitions: PartitionLag[] = [...keys.entries()]
    .map(([k, { topic, partition }]) => {
      const c = committedBy.get(k);
      const range = ranges.get(k);
      const logEnd = range?.logEnd ?? null;
      const committedOffset = c?.offset ?? null;
      let lag: bigint | null = null;
      if (committedOffset !== null && logEnd !== null)
        lag = logEnd > committedOffset ? logEnd - committedOffset : 0n;
      const ts = committedOffset === null ? undefined : timestamps.get(`${k}@${committedOffset}`);
      let timeLag: number | null = null;
      if (lag === 0n) timeLag = 0;
      else if (ts !== undefined) timeLag = secondsBehind(describedAt, ts);
      const m = owner.get(k);
      return {
        topic,
        partition,
        committedOffset,
        logEndOffset: logEnd,
        lag,
        firstUnconsumedTimestamp: lag !== null && lag > 0n ? (ts ?? null) : null,
        timeLagSeconds: timeLag,
        memberId: m?.memberId ?? null,
        clientId: m?.clientId ?? null,
        host: m?.host ?? null,
      };
    })
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));

  const topicNames = [...new Set(partitions.map((p) => p.topic))];
  const topics: TopicLag[] = topicNames.map((topic) => {
    const ps = partitions.filter((p) => p.topic === topic);
    return { topic, lag: ps.reduce((sum, p) => sum + (p.lag ?? 0n), 0n), timeLagSeconds: totalTimeLag(ps) };
  });
  const lag = topics.reduce((sum, t) => sum + t.lag, 0n);
  const timeLagSeconds = totalTimeLag(topics);
  return {
    group: raw.groupId,
    state: raw.state,
    protocolType: raw.protocolType,
    assignor: raw.protocol,
    coordinator: { id: raw.coordinator.nodeId, host: raw.coordinator.host, port: raw.coordinator.port },
    members,
    partitions: onlyWithLag ? partitions.filter((p) => p.lag !== null && p.lag > 0n) : partitions,
    topics: onlyWithLag ? topics.filter((t) => t.lag > 0n) : topics,
    lag,
    timeLagSeconds,
  };
}

/** The largest known time lag; null when something lags and no time lag is known at all. */
function totalTimeLag(
  items: ReadonlyArray<{ lag: bigint | null; timeLagSeconds: number | null }>,
): number | null {
  let max = 0;
  let unknown = false;
  for (const i of items) {
    if (i.timeLagSeconds !== null) max = Math.max(max, i.timeLagSeconds);
    else if (i.lag !== null && i.lag > 0n) unknown = true;
  }
  return unknown && max === 0 ? null : max;
}
