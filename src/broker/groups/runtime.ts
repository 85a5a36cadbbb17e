/**
 * The rebalance machinery shared by every group operation (Kafka's GroupMetadataManager, classic parts).
 *
 * Behavior:
 * * Holds the groups, the committed offsets, the timers, the store and the configuration.
 * * A rebalance: PreparingRebalance waits for every member to rejoin (or the largest rebalance timeout,
 *   after which dynamic members that did not rejoin are dropped); then the generation increments, a
 *   protocol is chosen, every parked JoinGroup is answered (the leader with all members' metadata) and the
 *   group waits in CompletingRebalance for the leader's SyncGroup; members that never send SyncGroup are
 *   dropped after the rebalance timeout and the group rebalances again.
 * * The first rebalance of an Empty group waits `initialRebalanceDelayMs` (group.initial.rebalance.delay.ms,
 *   0 by default here), extended while new members keep arriving, bounded by the rebalance timeout.
 * * Session timeout: each member has one heartbeat timer; when it fires and the member is not parked in a
 *   JoinGroup/SyncGroup (or is new), the member is removed and the group rebalances.
 * * A removed member still parked gets UNKNOWN_MEMBER_ID, so no request is ever left hanging.
 * * Group metadata is persisted when a generation's assignment is set (before anyone receives it), when a
 *   group becomes Empty, and when a static member is replaced without a rebalance.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { EMPTY_BYTES, Group, type Member } from './group.js';
import type { OffsetTable } from './offsets-table.js';
import type { GroupRecord } from './records.js';
import type { GroupStore } from './store.js';
import { type GroupTime, KeyedTimers } from './time.js';
import type { JoinGroupResponse } from './types.js';

export interface CoordinatorConfig {
  /** group.initial.rebalance.delay.ms (Kafka: 3000; kt: 0). */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  maxSessionTimeoutMs: number;
  /** How long a new member may stay parked in its first JoinGroup (Kafka: 5 minutes). */
  newMemberJoinTimeoutMs: number;
  /** group.max.size */
  maxGroupSize: number;
  /** offset.metadata.max.bytes */
  offsetMetadataMaxBytes: number;
  /** offsets.retention.minutes, in ms (Kafka: 7 days). */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  offsetsRetentionCheckIntervalMs: number;
}

export const DEFAULT_CONFIG: CoordinatorConfig = {
  initialRebalanceDelayMs: 0,
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  newMemberJoinTimeoutMs: 300_000,
  maxGroupSize: Number.MAX_SAFE_INTEGER,
  offsetMetadataMaxBytes: 4096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
};

export interface GroupLogger {
  warn(message: string): void;
}

const SEP = '\u0000';
const joinKey = (groupId: string) => `join${SEP}${groupId}`;
const syncKey = (groupId: string) => `sync${SEP}${groupId}`;
const heartbeatKey = (groupId: string, memberId: string) => `hb${SEP}${groupId}${SEP}${memberId}`;

export function errorJoinResponse(errorCode: number, memberId: string): JoinGroupResponse {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export class GroupRuntime {
  readonly groups = new Map<string, Group>();
  readonly timers: KeyedTimers;

  constructor(
    readonly time: GroupTime,
    readonly store: GroupStore,
    readonly offsets: OffsetTable,
    readonly config: CoordinatorConfig,
    readonly logger: GroupLogger,
  ) {
    this.timers = new KeyedTimers(time, (error) =>
      logger.warn(`Group coordinator timer failed: ${String(error)}`),
    );
  }

  nowMs(): number {
    return this.time.nowMs();
  }

  getOrCreateGroup(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }

  // ---- heartbeats -------------------------------------------------------------------------------

  rescheduleHeartbeat(group: Group, member: Member, timeoutMs = member.sessionTimeoutMs): void {
    const { groupId } = group;
    const { memberId } = member;
    this.timers.schedule(heartbeatKey(groupId, memberId), timeoutMs, () =>
      this.expireHeartbeat(groupId, memberId),
    );
  }

  schedulePendingMemberExpiry(group: Group, memberId: string, timeoutMs: number): void {
    const { groupId } = group;
    this.timers.schedule(heartbeatKey(groupId, memberId), timeoutMs, () =>
      this.expireHeartbeat(groupId, memberId),
    );
  }

  cancelHeartbeat(groupId: string, memberId: string): void {
    this.timers.cancel(heartbeatKey(groupId, memberId));
  }

  expireHeartbeat(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId);
    if (group === undefined || group.is('Dead')) return;
    if (group.pendingJoinMembers.has(memberId)) {
      group.remove(memberId);
      if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoin(group);
      return;
    }
    const member = group.members.get(memberId);
    if (member === undefined || member.hasSatisfiedHeartbeat()) return;
    this.removeMemberAndUpdateGroup(group, member);
  }

  /** Removes a member, answering whatever it still has parked with UNKNOWN_MEMBER_ID. */
  dropMember(group: Group, member: Member): void {
    this.cancelHeartbeat(group.groupId, member.memberId);
    group.completeJoin(member, errorJoinResponse(ErrorCode.UNKNOWN_MEMBER_ID, ''));
    group.completeSync(member, {
      errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
      protocolType: null,
      protocolName: null,
      assignment: EMPTY_BYTES,
    });
    group.remove(member.memberId);
  }

  removeMemberAndUpdateGroup(group: Group, member: Member): void {
    this.dropMember(group, member);
    if (group.is('Stable') || group.is('CompletingRebalance'))
      this.maybePrepareRebalanceOrCompleteJoin(group);
    else if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  // ---- join phase -------------------------------------------------------------------------------

  maybePrepareRebalanceOrCompleteJoin(group: Group): void {
    if (group.canRebalance()) this.prepareRebalance(group);
    else this.maybeCompleteJoinPhase(group);
  }

  prepareRebalance(group: Group): void {
    if (group.is('CompletingRebalance'))
      this.resetAndPropagateAssignmentWithError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.removeSyncExpiration(group);
    const isInitial = group.is('Empty');
    if (isInitial) {
      const delayMs = this.config.initialRebalanceDelayMs;
      const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
      const { groupId } = group;
      this.timers.schedule(joinKey(groupId), delayMs, () =>
        this.tryCompleteInitialRebalance(groupId, delayMs, remainingMs),
      );
    }
    group.transitionTo('PreparingRebalance', this.nowMs());
    if (!isInitial) this.maybeCompleteJoinElseSchedule(group);
  }

  /** Completes the join phase once everyone rejoined — except during the initial, delayed rebalance. */
  maybeCompleteJoinPhase(group: Group): void {
    if (!group.is('PreparingRebalance') || group.previousState === 'Empty') return;
    if (group.hasAllMembersJoined()) this.completeJoin(group);
  }

  #scheduleCompleteJoin(group: Group): void {
    const { groupId } = group;
    this.timers.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () => {
      const g = this.groups.get(groupId);
      if (g !== undefined) this.completeJoin(g);
    });
  }

  maybeCompleteJoinElseSchedule(group: Group): void {
    if (group.hasAllMembersJoined()) this.completeJoin(group);
    else this.#scheduleCompleteJoin(group);
  }

  tryCompleteInitialRebalance(groupId: string, delayMs: number, remainingMs: number): void {
    const group = this.groups.get(groupId);
    if (group === undefined) return;
    if (group.newMemberAdded && remainingMs !== 0) {
      // A member arrived during the delay: wait again, within what is left of the rebalance timeout.
      group.newMemberAdded = false;
      const nextDelayMs = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
      const nextRemainingMs = Math.max(remainingMs - delayMs, 0);
      this.timers.schedule(joinKey(groupId), nextDelayMs, () =>
        this.tryCompleteInitialRebalance(groupId, nextDelayMs, nextRemainingMs),
      );
    } else {
      this.completeJoin(group);
    }
  }

  completeJoin(group: Group): void {
    this.timers.cancel(joinKey(group.groupId));
    if (!group.is('PreparingRebalance')) return;
    for (const member of [...group.members.values()]) {
      if (member.awaitingJoin === null && member.groupInstanceId === null) this.dropMember(group, member);
    }
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Nobody rejoined (only static members remain): wait another rebalance timeout for them.
      this.#scheduleCompleteJoin(group);
      return;
    }
    group.initNextGeneration(this.nowMs());
    if (group.is('Empty')) {
      this.persistInBackground([this.groupMetadataRecord(group, new Map())], group.groupId);
      return;
    }
    for (const member of group.members.values()) {
      const isLeader = group.isLeader(member.memberId);
      group.completeJoin(member, {
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leader: group.leaderId ?? '',
        skipAssignment: false,
        memberId: member.memberId,
        members: isLeader ? group.joinResponseMembers() : [],
      });
      this.rescheduleHeartbeat(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    this.#schedulePendingSync(group);
  }

  // ---- sync phase -------------------------------------------------------------------------------

  #schedulePendingSync(group: Group): void {
    const { groupId, generationId } = group;
    this.timers.schedule(syncKey(groupId), group.rebalanceTimeoutMs(), () =>
      this.expirePendingSync(groupId, generationId),
    );
  }

  removeSyncExpiration(group: Group): void {
    group.pendingSyncMembers.clear();
    this.timers.cancel(syncKey(group.groupId));
  }

  removePendingSyncMember(group: Group, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    const waiting = group.is('CompletingRebalance') || group.is('Stable');
    if (!waiting || group.pendingSyncMembers.size === 0) this.timers.cancel(syncKey(group.groupId));
  }

  expirePendingSync(groupId: string, generationId: number): void {
    const group = this.groups.get(groupId);
    if (group === undefined || group.generationId !== generationId) return;
    if (!(group.is('CompletingRebalance') || group.is('Stable')) || group.pendingSyncMembers.size === 0)
      return;
    for (const memberId of [...group.pendingSyncMembers]) {
      const member = group.members.get(memberId);
      if (member !== undefined) this.dropMember(group, member);
    }
    this.prepareRebalance(group);
  }

  resetAndPropagateAssignmentWithError(group: Group, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY_BYTES;
    this.propagateAssignment(group, errorCode);
  }

  setAndPropagateAssignment(group: Group, assignment: ReadonlyMap<string, Uint8Array>): void {
    for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY_BYTES;
    this.propagateAssignment(group, ErrorCode.NONE);
  }

  propagateAssignment(group: Group, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const member of group.members.values()) {
      const answered = group.completeSync(member, {
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      });
      // The session restarts once a parked member has its answer.
      if (answered) this.rescheduleHeartbeat(group, member);
    }
  }

  // ---- persistence ------------------------------------------------------------------------------

  groupMetadataRecord(group: Group, assignment: ReadonlyMap<string, Uint8Array>): GroupRecord {
    const protocol = group.protocolName;
    const members = [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: protocol === null ? EMPTY_BYTES : m.metadata(protocol),
      assignment: assignment.get(m.memberId) ?? m.assignment,
    }));
    return {
      type: 'group',
      groupId: group.groupId,
      value: {
        protocolType: group.protocolType ?? '',
        generation: group.generationId,
        protocol,
        leader: group.leaderId,
        currentStateTimestampMs: group.stateTimestampMs ?? -1,
        members,
      },
    };
  }

  /** Appends without waiting: used where Kafka also only logs a failed write (no member awaits it). */
  persistInBackground(records: GroupRecord[], groupId: string): void {
    this.store.append(records).catch((error: unknown) => {
      this.logger.warn(`Failed to persist metadata of group "${groupId}": ${String(error)}`);
    });
  }

  /** Cancels every timer and answers every parked request (the coordinator is going away). */
  shutdown(errorCode: number): void {
    this.timers.close();
    for (const group of this.groups.values()) {
      for (const member of group.members.values()) {
        group.completeJoin(member, errorJoinResponse(errorCode, member.memberId));
        group.completeSync(member, {
          errorCode,
          protocolType: null,
          protocolName: null,
          assignment: EMPTY_BYTES,
        });
      }
    }
  }
}
