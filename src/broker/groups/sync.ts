/**
 * SyncGroup, Heartbeat and LeaveGroup for classic groups.
 *
 * Behavior:
 * * SyncGroup: unknown group or Empty group → UNKNOWN_MEMBER_ID; Dead → COORDINATOR_NOT_AVAILABLE; then
 *   member checks (UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID), ILLEGAL_GENERATION, and
 *   INCONSISTENT_GROUP_PROTOCOL when a v5+ client names another protocol type/name. During
 *   PreparingRebalance: REBALANCE_IN_PROGRESS. During CompletingRebalance followers park; the leader's
 *   assignments (members it left out get an empty one) are persisted with the group metadata, and only then
 *   delivered to everyone, and the group becomes Stable. A failed write answers everyone
 *   COORDINATOR_NOT_AVAILABLE and rebalances. In Stable, SyncGroup returns the member's assignment.
 * * Heartbeat: unknown group → UNKNOWN_MEMBER_ID; Dead → COORDINATOR_NOT_AVAILABLE; member checks; a
 *   wrong generation → ILLEGAL_GENERATION; PreparingRebalance → REBALANCE_IN_PROGRESS (the session is
 *   still extended); CompletingRebalance/Stable → NONE.
 * * LeaveGroup: per member — by member id, or by group.instance.id with member id '' (admin removal);
 *   errors per member (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID); an unknown group answers every member
 *   UNKNOWN_MEMBER_ID. Any successful leave rebalances (or completes a pending join phase).
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { EMPTY_BYTES, type Group } from './group.js';
import { validateMember } from './offsets.js';
import type { GroupRuntime } from './runtime.js';
import type {
  HeartbeatRequest,
  HeartbeatResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from './types.js';

function syncError(errorCode: number): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

/** A v5+ client naming a protocol type/name different from the group's. */
function inconsistent(requested: string | null, actual: string | null): boolean {
  return requested !== null && actual !== null && requested !== actual;
}

function validateSync(group: Group, req: SyncGroupRequest): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const memberError = validateMember(group, req.memberId, req.groupInstanceId);
  if (memberError !== ErrorCode.NONE) return memberError;
  if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  if (
    inconsistent(req.protocolType, group.protocolType) ||
    inconsistent(req.protocolName, group.protocolName)
  ) {
    return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  }
  return ErrorCode.NONE;
}

export function syncGroup(rt: GroupRuntime, req: SyncGroupRequest): Promise<SyncGroupResponse> {
  const group = rt.groups.get(req.groupId);
  if (group === undefined || group.is('Empty'))
    return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
  const error = validateSync(group, req);
  if (error !== ErrorCode.NONE) return Promise.resolve(syncError(error));
  if (group.is('PreparingRebalance')) return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
  const member = group.member(req.memberId);
  if (group.is('Stable')) {
    rt.removePendingSyncMember(group, req.memberId);
    return Promise.resolve({
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    });
  }
  // CompletingRebalance: park until the leader's assignment is stored.
  group.completeSync(member, syncError(ErrorCode.REBALANCE_IN_PROGRESS)); // a replaced, abandoned SyncGroup
  const parked = new Promise<SyncGroupResponse>((resolve) => {
    member.awaitingSync = resolve;
  });
  rt.removePendingSyncMember(group, req.memberId);
  if (group.isLeader(req.memberId)) storeAssignment(rt, group, req);
  return parked;
}

function storeAssignment(rt: GroupRuntime, group: Group, req: SyncGroupRequest): void {
  const assignment = new Map<string, Uint8Array>();
  for (const a of req.assignments) assignment.set(a.memberId, a.assignment);
  for (const id of group.members.keys()) if (!assignment.has(id)) assignment.set(id, EMPTY_BYTES);
  const generationId = group.generationId;
  const record = rt.groupMetadataRecord(group, assignment);
  // Another member may join while the write is in flight: act only if this generation is still syncing.
  const stillSyncing = () => group.is('CompletingRebalance') && group.generationId === generationId;
  rt.store
    .append([record])
    .then(
      () => {
        if (!stillSyncing()) return;
        rt.setAndPropagateAssignment(group, assignment);
        group.transitionTo('Stable', rt.nowMs());
      },
      (error: unknown) => {
        rt.logger.warn(`Failed to persist the assignment of group "${group.groupId}": ${String(error)}`);
        if (!stillSyncing()) return;
        rt.resetAndPropagateAssignmentWithError(group, ErrorCode.COORDINATOR_NOT_AVAILABLE);
        rt.maybePrepareRebalanceOrCompleteJoin(group);
      },
    )
    .catch((error: unknown) => rt.logger.warn(`Group "${group.groupId}" sync failed: ${String(error)}`));
}

export function heartbeat(rt: GroupRuntime, req: HeartbeatRequest): HeartbeatResponse {
  const group = rt.groups.get(req.groupId);
  if (group === undefined) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
  if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  const memberError = validateMember(group, req.memberId, req.groupInstanceId);
  if (memberError !== ErrorCode.NONE) return { errorCode: memberError };
  if (req.generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
  switch (group.state) {
    case 'PreparingRebalance':
      rt.rescheduleHeartbeat(group, group.member(req.memberId));
      return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS };
    case 'CompletingRebalance':
    case 'Stable':
      rt.rescheduleHeartbeat(group, group.member(req.memberId));
      return { errorCode: ErrorCode.NONE };
    default:
      return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
  }
}

export function leaveGroup(rt: GroupRuntime, req: LeaveGroupRequest): LeaveGroupResponse {
  const group = rt.groups.get(req.groupId);
  if (group === undefined) {
    return {
      errorCode: ErrorCode.NONE,
      members: req.members.map((m) => ({ ...identity(m), errorCode: ErrorCode.UNKNOWN_MEMBER_ID })),
    };
  }
  if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
  const members = req.members.map((m) => ({ ...identity(m), errorCode: leaveOne(rt, group, m) }));
  if (members.some((m) => m.errorCode === ErrorCode.NONE)) {
    if (group.is('Stable') || group.is('CompletingRebalance')) rt.maybePrepareRebalanceOrCompleteJoin(group);
    else if (group.is('PreparingRebalance')) rt.maybeCompleteJoinPhase(group);
  }
  return { errorCode: ErrorCode.NONE, members };
}

function identity(m: LeaveGroupRequest['members'][number]) {
  return { memberId: m.memberId, groupInstanceId: m.groupInstanceId };
}

function leaveOne(rt: GroupRuntime, group: Group, m: LeaveGroupRequest['members'][number]): number {
  if (m.memberId === '') {
    // Administrative removal by group.instance.id (kafka-consumer-groups --delete-members style).
    const memberId = m.groupInstanceId === null ? undefined : group.staticMembers.get(m.groupInstanceId);
    if (memberId === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    rt.dropMember(group, group.member(memberId));
    return ErrorCode.NONE;
  }
  if (group.pendingJoinMembers.has(m.memberId)) {
    group.remove(m.memberId);
    rt.cancelHeartbeat(group.groupId, m.memberId);
    return ErrorCode.NONE;
  }
  const memberError = validateMember(group, m.memberId, m.groupInstanceId);
  if (memberError !== ErrorCode.NONE) return memberError;
  rt.dropMember(group, group.member(m.memberId));
  return ErrorCode.NONE;
}
