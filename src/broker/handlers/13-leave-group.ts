/**
 * LeaveGroup: v0-4
 *
 * Behavior:
 * - v0-2 name one member: it leaves, and its error (UNKNOWN_MEMBER_ID, …) is the top-level error, as
 *   Kafka answers those versions.
 * - v3+ (KIP-345): a batch of members, by member id or by group.instance.id (member id ''); one result
 *   per member, the top-level error only for group-wide failures.
 */
import { defineHandler } from '../handler.js';

export const leaveGroupHandler = defineHandler({
  apiKey: 13,
  async handle(request, { broker, version }) {
    const members =
      version >= 3
        ? request.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            reason: version >= 5 ? m.reason : null,
          }))
        : [{ memberId: request.memberId, groupInstanceId: null }];
    const result = await broker.groups.coordinator.leaveGroup({ groupId: request.groupId, members });
    if (version < 3) {
      const memberError = result.members[0]?.errorCode ?? 0;
      return { throttleTimeMs: 0, errorCode: result.errorCode || memberError, members: [] };
    }
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      members: result.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode: m.errorCode,
      })),
    };
  },
});
