/**
 * OffsetCommit, OffsetFetch and OffsetDelete for classic groups (Kafka's OffsetMetadataManager).
 *
 * Behavior:
 * * OffsetCommit from a member: the member id (and group.instance.id) must be current and the
 *   generation must match (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, ILLEGAL_GENERATION); commits during
 *   CompletingRebalance get REBALANCE_IN_PROGRESS; during PreparingRebalance the previous generation
 *   may still commit. A member's commit in Stable/PreparingRebalance also counts as a heartbeat.
 * * "Simple"/admin commits (generation < 0, empty member id, no instance id) are accepted only while the
 *   group has no members (Empty), else UNKNOWN_MEMBER_ID; for an unknown group they create an empty
 *   group without protocol type, as Kafka does. A member commit to an unknown group gets
 *   ILLEGAL_GENERATION (GROUP_ID_NOT_FOUND from OffsetCommit v9).
 * * Metadata longer than offsetMetadataMaxBytes: OFFSET_METADATA_TOO_LARGE for that partition only.
 *   With a `partitionExists` hook, unknown partitions get UNKNOWN_TOPIC_OR_PARTITION (as KafkaApis does).
 * * Offsets are answered only after the store append resolved; a failed append answers
 *   COORDINATOR_NOT_AVAILABLE (retriable) and changes nothing.
 * * OffsetFetch never fails for an unknown group: it answers -1 (no offset) per requested partition, or no
 *   topics when all partitions were asked for.
 * * OffsetDelete: GROUP_ID_NOT_FOUND for an unknown group; NON_EMPTY_GROUP while a non-"consumer" group
 *   has members; GROUP_SUBSCRIBED_TO_TOPIC for the topics a "consumer" group's members subscribe to (read
 *   from their subscription metadata; unreadable metadata counts as subscribed to everything).
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import type { Group } from './group.js';
import type { GroupRecord } from './records.js';
import type { GroupRuntime } from './runtime.js';
import type {
  CommittedOffset,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetDeleteRequest,
  OffsetDeleteResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
} from './types.js';

export type PartitionExists = (topic: string, partition: number) => boolean;

/** The validation of Kafka's ClassicGroup.validateOffsetCommit, as an error code. */
function validateCommit(rt: GroupRuntime, group: Group, req: OffsetCommitRequest): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (req.generationIdOrMemberEpoch < 0 && group.is('Empty')) return ErrorCode.NONE;
  if (req.generationIdOrMemberEpoch >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
    const memberError = validateMember(group, req.memberId, req.groupInstanceId);
    if (memberError !== ErrorCode.NONE) return memberError;
    if (req.generationIdOrMemberEpoch !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  } else if (!group.is('Empty')) {
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }
  if (group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
  if (group.is('Stable') || group.is('PreparingRebalance')) {
    const member = group.members.get(req.memberId);
    if (member !== undefined) rt.rescheduleHeartbeat(group, member);
  }
  return ErrorCode.NONE;
}

/** Kafka's ClassicGroup.validateMember: the static mapping first, then the member id. */
export function validateMember(group: Group, memberId: string, groupInstanceId: string | null): number {
  if (groupInstanceId !== null) {
    const current = group.staticMembers.get(groupInstanceId);
    if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
  }
  return group.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

function commitError(req: OffsetCommitRequest, errorCode: number): OffsetCommitResponse {
  return {
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  };
}

export async function commitOffsets(
  rt: GroupRuntime,
  req: OffsetCommitRequest,
  partitionExists: PartitionExists | undefined,
): Promise<OffsetCommitResponse> {
  let group = rt.groups.get(req.groupId);
  if (group === undefined) {
    if (req.generationIdOrMemberEpoch >= 0) {
      const unknown =
        (req.apiVersion ?? 0) >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
      return commitError(req, unknown);
    }
    group = rt.getOrCreateGroup(req.groupId);
  }
  const groupError = validateCommit(rt, group, req);
  if (groupError !== ErrorCode.NONE) return commitError(req, groupError);

  const nowMs = rt.nowMs();
  const retentionMs = Number(req.retentionTimeMs ?? -1n);
  const expireTimestampMs = retentionMs < 0 ? null : nowMs + retentionMs;
  const records: (GroupRecord & { type: 'offset' })[] = [];
  const response: OffsetCommitResponse = { topics: [] };
  const accepted: { errorCode: number }[] = [];
  for (const topic of req.topics) {
    const partitions: { partitionIndex: number; errorCode: number }[] = [];
    response.topics.push({ name: topic.name, partitions });
    for (const p of topic.partitions) {
      const result = { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
      partitions.push(result);
      const metadata = p.committedMetadata ?? '';
      if (metadata.length > rt.config.offsetMetadataMaxBytes) {
        result.errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
      } else if (partitionExists !== undefined && !partitionExists(topic.name, p.partitionIndex)) {
        result.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      } else {
        const value: CommittedOffset = {
          committedOffset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata,
          commitTimestampMs: nowMs,
          expireTimestampMs,
        };
        records.push({
          type: 'offset',
          groupId: req.groupId,
          topic: topic.name,
          partition: p.partitionIndex,
          value,
        });
        accepted.push(result);
      }
    }
  }
  if (records.length === 0) return response;
  try {
    await rt.store.append(records);
  } catch (error) {
    rt.logger.warn(`Failed to persist offsets of group "${req.groupId}": ${String(error)}`);
    for (const result of accepted) result.errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return response;
  }
  for (const r of records) if (r.value !== null) rt.offsets.put(r.groupId, r.topic, r.partition, r.value);
  return response;
}

export function fetchOffsets(rt: GroupRuntime, req: OffsetFetchRequest): OffsetFetchResponse {
  const group = rt.groups.get(req.groupId);
  const known = group !== undefined && !group.is('Dead');
  const response: OffsetFetchResponse = { groupId: req.groupId, errorCode: ErrorCode.NONE, topics: [] };
  if (req.topics === null) {
    if (!known) return response;
    const byTopic = new Map<string, OffsetFetchResponse['topics'][number]>();
    for (const { topic, partition, offset } of rt.offsets.entries(req.groupId)) {
      let t = byTopic.get(topic);
      if (t === undefined) {
        t = { name: topic, partitions: [] };
        byTopic.set(topic, t);
        response.topics.push(t);
      }
      t.partitions.push(fetchedPartition(partition, offset));
    }
    return response;
  }
  for (const topic of req.topics) {
    response.topics.push({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partition) =>
        fetchedPartition(partition, known ? rt.offsets.get(req.groupId, topic.name, partition) : undefined),
      ),
    });
  }
  return response;
}

function fetchedPartition(partitionIndex: number, offset: CommittedOffset | undefined) {
  if (offset === undefined) {
    return {
      partitionIndex,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode: ErrorCode.NONE,
    };
  }
  return {
    partitionIndex,
    committedOffset: offset.committedOffset,
    committedLeaderEpoch: offset.leaderEpoch,
    metadata: offset.metadata,
    errorCode: ErrorCode.NONE,
  };
}

export async function deleteOffsets(
  rt: GroupRuntime,
  req: OffsetDeleteRequest,
  partitionExists: PartitionExists | undefined,
): Promise<OffsetDeleteResponse> {
  const group = rt.groups.get(req.groupId);
  if (group === undefined || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
  const active = group.is('Stable') || group.is('PreparingRebalance') || group.is('CompletingRebalance');
  if (active && group.protocolType !== 'consumer')
    return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };

  const response: OffsetDeleteResponse = { errorCode: ErrorCode.NONE, topics: [] };
  const tombstones: (GroupRecord & { type: 'offset' })[] = [];
  const accepted: { errorCode: number }[] = [];
  for (const topic of req.topics) {
    const subscribed = group.isSubscribedToTopic(topic.name);
    const partitions = topic.partitions.map(({ partitionIndex }) => {
      const result = { partitionIndex, errorCode: ErrorCode.NONE };
      if (subscribed) result.errorCode = ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC;
      else if (partitionExists !== undefined && !partitionExists(topic.name, partitionIndex)) {
        result.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      } else {
        accepted.push(result);
        if (rt.offsets.get(req.groupId, topic.name, partitionIndex) !== undefined) {
          tombstones.push({
            type: 'offset',
            groupId: req.groupId,
            topic: topic.name,
            partition: partitionIndex,
            value: null,
          });
        }
      }
      return result;
    });
    response.topics.push({ name: topic.name, partitions });
  }
  if (tombstones.length === 0) return response;
  try {
    await rt.store.append(tombstones);
  } catch (error) {
    rt.logger.warn(`Failed to delete offsets of group "${req.groupId}": ${String(error)}`);
    for (const result of accepted) result.errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return response;
  }
  for (const t of tombstones) rt.offsets.remove(t.groupId, t.topic, t.partition);
  return response;
}
