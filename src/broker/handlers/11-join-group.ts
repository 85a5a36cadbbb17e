/**
 * JoinGroup: v0-7
 *
 * Behavior:
 * - Maps the request onto GroupCoordinator.joinGroup (src/broker/groups) and answers when the member's
 *   join phase completes; the protocol metadata is passed through untouched, so any client-side assignor
 *   (range, roundrobin, sticky, cooperative-sticky) works.
 * - v4+ (KIP-394): a first join without member id gets MEMBER_ID_REQUIRED with a generated id.
 * - v5+: static membership (group.instance.id). v0: the rebalance timeout is the session timeout.
 * - Session timeouts outside group.min/max.session.timeout.ms: INVALID_SESSION_TIMEOUT.
 * - v0-6 cannot carry a null protocol name: errors answer '' (as Kafka does), else the encoder would fail
 *   and close the connection.
 */
import { clientHostOf } from '../group-wiring.js';
import { defineHandler } from '../handler.js';

export const joinGroupHandler = defineHandler({
  apiKey: 11,
  async handle(request, { broker, version, header, connection }) {
    const result = await broker.groups.coordinator.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: version >= 5 ? request.groupInstanceId : null,
      protocolType: request.protocolType,
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : -1,
      clientId: header.clientId ?? '',
      clientHost: clientHostOf(connection.remoteAddress),
      requireKnownMemberId: version >= 4,
      supportsSkipAssignment: version >= 9,
      reason: version >= 8 ? request.reason : null,
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolType: result.protocolType,
      protocolName: version >= 7 ? result.protocolName : (result.protocolName ?? ''),
      leader: result.leader,
      skipAssignment: result.skipAssignment,
      memberId: result.memberId,
      members: result.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        metadata: m.metadata,
      })),
    };
  },
});
