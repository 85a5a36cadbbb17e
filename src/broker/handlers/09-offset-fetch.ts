/**
 * OffsetFetch: v1-8
 *
 * Behavior:
 * - v1-7: one group (top-level groupId/topics); v8+ (KIP-709): several groups, one coordinator call each.
 * - Listed partitions without an offset answer -1 (and '' metadata); topics null (v2+) answers every
 *   offset the group has. An unknown group is not an error: it simply has no offsets.
 * - v5+ carry the committed leader epoch; v2+ carry a top-level error code (coordinator loading, …);
 *   v0-1 have none, so the group error is repeated on every partition.
 * - requireStable (v7+) needs no waiting: without transactions no offset commit is ever pending.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ZERO_UUID } from '../../protocol/reader.js';
import { defineHandler } from '../handler.js';

export const offsetFetchHandler = defineHandler({
  apiKey: 9,
  async handle(request, { broker, version }) {
    const coordinator = broker.groups.coordinator;
    if (version >= 8) {
      const groups = await Promise.all(
        request.groups.map((g) =>
          coordinator.offsetFetch({
            groupId: g.groupId,
            topics:
              g.topics === null
                ? null
                : g.topics.map((t) => ({ name: t.name, partitionIndexes: t.partitionIndexes })),
          }),
        ),
      );
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        topics: [],
        groups: groups.map((g) => ({
          groupId: g.groupId,
          errorCode: g.errorCode,
          // Topic ids are OffsetFetch v10+, which this broker does not serve.
          topics: g.topics.map((t) => ({ name: t.name, topicId: ZERO_UUID, partitions: t.partitions })),
        })),
      };
    }
    const result = await coordinator.offsetFetch({
      groupId: request.groupId,
      topics:
        request.topics === null
          ? null
          : request.topics.map((t) => ({ name: t.name, partitionIndexes: t.partitionIndexes })),
    });
    // v0-1 have no top-level error: a group-level failure (loading, …) goes on every listed partition.
    const topics =
      version < 2 && result.errorCode !== ErrorCode.NONE
        ? (request.topics ?? []).map((t) => ({
            name: t.name,
            partitions: t.partitionIndexes.map((partitionIndex) => ({
              partitionIndex,
              committedOffset: -1n,
              committedLeaderEpoch: -1,
              metadata: '',
              errorCode: result.errorCode,
            })),
          }))
        : result.topics;
    return { throttleTimeMs: 0, errorCode: result.errorCode, topics, groups: [] };
  },
});
