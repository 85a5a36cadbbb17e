/**
 * Heartbeat: v0-4
 *
 * Behavior:
 * - Extends the member's session (GroupCoordinator.heartbeat); REBALANCE_IN_PROGRESS tells it to rejoin,
 *   UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / FENCED_INSTANCE_ID as Kafka answers them.
 * - v3+: group.instance.id is checked for static members.
 */
import { defineHandler } from '../handler.js';

export const heartbeatHandler = defineHandler({
  apiKey: 12,
  async handle(request, { broker, version }) {
    const { errorCode } = await broker.groups.coordinator.heartbeat({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: version >= 3 ? request.groupInstanceId : null,
    });
    return { throttleTimeMs: 0, errorCode };
  },
});
