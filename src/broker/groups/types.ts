/**
 * Request and response shapes of the group coordinator: plain objects, protocol-version independent.
 *
 * Behavior:
 * * Fields follow Kafka's message JSON names (JoinGroupRequest.json, …) in camelCase, so a handler maps a
 *   decoded request onto these one field at a time, and maps the response back the same way.
 * * Error codes are numbers from ./errors.ts (`ErrorCode.UNKNOWN_MEMBER_ID` = 25, …).
 * * int64 values (offsets) are bigint; millisecond timestamps and timeouts are numbers.
 * * Byte payloads (protocol metadata, assignments) are opaque and passed through untouched.
 */

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol {
  name: string;
  metadata: Uint8Array;
}

export interface JoinGroupRequest {
  groupId: string;
  /** '' on a member's first join. */
  memberId: string;
  /** group.instance.id (JoinGroup v5+), null for dynamic members. */
  groupInstanceId: string | null;
  protocolType: string;
  /** In the member's order of preference. */
  protocols: readonly GroupProtocol[];
  sessionTimeoutMs: number;
  /** JoinGroup v1+; a negative value (v0) means "same as sessionTimeoutMs". */
  rebalanceTimeoutMs: number;
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: a first join without member id gets MEMBER_ID_REQUIRED and a generated id. */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+: the leader may be told to skip assignment when a static member rejoins a Stable group. */
  supportsSkipAssignment?: boolean;
  reason?: string | null;
}

export interface JoinGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Uint8Array;
}

export interface JoinGroupResponse {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  /** null on errors; JoinGroup v0-6 cannot carry null, so a handler sends '' there (as Kafka does). */
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** All members with their metadata for the chosen protocol: filled for the leader only. */
  members: JoinGroupResponseMember[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+; null when the client did not send it. */
  protocolType: string | null;
  protocolName: string | null;
  /** Only the leader's assignments are used. */
  assignments: readonly { memberId: string; assignment: Uint8Array }[];
}

export interface SyncGroupResponse {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Uint8Array;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  errorCode: number;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** LeaveGroup v3+ batch; v0-2 send one member. memberId '' with a groupInstanceId removes by instance id. */
  members: readonly { memberId: string; groupInstanceId: string | null; reason?: string | null }[];
}

export interface LeaveGroupResponse {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** OffsetCommit v6+; -1 when unknown. */
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** The generation; -1 for "simple"/admin commits outside group membership. */
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2-4: -1 uses the broker's retention. */
  retentionTimeMs?: bigint;
  /** The request's API version: v9+ answers GROUP_ID_NOT_FOUND where older versions get ILLEGAL_GENERATION. */
  apiVersion?: number;
  topics: readonly { name: string; partitions: readonly OffsetCommitRequestPartition[] }[];
}

export interface OffsetCommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface OffsetFetchRequest {
  groupId: string;
  /** null: every partition the group has an offset for (OffsetFetch v2+). */
  topics: readonly { name: string; partitionIndexes: readonly number[] }[] | null;
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  /** -1 when the group has no offset for the partition. */
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetFetchResponse {
  groupId: string;
  errorCode: number;
  topics: { name: string; partitions: OffsetFetchResponsePartition[] }[];
}

export interface OffsetDeleteRequest {
  groupId: string;
  topics: readonly { name: string; partitions: readonly { partitionIndex: number }[] }[];
}

export interface OffsetDeleteResponse {
  errorCode: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Only filled while the group is Stable (as Kafka does); empty otherwise. */
  memberMetadata: Uint8Array;
  memberAssignment: Uint8Array;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: GroupState;
  protocolType: string;
  /** The chosen protocol, only while Stable. */
  protocolData: string;
  members: DescribedGroupMember[];
}

export interface ListGroupsRequest {
  /** ListGroups v4+: case-insensitive state names; empty = all. */
  statesFilter?: readonly string[];
  /** ListGroups v5+: group types; only "classic" groups exist here. */
  typesFilter?: readonly string[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
  groupType: 'classic';
}

export interface ListGroupsResponse {
  errorCode: number;
  groups: ListedGroup[];
}

export interface DeleteGroupsResult {
  groupId: string;
  errorCode: number;
}

/** A committed offset as stored (OffsetCommitValue). */
export interface CommittedOffset {
  committedOffset: bigint;
  /** -1 when none. */
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
  /** Only from OffsetCommit v2-4 with an explicit retention; null otherwise. */
  expireTimestampMs: number | null;
}
