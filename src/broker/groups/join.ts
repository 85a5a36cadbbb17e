/**
 * JoinGroup for classic groups (Kafka's GroupMetadataManager.classicGroupJoin*).
 *
 * Behavior:
 * * A first join (member id '') of a dynamic member gets a generated id `clientId-uuid`; with
 *   `requireKnownMemberId` (JoinGroup v4+) it is answered MEMBER_ID_REQUIRED with that id and must join
 *   again with it within the session timeout, else the pending id expires.
 * * A join parks until the join phase completes (./runtime.ts); a join to an unknown group with a member
 *   id gets UNKNOWN_MEMBER_ID; a Dead group gets COORDINATOR_NOT_AVAILABLE; protocols the group cannot
 *   use get INCONSISTENT_GROUP_PROTOCOL; a full group gets GROUP_MAX_SIZE_REACHED.
 * * An existing member rejoining: during PreparingRebalance it parks; in CompletingRebalance with the same
 *   protocols it gets the current generation again (no new rebalance); in Stable a follower with unchanged
 *   protocols gets the current generation, while the leader or changed protocols trigger a rebalance.
 * * Static members (group.instance.id, KIP-345): a join with an unknown member id and a known instance id
 *   replaces the old member id, fencing the old one (FENCED_INSTANCE_ID). In a Stable group whose selected
 *   protocol would not change there is no rebalance: the new id is persisted, then the member gets the
 *   current generation and keeps its assignment (the leader, on JoinGroup v9+, gets the members and
 *   skipAssignment=true). A join with a stale member id for a known instance id is FENCED_INSTANCE_ID.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../errors/codes.generated.js';
import { type Group, Member } from './group.js';
import { validateMember } from './offsets.js';
import { errorJoinResponse, type GroupRuntime } from './runtime.js';
import type { JoinGroupRequest, JoinGroupResponse } from './types.js';

type Respond = (response: JoinGroupResponse) => void;

function currentGeneration(group: Group, memberId: string, withMembers: boolean): JoinGroupResponse {
  return {
    errorCode: ErrorCode.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId,
    members: withMembers ? group.joinResponseMembers() : [],
  };
}

function acceptJoiningMember(rt: GroupRuntime, group: Group, memberId: string): boolean {
  const max = rt.config.maxGroupSize;
  switch (group.state) {
    case 'Empty':
    case 'Dead':
      return true;
    case 'PreparingRebalance':
      return (group.members.get(memberId)?.awaitingJoin ?? null) !== null || group.numAwaitingJoin < max;
    default:
      return group.members.has(memberId) || group.members.size < max;
  }
}

/** Handles one JoinGroup; `respond` is called exactly once, possibly much later. */
export function joinGroup(rt: GroupRuntime, req: JoinGroupRequest, respond: Respond): void {
  const isUnknownMember = req.memberId === '';
  const existing = rt.groups.get(req.groupId);
  if (existing === undefined && !isUnknownMember) {
    respond(errorJoinResponse(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    return;
  }
  const group = existing ?? rt.getOrCreateGroup(req.groupId);
  if (!acceptJoiningMember(rt, group, req.memberId)) {
    const member = group.members.get(req.memberId);
    if (member !== undefined) rt.dropMember(group, member);
    respond(errorJoinResponse(ErrorCode.GROUP_MAX_SIZE_REACHED, ''));
  } else if (isUnknownMember) {
    joinNewMember(rt, group, req, respond);
  } else {
    joinExistingMember(rt, group, req, respond);
  }
}

function protocolNames(req: JoinGroupRequest): string[] {
  return req.protocols.map((p) => p.name);
}

function joinNewMember(rt: GroupRuntime, group: Group, req: JoinGroupRequest, respond: Respond): void {
  if (group.is('Dead')) {
    respond(errorJoinResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE, ''));
    return;
  }
  if (!group.supportsProtocols(req.protocolType, protocolNames(req))) {
    respond(errorJoinResponse(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ''));
    return;
  }
  const newMemberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
  if (req.groupInstanceId !== null) {
    const oldMemberId = group.staticMembers.get(req.groupInstanceId);
    if (oldMemberId !== undefined) replaceStaticMember(rt, group, req, oldMemberId, newMemberId, respond);
    else addMemberAndRebalance(rt, group, req, newMemberId, respond);
  } else if (req.requireKnownMemberId) {
    group.pendingJoinMembers.add(newMemberId);
    rt.schedulePendingMemberExpiry(group, newMemberId, req.sessionTimeoutMs);
    respond(errorJoinResponse(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
  } else {
    addMemberAndRebalance(rt, group, req, newMemberId, respond);
  }
}

function joinExistingMember(rt: GroupRuntime, group: Group, req: JoinGroupRequest, respond: Respond): void {
  const { memberId } = req;
  if (group.is('Dead')) {
    respond(errorJoinResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
    return;
  }
  if (!group.supportsProtocols(req.protocolType, protocolNames(req))) {
    respond(errorJoinResponse(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    return;
  }
  if (group.pendingJoinMembers.has(memberId)) {
    // Pending ids are only handed to dynamic members; a static one using it is a confused client.
    if (req.groupInstanceId !== null) respond(errorJoinResponse(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    else addMemberAndRebalance(rt, group, req, memberId, respond);
    return;
  }
  const memberError = validateMember(group, memberId, req.groupInstanceId);
  if (memberError !== ErrorCode.NONE) {
    respond(errorJoinResponse(memberError, memberId));
    return;
  }
  const member = group.member(memberId);
  const unchanged = member.matches(req.protocols);
  switch (group.state) {
    case 'PreparingRebalance':
      updateMemberAndRebalance(rt, group, member, req, respond);
      return;
    case 'CompletingRebalance':
      // Same metadata: the member probably missed its JoinGroup response; send the generation again.
      if (unchanged) respond(currentGeneration(group, memberId, group.isLeader(memberId)));
      else updateMemberAndRebalance(rt, group, member, req, respond);
      return;
    case 'Stable':
      // The leader rejoining forces a rebalance: that is how it reacts to topic metadata changes.
      if (group.isLeader(memberId) || !unchanged) updateMemberAndRebalance(rt, group, member, req, respond);
      else respond(currentGeneration(group, memberId, false));
      return;
    default:
      respond(errorJoinResponse(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
  }
}

function rebalanceTimeoutMs(req: JoinGroupRequest): number {
  return req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
}

function addMemberAndRebalance(
  rt: GroupRuntime,
  group: Group,
  req: JoinGroupRequest,
  memberId: string,
  respond: Respond,
): void {
  const member = new Member({
    memberId,
    groupInstanceId: req.groupInstanceId,
    clientId: req.clientId,
    clientHost: req.clientHost,
    rebalanceTimeoutMs: rebalanceTimeoutMs(req),
    sessionTimeoutMs: req.sessionTimeoutMs,
    protocolType: req.protocolType,
    protocols: req.protocols,
  });
  member.isNew = true;
  if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true;
  group.add(member, respond);
  // A parked new member cannot heartbeat and a dead client cannot be detected while parked, so a new
  // member's first join times out on its own (a live client will retry).
  rt.rescheduleHeartbeat(group, member, rt.config.newMemberJoinTimeoutMs);
  rt.maybePrepareRebalanceOrCompleteJoin(group);
}

function updateMemberAndRebalance(
  rt: GroupRuntime,
  group: Group,
  member: Member,
  req: JoinGroupRequest,
  respond: Respond,
): void {
  // A second JoinGroup replaces a parked one (its client gave up on it): answer the old one so nothing hangs.
  group.completeJoin(member, errorJoinResponse(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
  group.updateMember(
    member,
    {
      protocols: req.protocols,
      rebalanceTimeoutMs: rebalanceTimeoutMs(req),
      sessionTimeoutMs: req.sessionTimeoutMs,
    },
    respond,
  );
  rt.maybePrepareRebalanceOrCompleteJoin(group);
}

function replaceStaticMember(
  rt: GroupRuntime,
  group: Group,
  req: JoinGroupRequest,
  oldMemberId: string,
  newMemberId: string,
  respond: Respond,
): void {
  const instanceId = req.groupInstanceId!;
  const leaderBefore = group.leaderId ?? '';
  const member = group.replaceStaticMember(
    instanceId,
    oldMemberId,
    newMemberId,
    ErrorCode.FENCED_INSTANCE_ID,
  );
  rt.cancelHeartbeat(group.groupId, oldMemberId);
  rt.rescheduleHeartbeat(group, member);
  const previous = {
    protocols: member.protocols,
    rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    sessionTimeoutMs: member.sessionTimeoutMs,
  };
  group.updateMember(
    member,
    {
      protocols: req.protocols,
      rebalanceTimeoutMs: rebalanceTimeoutMs(req),
      sessionTimeoutMs: req.sessionTimeoutMs,
    },
    respond,
  );
  switch (group.state) {
    case 'Stable':
      if ((group.protocolName ?? '') === group.selectProtocol()) {
        persistReplacedStaticMember(rt, group, req, { oldMemberId, member, previous, leaderBefore });
      } else {
        rt.maybePrepareRebalanceOrCompleteJoin(group);
      }
      return;
    case 'CompletingRebalance':
      // The leader may already be computing an assignment naming the old id: rebalance again.
      rt.prepareRebalance(group);
      return;
    default:
      rt.maybeCompleteJoinPhase(group);
  }
}

interface Replacement {
  oldMemberId: string;
  member: Member;
  previous: Parameters<Group['updateMember']>[1];
  leaderBefore: string;
}

/** Persists the new static member id, then answers with the current generation (no rebalance). */
function persistReplacedStaticMember(
  rt: GroupRuntime,
  group: Group,
  req: JoinGroupRequest,
  r: Replacement,
): void {
  const generationId = group.generationId;
  const record = rt.groupMetadataRecord(group, new Map());
  const stillCurrent = () =>
    group.is('Stable') && group.generationId === generationId && r.member.awaitingJoin !== null;
  rt.store
    .append([record])
    .then(
      () => {
        if (!stillCurrent()) return; // a rebalance started meanwhile and will answer the parked join
        const isLeader = group.isLeader(r.member.memberId);
        const skip = req.supportsSkipAssignment === true;
        group.completeJoin(r.member, {
          ...currentGeneration(group, r.member.memberId, skip && isLeader),
          leader: skip ? (group.leaderId ?? '') : r.leaderBefore,
          skipAssignment: skip && isLeader,
        });
      },
      (error: unknown) => {
        rt.logger.warn(`Failed to persist static member of group "${group.groupId}": ${String(error)}`);
        if (!stillCurrent()) return;
        const respond = r.member.awaitingJoin!;
        group.updateMember(r.member, r.previous, null);
        const restored = group.replaceStaticMember(req.groupInstanceId!, r.member.memberId, r.oldMemberId, 0);
        rt.cancelHeartbeat(group.groupId, r.member.memberId);
        rt.rescheduleHeartbeat(group, restored);
        respond({
          ...errorJoinResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE, ''),
          generationId,
          leader: r.leaderBefore,
        });
      },
    )
    .catch((error: unknown) =>
      rt.logger.warn(`Group "${group.groupId}" static rejoin failed: ${String(error)}`),
    );
}
