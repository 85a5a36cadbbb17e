/**
 * OffsetCommit: v2-8
 *
 * Behavior:
 * - Offsets are appended to __consumer_offsets and answered only once the append (and, with the fsync
 *   policy on, the flush) completed; a failed append answers COORDINATOR_NOT_AVAILABLE and stores nothing.
 * - Member commits are checked against the group's member id, instance id (v7+) and generation
 *   (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS); admin commits
 *   (generation -1, no member) only while the group is Empty. The API version is passed on: v9+ answers
 *   GROUP_ID_NOT_FOUND for a member commit to an unknown group.
 * - Partitions that do not exist get UNKNOWN_TOPIC_OR_PARTITION; metadata above offset.metadata.max.bytes
 *   gets OFFSET_METADATA_TOO_LARGE, per partition.
 * - v2-4 retention time and v6+ committed leader epoch are stored as given (the leader epoch comes back in
 *   OffsetFetch v5+; an explicit retention sets the offset's expiry).
 */
import { ZERO_UUID } from '../../protocol/reader.js';
import { defineHandler } from '../handler.js';

export const offsetCommitHandler = defineHandler({
  apiKey: 8,
  async handle(request, { broker, version }) {
    const result = await broker.groups.coordinator.offsetCommit({
      groupId: request.groupId,
      generationIdOrMemberEpoch: request.generationIdOrMemberEpoch,
      memberId: request.memberId,
      groupInstanceId: version >= 7 ? request.groupInstanceId : null,
      ...(version >= 2 && version <= 4 ? { retentionTimeMs: request.retentionTimeMs } : {}),
      apiVersion: version,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1,
          committedMetadata: p.committedMetadata,
        })),
      })),
    });
    return {
      throttleTimeMs: 0,
      // Topic ids are OffsetCommit v10+, which this broker does not serve.
      topics: result.topics.map((t) => ({ name: t.name, topicId: ZERO_UUID, partitions: t.partitions })),
    };
  },
});
