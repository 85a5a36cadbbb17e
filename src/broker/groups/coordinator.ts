/**
 * GroupCoordinator: the classic consumer-group coordinator of the embedded broker, protocol-independent.
 *
 * Behavior:
 * * Request handlers map decoded JoinGroup/SyncGroup/Heartbeat/LeaveGroup/OffsetCommit/OffsetFetch/
 *   DescribeGroups/ListGroups/DeleteGroups/OffsetDelete requests onto the async methods here and encode the
 *   plain results; every error is a Kafka error code in the result, methods never reject.
 * * Lifecycle: `await GroupCoordinator.open(options)` (or `new` + `load()`) replays the store; until then
 *   every call answers COORDINATOR_LOAD_IN_PROGRESS. Restored groups with members are Stable and their
 *   members must heartbeat within their session timeout. `close()` clears every timer, answers parked
 *   requests with NOT_COORDINATOR, and later calls get COORDINATOR_NOT_AVAILABLE.
 * * Group-level checks done here, as Kafka's GroupCoordinatorService does: an empty group id is
 *   INVALID_GROUP_ID; a session timeout outside [minSessionTimeoutMs, maxSessionTimeoutMs] is
 *   INVALID_SESSION_TIMEOUT.
 * * DescribeGroups: members with metadata and assignment while Stable, without them otherwise; an
 *   unknown group is described as Dead (or GROUP_ID_NOT_FOUND with `notFoundAsError`, DescribeGroups v6+).
 * * ListGroups: every group, filtered by state names (case-insensitive) and type ("classic").
 * * DeleteGroups: only groups without members (Empty); NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND for
 *   unknown ones. Their offsets and metadata are tombstoned in the store first.
 * * Offsets expire as in Kafka (./expiry.ts), checked every offsetsRetentionCheckIntervalMs.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { expireOffsets } from './expiry.js';
import { EMPTY_BYTES, Group, Member } from './group.js';
import { joinGroup } from './join.js';
import { commitOffsets, deleteOffsets, fetchOffsets, type PartitionExists } from './offsets.js';
import { OffsetTable } from './offsets-table.js';
import type { GroupMetadataRecord, GroupRecord } from './records.js';
import {
  type CoordinatorConfig,
  DEFAULT_CONFIG,
  errorJoinResponse,
  type GroupLogger,
  GroupRuntime,
} from './runtime.js';
import { type GroupStore, InMemoryGroupStore } from './store.js';
import { heartbeat, leaveGroup, syncGroup } from './sync.js';
import { type GroupTime, systemTime } from './time.js';
import type {
  CommittedOffset,
  DeleteGroupsResult,
  DescribedGroup,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetDeleteRequest,
  OffsetDeleteResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from './types.js';

export interface GroupCoordinatorOptions extends Partial<CoordinatorConfig> {
  /** Where offsets and group metadata live; default: a fresh InMemoryGroupStore. */
  store?: GroupStore;
  /** Clock and timers; default: Date.now()/setTimeout. */
  time?: GroupTime;
  /** When given, offsets of partitions it rejects get UNKNOWN_TOPIC_OR_PARTITION. */
  partitionExists?: PartitionExists;
  logger?: GroupLogger;
}

type Phase = 'loading' | 'active' | 'closed';

export class GroupCoordinator {
  readonly #rt: GroupRuntime;
  readonly #partitionExists: PartitionExists | undefined;
  #phase: Phase = 'loading';

  constructor(options: GroupCoordinatorOptions = {}) {
    const config: CoordinatorConfig = { ...DEFAULT_CONFIG };
    for (const key of Object.keys(DEFAULT_CONFIG) as (keyof CoordinatorConfig)[]) {
      const value = options[key];
      if (value !== undefined) config[key] = value;
    }
    const logger = options.logger ?? { warn: () => {} };
    const store = options.store ?? new InMemoryGroupStore();
    this.#rt = new GroupRuntime(options.time ?? systemTime, store, new OffsetTable(), config, logger);
    this.#partitionExists = options.partitionExists;
  }

  static async open(options: GroupCoordinatorOptions = {}): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator(options);
    await coordinator.load();
    return coordinator;
  }

  /**
   * Replays the store (last record per key wins) and starts serving. Rejects with the store's error (a
   * DecodeError for a corrupt record) having loaded nothing; it may then be called again.
   */
  async load(): Promise<void> {
    if (this.#phase !== 'loading') throw new Error(`Cannot load a group coordinator that is ${this.#phase}`);
    const rt = this.#rt;
    try {
      for await (const record of rt.store.load()) this.#replay(record);
    } catch (error) {
      // Leave nothing half-loaded: requests keep getting COORDINATOR_LOAD_IN_PROGRESS and load() may be retried.
      rt.groups.clear();
      rt.offsets.clear();
      throw error;
    }
    if (this.#phase !== 'loading') return; // closed while loading
    for (const group of rt.groups.values()) {
      for (const member of group.members.values()) rt.rescheduleHeartbeat(group, member);
    }
    this.#phase = 'active';
    this.#scheduleExpiration();
  }

  #scheduleExpiration(): void {
    const rt = this.#rt;
    const intervalMs = Math.max(1, rt.config.offsetsRetentionCheckIntervalMs);
    rt.timers.schedule('offset-expiration', intervalMs, () => {
      expireOffsets(rt)
        .catch((error: unknown) => rt.logger.warn(`Offset expiration failed: ${String(error)}`))
        .finally(() => {
          if (this.#phase === 'active') this.#scheduleExpiration();
        });
    });
  }

  #replay(record: GroupRecord): void {
    const rt = this.#rt;
    if (record.type === 'offset') {
      if (record.value === null) rt.offsets.remove(record.groupId, record.topic, record.partition);
      else {
        rt.getOrCreateGroup(record.groupId); // offsets without membership: a "simple" group
        rt.offsets.put(record.groupId, record.topic, record.partition, record.value);
      }
    } else if (record.value === null) {
      rt.groups.delete(record.groupId);
    } else {
      rt.groups.set(record.groupId, restoreGroup(record.groupId, record.value));
    }
  }

  /** Stops serving: clears every timer, answers parked requests with NOT_COORDINATOR. Idempotent. */
  close(): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#rt.shutdown(ErrorCode.NOT_COORDINATOR);
  }

  /** NONE when requests can be served, else the error every request gets. */
  #unavailable(): number {
    if (this.#phase === 'loading') return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (this.#phase === 'closed') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return ErrorCode.NONE;
  }

  /** JoinGroup: resolves when this member's join phase completes (or at once with an error). */
  async joinGroup(req: JoinGroupRequest): Promise<JoinGroupResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return errorJoinResponse(error, req.memberId);
    if (req.groupId === '') return errorJoinResponse(ErrorCode.INVALID_GROUP_ID, req.memberId);
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.#rt.config;
    if (req.sessionTimeoutMs < minSessionTimeoutMs || req.sessionTimeoutMs > maxSessionTimeoutMs) {
      return errorJoinResponse(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
    }
    return new Promise((resolve) => joinGroup(this.#rt, req, resolve));
  }

  /** SyncGroup: followers resolve once the leader's assignment is stored. */
  async syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    let error = this.#unavailable();
    if (error === ErrorCode.NONE && req.groupId === '') error = ErrorCode.INVALID_GROUP_ID;
    if (error !== ErrorCode.NONE)
      return { errorCode: error, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
    return syncGroup(this.#rt, req);
  }

  /** Heartbeat: extends the member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
  async heartbeat(req: HeartbeatRequest): Promise<HeartbeatResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return { errorCode: error };
    if (req.groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID };
    return heartbeat(this.#rt, req);
  }

  /** LeaveGroup (a batch; by member id, or by group.instance.id with member id ''). */
  async leaveGroup(req: LeaveGroupRequest): Promise<LeaveGroupResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return { errorCode: error, members: [] };
    if (req.groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    return leaveGroup(this.#rt, req);
  }

  /** OffsetCommit: per-partition error codes; resolves once the offsets are durable in the store. */
  async offsetCommit(req: OffsetCommitRequest): Promise<OffsetCommitResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE || req.groupId === '') {
      const errorCode = error !== ErrorCode.NONE ? error : ErrorCode.INVALID_GROUP_ID;
      return {
        topics: req.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
        })),
      };
    }
    return commitOffsets(this.#rt, req, this.#partitionExists);
  }

  /** OffsetFetch for one group: the listed partitions (-1 when none) or, with topics null, all of them. */
  async offsetFetch(req: OffsetFetchRequest): Promise<OffsetFetchResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return { groupId: req.groupId, errorCode: error, topics: [] };
    return fetchOffsets(this.#rt, req);
  }

  /** OffsetDelete: removes offsets of topics the group no longer consumes. */
  async offsetDelete(req: OffsetDeleteRequest): Promise<OffsetDeleteResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return { errorCode: error, topics: [] };
    if (req.groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    return deleteOffsets(this.#rt, req, this.#partitionExists);
  }

  /** DescribeGroups, one result per id, in order. */
  async describeGroups(
    groupIds: readonly string[],
    options: { notFoundAsError?: boolean } = {},
  ): Promise<DescribedGroup[]> {
    const error = this.#unavailable();
    return groupIds.map((groupId) => {
      if (error !== ErrorCode.NONE) return deadGroup(groupId, error);
      if (groupId === '') return deadGroup(groupId, ErrorCode.INVALID_GROUP_ID);
      const group = this.#rt.groups.get(groupId);
      if (group === undefined || group.is('Dead')) {
        return deadGroup(
          groupId,
          options.notFoundAsError === true ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NONE,
        );
      }
      return describe(group);
    });
  }

  /** ListGroups with optional state/type filters. */
  async listGroups(req: ListGroupsRequest = {}): Promise<ListGroupsResponse> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return { errorCode: error, groups: [] };
    const states = new Set((req.statesFilter ?? []).map((s) => s.trim().toLowerCase()));
    const types = new Set((req.typesFilter ?? []).map((t) => t.trim().toLowerCase()));
    const groups = [...this.#rt.groups.values()]
      .filter((g) => !g.is('Dead'))
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .filter(() => types.size === 0 || types.has('classic'))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic' as const,
      }));
    return { errorCode: ErrorCode.NONE, groups };
  }

  /** DeleteGroups: Empty groups only; one result per id, in order. */
  async deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupsResult[]> {
    const error = this.#unavailable();
    if (error !== ErrorCode.NONE) return groupIds.map((groupId) => ({ groupId, errorCode: error }));
    const rt = this.#rt;
    const results: DeleteGroupsResult[] = [];
    const deleting: Group[] = [];
    const records: GroupRecord[] = [];
    for (const groupId of groupIds) {
      const group = rt.groups.get(groupId);
      let errorCode = ErrorCode.NONE;
      if (groupId === '') errorCode = ErrorCode.INVALID_GROUP_ID;
      else if (group === undefined || group.is('Dead')) errorCode = ErrorCode.GROUP_ID_NOT_FOUND;
      else if (!group.is('Empty')) errorCode = ErrorCode.NON_EMPTY_GROUP;
      else {
        for (const { topic, partition } of rt.offsets.entries(groupId)) {
          records.push({ type: 'offset', groupId, topic, partition, value: null });
        }
        records.push({ type: 'group', groupId, value: null });
        // Dead while the tombstones are written: joins and commits meanwhile get retriable errors.
        group.transitionTo('Dead', rt.nowMs());
        deleting.push(group);
      }
      results.push({ groupId, errorCode });
    }
    if (records.length === 0) return results;
    try {
      await rt.store.append(records);
    } catch (e) {
      rt.logger.warn(`Failed to delete groups: ${String(e)}`);
      for (const group of deleting) group.state = 'Empty';
      return results.map((r) =>
        deleting.some((g) => g.groupId === r.groupId)
          ? { ...r, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE }
          : r,
      );
    }
    for (const group of deleting) {
      for (const memberId of group.pendingJoinMembers) rt.cancelHeartbeat(group.groupId, memberId);
      rt.groups.delete(group.groupId);
      rt.offsets.removeGroup(group.groupId);
    }
    return results;
  }

  /** Every committed offset of a group, with its metadata, leader epoch and commit time (for tools/tests). */
  committedOffsets(groupId: string): { topic: string; partition: number; offset: CommittedOffset }[] {
    return [...this.#rt.offsets.entries(groupId)];
  }
}

function deadGroup(groupId: string, errorCode: number): DescribedGroup {
  return { errorCode, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
}

function describe(group: Group): DescribedGroup {
  const stable = group.is('Stable') && group.protocolName !== null;
  const protocol = group.protocolName ?? '';
  return {
    errorCode: ErrorCode.NONE,
    groupId: group.groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? protocol : '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadata(protocol) : EMPTY_BYTES,
      memberAssignment: stable ? m.assignment : EMPTY_BYTES,
    })),
  };
}

/** Rebuilds a group from its last GroupMetadataValue: Stable with its members, or Empty. */
function restoreGroup(groupId: string, value: GroupMetadataRecord): Group {
  const group = new Group(groupId);
  group.generationId = value.generation;
  group.protocolType = value.protocolType === '' ? null : value.protocolType;
  group.protocolName = value.protocol;
  group.stateTimestampMs = value.currentStateTimestampMs === -1 ? null : value.currentStateTimestampMs;
  const protocol = value.protocol;
  if (protocol !== null && value.members.length > 0) {
    for (const m of value.members) {
      const member = new Member({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs === -1 ? m.sessionTimeoutMs : m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        protocolType: value.protocolType,
        protocols: [{ name: protocol, metadata: m.subscription }],
        assignment: m.assignment,
      });
      group.add(member, null);
    }
    if (value.leader !== null && group.members.has(value.leader)) group.leaderId = value.leader;
    group.state = 'Stable';
  }
  group.subscribedTopics = group.computeSubscribedTopics();
  return group;
}
