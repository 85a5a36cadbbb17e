/**
 * OffsetDelete: v0
 *
 * Behavior:
 * - Removes a group's committed offsets of topics it no longer consumes (tombstones in
 *   __consumer_offsets): GROUP_ID_NOT_FOUND for an unknown group, NON_EMPTY_GROUP while a non-consumer
 *   group has members, GROUP_SUBSCRIBED_TO_TOPIC per partition of a topic a member subscribes to,
 *   UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist.
 */
import { defineHandler } from '../handler.js';

export const offsetDeleteHandler = defineHandler({
  apiKey: 47,
  async handle(request, { broker }) {
    const result = await broker.groups.coordinator.offsetDelete({
      groupId: request.groupId,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex })),
      })),
    });
    return { throttleTimeMs: 0, errorCode: result.errorCode, topics: result.topics };
  },
});
