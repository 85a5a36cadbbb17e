/**
 * The state of one classic group and its members (Kafka's ClassicGroup / ClassicGroupMember).
 *
 * Behavior:
 * * States and transitions are Kafka's: Empty → PreparingRebalance → CompletingRebalance → Stable, back
 *   to PreparingRebalance from Stable/CompletingRebalance, PreparingRebalance → Empty when everyone left,
 *   and Dead from any state. An invalid transition is a bug and throws.
 * * A member parked in JoinGroup holds `awaitingJoin` (a resolver), a follower parked in SyncGroup holds
 *   `awaitingSync`; `numAwaitingJoin` counts the former so "has everyone rejoined" is O(1).
 * * The protocol is chosen by Kafka's vote: among the protocols every member supports, each member votes
 *   for the first one in its own preference order, and the most votes wins (ties: the first voted for).
 * * The leader is the first member to join; when it leaves, the oldest remaining member takes over.
 * * Pure state: no timers, no I/O (the coordinator does those).
 */
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol.js';
import type {
  GroupProtocol,
  GroupState,
  JoinGroupResponse,
  JoinGroupResponseMember,
  SyncGroupResponse,
} from './types.js';

export const EMPTY_BYTES = new Uint8Array(0);

const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export interface MemberInit {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: readonly GroupProtocol[];
  assignment?: Uint8Array;
}

export class Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocolType: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: readonly GroupProtocol[];
  assignment: Uint8Array;
  awaitingJoin: ((response: JoinGroupResponse) => void) | null = null;
  awaitingSync: ((response: SyncGroupResponse) => void) | null = null;
  /** Joined in the current rebalance: may be expired even while parked in JoinGroup. */
  isNew = false;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
    this.assignment = init.assignment ?? EMPTY_BYTES;
  }

  metadata(protocolName: string): Uint8Array {
    const p = this.protocols.find((x) => x.name === protocolName);
    if (p === undefined)
      throw new Error(`Member ${this.memberId} does not support protocol "${protocolName}"`);
    return p.metadata;
  }

  /** Parked members satisfy heartbeats; new members do not (they have no member id to heartbeat with). */
  hasSatisfiedHeartbeat(): boolean {
    return !this.isNew && (this.awaitingJoin !== null || this.awaitingSync !== null);
  }

  /** Same protocols, in the same order, with the same metadata bytes. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i]!;
      return p.name === mine.name && bytesEqual(p.metadata, mine.metadata);
    });
  }

  vote(candidates: ReadonlySet<string>): string {
    const p = this.protocols.find((x) => candidates.has(x.name));
    if (p === undefined) throw new Error(`Member ${this.memberId} supports none of the candidate protocols`);
    return p.name;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Group {
  readonly groupId: string;
  state: GroupState = 'Empty';
  previousState: GroupState = 'Empty';
  stateTimestampMs: number | null = null;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  /** Insertion order = join order, which decides the next leader. */
  readonly members = new Map<string, Member>();
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet. */
  readonly pendingJoinMembers = new Set<string>();
  readonly pendingSyncMembers = new Set<string>();
  numAwaitingJoin = 0;
  /** Protocol name → number of members supporting it. */
  readonly #supportedProtocols = new Map<string, number>();
  /** Topics the members subscribe to (consumer protocol), null when unknown. */
  subscribedTopics: Set<string> | null = null;
  /** A new member joined during the initial (delayed) rebalance. */
  newMemberAdded = false;

  constructor(groupId: string) {
    this.groupId = groupId;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(target: GroupState, nowMs: number): void {
    if (!VALID_PREVIOUS[target].includes(this.state)) {
      throw new Error(`Group ${this.groupId}: invalid transition from ${this.state} to ${target}`);
    }
    this.previousState = this.state;
    this.state = target;
    this.stateTimestampMs = nowMs;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  member(memberId: string): Member {
    const m = this.members.get(memberId);
    if (m === undefined) throw new Error(`Group ${this.groupId} has no member ${memberId}`);
    return m;
  }

  add(member: Member, awaitingJoin: ((r: JoinGroupResponse) => void) | null): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) {
        throw new Error(`Static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      }
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.#countProtocols(member, 1);
    member.awaitingJoin = awaitingJoin;
    if (awaitingJoin !== null) this.numAwaitingJoin++;
    this.pendingJoinMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const removed = this.members.get(memberId);
    if (removed !== undefined) {
      this.members.delete(memberId);
      this.#countProtocols(removed, -1);
      if (removed.awaitingJoin !== null) this.numAwaitingJoin--;
      if (removed.groupInstanceId !== null) this.staticMembers.delete(removed.groupInstanceId);
    }
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
    this.pendingJoinMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  #countProtocols(member: Member, delta: 1 | -1): void {
    for (const p of member.protocols) {
      this.#supportedProtocols.set(p.name, (this.#supportedProtocols.get(p.name) ?? 0) + delta);
    }
  }

  /** Replaces a member's protocols/timeouts and its parked JoinGroup (null = not parked). */
  updateMember(
    member: Member,
    update: { protocols: readonly GroupProtocol[]; rebalanceTimeoutMs: number; sessionTimeoutMs: number },
    awaitingJoin: ((r: JoinGroupResponse) => void) | null,
  ): void {
    this.#countProtocols(member, -1);
    member.protocols = update.protocols;
    this.#countProtocols(member, 1);
    member.rebalanceTimeoutMs = update.rebalanceTimeoutMs;
    member.sessionTimeoutMs = update.sessionTimeoutMs;
    if (awaitingJoin !== null && member.awaitingJoin === null) this.numAwaitingJoin++;
    else if (awaitingJoin === null && member.awaitingJoin !== null) this.numAwaitingJoin--;
    member.awaitingJoin = awaitingJoin;
  }

  /** Resolves a parked JoinGroup; false if the member was not parked. */
  completeJoin(member: Member, response: JoinGroupResponse): boolean {
    const resolve = member.awaitingJoin;
    if (resolve === null) return false;
    member.awaitingJoin = null;
    this.numAwaitingJoin--;
    resolve(response);
    return true;
  }

  /** Resolves a parked SyncGroup; false if the member was not parked. */
  completeSync(member: Member, response: SyncGroupResponse): boolean {
    const resolve = member.awaitingSync;
    if (resolve === null) return false;
    member.awaitingSync = null;
    resolve(response);
    return true;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin && this.pendingJoinMembers.size === 0;
  }

  /** The largest rebalance timeout of the members: how long a rebalance waits for them. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Whether a joining member's protocols fit the group (any protocol for a new group). */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is('Empty')) return protocolType !== '' && protocolNames.length > 0;
    return (
      this.protocolType === protocolType &&
      protocolNames.some((name) => (this.#supportedProtocols.get(name) ?? 0) === this.members.size)
    );
  }

  selectProtocol(): string {
    const candidates = new Set<string>();
    for (const [name, count] of this.#supportedProtocols)
      if (count === this.members.size) candidates.add(name);
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    if (best === null) throw new Error(`Cannot select a protocol for empty group ${this.groupId}`);
    return best;
  }

  /** If the leader did not rejoin, hands leadership to a member that did; false if none did. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.member(this.leaderId).awaitingJoin !== null) return true;
    for (const m of this.members.values()) {
      if (m.awaitingJoin !== null) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  initNextGeneration(nowMs: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance', nowMs);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty', nowMs);
    }
    this.pendingSyncMembers.clear();
  }

  computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const all = new Set<string>();
    for (const m of this.members.values()) {
      const topics = subscribedTopics(m.metadata(this.protocolName));
      if (topics === null) return null;
      for (const t of topics) all.add(t);
    }
    return all;
  }

  /** Kafka's rule for OffsetDelete: unknown subscriptions count as subscribed for consumer groups. */
  isSubscribedToTopic(topic: string): boolean {
    if (this.subscribedTopics !== null) return this.subscribedTopics.has(topic);
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  /** Members with their metadata for the chosen protocol, as sent to the leader. */
  joinResponseMembers(): JoinGroupResponseMember[] {
    const protocol = this.protocolName;
    if (protocol === null) return [];
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol),
    }));
  }

  /** Replaces the member id of a static member (KIP-345), fencing whoever still waits as the old id. */
  replaceStaticMember(
    groupInstanceId: string,
    oldMemberId: string,
    newMemberId: string,
    fenced: number,
  ): Member {
    const old = this.member(oldMemberId);
    this.members.delete(oldMemberId);
    if (old.awaitingJoin !== null) this.numAwaitingJoin--;
    const joinWaiter = old.awaitingJoin;
    const syncWaiter = old.awaitingSync;
    old.awaitingJoin = null;
    old.awaitingSync = null;
    joinWaiter?.({ ...fencedJoin(oldMemberId), errorCode: fenced });
    syncWaiter?.({ errorCode: fenced, protocolType: null, protocolName: null, assignment: EMPTY_BYTES });
    const replacement = new Member({ ...old, memberId: newMemberId, assignment: old.assignment });
    this.members.set(newMemberId, replacement);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return replacement;
  }
}

function fencedJoin(memberId: string): JoinGroupResponse {
  return {
    errorCode: 0,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}
