/**
 * SyncGroup: v0-5
 *
 * Behavior:
 * - The leader's assignments are stored with the group's metadata in __consumer_offsets before anyone
 *   receives theirs; followers wait for the leader (GroupCoordinator.syncGroup).
 * - v3+: group.instance.id checked; v5+: protocol type/name checked (INCONSISTENT_GROUP_PROTOCOL) and
 *   echoed in the response.
 */
import { defineHandler } from '../handler.js';

export const syncGroupHandler = defineHandler({
  apiKey: 14,
  async handle(request, { broker, version }) {
    const result = await broker.groups.coordinator.syncGroup({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: version >= 3 ? request.groupInstanceId : null,
      protocolType: version >= 5 ? request.protocolType : null,
      protocolName: version >= 5 ? request.protocolName : null,
      assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      protocolType: result.protocolType,
      protocolName: result.protocolName,
      assignment: result.assignment,
    };
  },
});
