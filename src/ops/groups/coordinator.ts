/**
 * Consumer-group requests over the protocol core, routed to the group's coordinator (FindCoordinator):
 * DescribeGroups, OffsetFetch, an "admin" OffsetCommit (generation -1, no member id: what Kafka's
 * ConsumerGroupCommand sends, accepted only while the group has no members), OffsetDelete, DeleteGroups;
 * and ListGroups, which every broker answers for the groups it coordinates.
 *
 * None of these join the group (kafkajs' admin.setOffsets does, which a live group would then see as a
 * new member). Coordinator moves and loads (NOT_COORDINATOR, COORDINATOR_*) are retried a few times.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { KtError } from '../../errors/kt-error.js';
import type { BrokerInfo, ClusterClient } from '../../protocol/client/cluster.js';
import { Reader } from '../../protocol/reader.js';
import { delay, kafkaError } from '../cluster/connect.js';

const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
const DESCRIBE_GROUPS = 15;
const LIST_GROUPS = 16;
const DELETE_GROUPS = 42;
const OFFSET_DELETE = 47;
/** OffsetCommit/OffsetFetch v10 address topics by id; names are what we have. */
const OFFSETS_VERSION_MAX = 9;

const COORDINATOR_RETRIES = 8;
const COORDINATOR_RETRY_DELAY_MS = 250;

function isCoordinatorError(code: number): boolean {
  return (
    code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ||
    code === ErrorCode.COORDINATOR_NOT_AVAILABLE ||
    code === ErrorCode.NOT_COORDINATOR
  );
}

/**
 * Runs `fn` against the group's coordinator; `fn` returns the response's coordinator-level error code
 * with its result, so a coordinator that moved or is loading is looked up again.
 */
async function atCoordinator<T>(
  client: ClusterClient,
  group: string,
  fn: (nodeId: number) => Promise<{ code: number; value: T }>,
): Promise<{ value: T; coordinator: BrokerInfo }> {
  let lastCode = 0;
  for (let attempt = 0; attempt < COORDINATOR_RETRIES; attempt++) {
    let nodeId: number;
    try {
      nodeId = await client.findCoordinator(group);
    } catch (error) {
      if (error instanceof ProtocolError && isCoordinatorError(error.code)) {
        lastCode = error.code;
        await delay(COORDINATOR_RETRY_DELAY_MS);
        continue;
      }
      throw error;
    }
    const { code, value } = await fn(nodeId);
    if (isCoordinatorError(code)) {
      lastCode = code;
      await delay(COORDINATOR_RETRY_DELAY_MS);
      continue;
    }
    const coordinator = client.brokers.get(nodeId) ?? { nodeId, host: '?', port: 0, rack: null };
    return { value, coordinator };
  }
  throw kafkaError(lastCode, null, `group ${group}: coordinator`);
}

// ------------------------------------------------------------------------------------- DescribeGroups

export interface RawMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The member's subscription (consumer protocol), for OffsetDelete's subscribed-topic check. */
  memberMetadata: Uint8Array;
  memberAssignment: Uint8Array;
}

export interface RawGroup {
  groupId: string;
  /** Kafka's state name; 'Dead' for a group that does not exist. */
  state: string;
  protocolType: string;
  /** The assignor (range, roundrobin, cooperative-sticky…) once the group is Stable, else ''. */
  protocol: string;
  members: RawMember[];
  coordinator: BrokerInfo;
}

export async function describeGroup(client: ClusterClient, group: string): Promise<RawGroup> {
  const { value, coordinator } = await atCoordinator(client, group, async (nodeId) => {
    const response = await client.send({ nodeId }, DESCRIBE_GROUPS, {
      groups: [group],
      includeAuthorizedOperations: false,
    });
    const g = response.groups.find((x) => x.groupId === group);
    if (!g) throw new KtError('KT_KAFKA', `DescribeGroups did not answer for group ${group}`);
    return { code: g.errorCode, value: g };
  });
  if (value.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) {
    return { groupId: group, state: 'Dead', protocolType: '', protocol: '', members: [], coordinator };
  }
  if (value.errorCode !== ErrorCode.NONE)
    throw kafkaError(value.errorCode, value.errorMessage, `group ${group}`);
  return {
    groupId: group,
    state: value.groupState,
    protocolType: value.protocolType,
    protocol: value.protocolData,
    members: value.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.memberMetadata,
      memberAssignment: m.memberAssignment,
    })),
    coordinator,
  };
}

export interface TopicAssignment {
  topic: string;
  partitions: number[];
}

/**
 * The partitions of a "consumer" protocol member's assignment (ConsumerProtocolAssignment: int16 version,
 * then topics as string + int32 array; user data after is ignored). Null when the bytes do not parse
 * (another protocol type, or a client writing something else): describe then shows no assignment.
 */
export function decodeAssignment(bytes: Uint8Array): TopicAssignment[] | null {
  if (bytes.length === 0) return [];
  try {
    const r = new Reader(bytes);
    if (r.int16() < 0) return null;
    const topicCount = r.int32();
    if (topicCount < 0) return null;
    r.checkCount(topicCount, 6, 'ConsumerProtocolAssignment.topics');
    const out: TopicAssignment[] = [];
    for (let i = 0; i < topicCount; i++) {
      const topic = r.string();
      const count = r.int32();
      if (count < 0) return null;
      r.checkCount(count, 4, 'ConsumerProtocolAssignment.partitions');
      const partitions: number[] = [];
      for (let j = 0; j < count; j++) partitions.push(r.int32());
      out.push({ topic, partitions: partitions.sort((a, b) => a - b) });
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  } catch {
    return null;
  }
}

// ----------------------------------------------------------------------------------------- ListGroups

export interface ListedGroup {
  group: string;
  protocolType: string;
  state: string;
  type: string;
  coordinator: number;
}

/** Every group of the cluster: ListGroups to each broker (each lists the groups it coordinates). */
export async function listAllGroups(
  client: ClusterClient,
  states: readonly string[],
): Promise<ListedGroup[]> {
  await client.refreshMetadata([]);
  const out: ListedGroup[] = [];
  await Promise.all(
    [...client.brokers.keys()].map(async (nodeId) => {
      const conn = await client.connection({ nodeId });
      const version = conn.versionFor(LIST_GROUPS);
      const response = await conn.send(LIST_GROUPS, { statesFilter: version >= 4 ? [...states] : [] });
      if (response.errorCode !== ErrorCode.NONE)
        throw kafkaError(response.errorCode, null, `ListGroups on broker ${nodeId}`);
      for (const g of response.groups) {
        out.push({
          group: g.groupId,
          protocolType: g.protocolType,
          state: g.groupState,
          type: g.groupType,
          coordinator: nodeId,
        });
      }
    }),
  );
  return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

// ---------------------------------------------------------------------------------------- OffsetFetch

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string | null;
}

/** The group's committed offsets (all topics when `topics` is null), sorted by topic and partition. */
export async function fetchCommitted(
  client: ClusterClient,
  group: string,
  topics: ReadonlyArray<{ topic: string; partitions: readonly number[] }> | null = null,
): Promise<CommittedOffset[]> {
  const { value } = await atCoordinator(client, group, async (nodeId) => {
    const conn = await client.connection({ nodeId });
    const version = Math.min(conn.versionFor(OFFSET_FETCH), OFFSETS_VERSION_MAX);
    const wanted =
      topics === null ? null : topics.map((t) => ({ name: t.topic, partitionIndexes: [...t.partitions] }));
    const response = await conn.send(
      OFFSET_FETCH,
      version >= 8
        ? {
            groups: [{ groupId: group, memberId: null, memberEpoch: -1, topics: wanted }],
            requireStable: false,
          }
        : { groupId: group, topics: wanted, requireStable: false },
      { version },
    );
    if (version >= 8) {
      const g = response.groups.find((x) => x.groupId === group);
      return {
        code: g?.errorCode ?? 0,
        value: (g?.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitions })),
      };
    }
    return { code: response.errorCode, value: response.topics };
  });
  const out: CommittedOffset[] = [];
  for (const t of value) {
    for (const p of t.partitions) {
      if (p.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) continue; // UNKNOWN_TOPIC_OR_PARTITION: nothing committed there
      if (p.errorCode !== ErrorCode.NONE)
        throw kafkaError(p.errorCode, null, `OffsetFetch ${group} ${t.name}-${p.partitionIndex}`);
      if (p.committedOffset < 0n) continue; // -1: no committed offset
      out.push({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        metadata: p.metadata,
      });
    }
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

// --------------------------------------------------------------------------------------- OffsetCommit

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * Commits offsets as an administrator (generation -1, empty member id). The coordinator accepts this only
 * for a group without members (else UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION), and creates the group if it
 * does not exist. Callers check membership first; the broker's refusal is still an error here.
 */
export async function commitOffsets(
  client: ClusterClient,
  group: string,
  offsets: readonly OffsetToCommit[],
): Promise<void> {
  if (offsets.length === 0) return;
  const byTopic = new Map<string, OffsetToCommit[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  const { value } = await atCoordinator(client, group, async (nodeId) => {
    const conn = await client.connection({ nodeId });
    const version = Math.min(conn.versionFor(OFFSET_COMMIT), OFFSETS_VERSION_MAX);
    const response = await conn.send(
      OFFSET_COMMIT,
      {
        groupId: group,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            committedLeaderEpoch: -1,
            committedMetadata: '',
          })),
        })),
      },
      { version },
    );
    const first = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== ErrorCode.NONE);
    return { code: first?.errorCode ?? 0, value: response };
  });
  for (const t of value.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== ErrorCode.NONE)
        throw kafkaError(p.errorCode, null, `OffsetCommit ${group} ${t.name}-${p.partitionIndex}`);
    }
  }
}

// --------------------------------------------------------------------------------------- OffsetDelete

export interface PartitionResult {
  topic: string;
  partition: number;
  /** 0 or Kafka's error code. */
  errorCode: number;
}

export async function deleteOffsets(
  client: ClusterClient,
  group: string,
  partitions: ReadonlyArray<{ topic: string; partition: number }>,
): Promise<PartitionResult[]> {
  const byTopic = new Map<string, number[]>();
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  const { value } = await atCoordinator(client, group, async (nodeId) => {
    const response = await client.send({ nodeId }, OFFSET_DELETE, {
      groupId: group,
      topics: [...byTopic].map(([name, ps]) => ({
        name,
        partitions: ps.map((partitionIndex) => ({ partitionIndex })),
      })),
    });
    return { code: response.errorCode, value: response };
  });
  if (value.errorCode !== ErrorCode.NONE) throw kafkaError(value.errorCode, null, `OffsetDelete ${group}`);
  return value.topics
    .flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode })),
    )
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

// --------------------------------------------------------------------------------------- DeleteGroups

/** Deletes one group at its coordinator; returns Kafka's error code for it (0 = deleted). */
export async function deleteGroup(client: ClusterClient, group: string): Promise<number> {
  const { value } = await atCoordinator(client, group, async (nodeId) => {
    const response = await client.send({ nodeId }, DELETE_GROUPS, { groupsNames: [group] });
    const r = response.results.find((x) => x.groupId === group);
    return { code: r?.errorCode ?? 0, value: r?.errorCode ?? 0 };
  });
  return value;
}
