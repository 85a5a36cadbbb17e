/**
 * Consumer-group membership for `kt consume --group`, over the protocol core (classic protocol, the
 * "consumer" protocol type with a range assignor, as Kafka's console consumer uses by default):
 * FindCoordinator → JoinGroup → SyncGroup (the leader assigns) → OffsetFetch; Heartbeat in the
 * background; OffsetCommit of what was written; LeaveGroup at the end.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { errorForCode } from '../../errors/kafka.js';
import { KtError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import type { PartitionRef } from './positions.js';

const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
/** OffsetCommit/OffsetFetch v10 address topics by id. */
const OFFSETS_VERSION_MAX = 9;
const PROTOCOL = 'range';

// ---------------------------------------------------------------------- consumer protocol (v0) bytes

function writeString(parts: Buffer[], s: string): void {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeInt16BE(b.length);
  parts.push(len, b);
}

export function encodeSubscription(topics: readonly string[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const count = Buffer.alloc(4);
  count.writeInt32BE(topics.length);
  parts.push(count);
  for (const t of topics) writeString(parts, t);
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff])); // null user data
  return Buffer.concat(parts);
}

export function encodeAssignment(assignment: ReadonlyMap<string, number[]>): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const count = Buffer.alloc(4);
  count.writeInt32BE(assignment.size);
  parts.push(count);
  for (const [topic, partitions] of assignment) {
    writeString(parts, topic);
    const ps = Buffer.alloc(4 + 4 * partitions.length);
    ps.writeInt32BE(partitions.length);
    partitions.forEach((p, i) => {
      ps.writeInt32BE(p, 4 + 4 * i);
    });
    parts.push(ps);
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  return Buffer.concat(parts);
}

class Cursor {
  pos = 0;
  constructor(private readonly b: Buffer) {}
  need(n: number): void {
    if (n < 0 || this.pos + n > this.b.length)
      throw new KtError('KT_KAFKA', 'malformed consumer protocol bytes from the group');
  }
  int16(): number {
    this.need(2);
    const v = this.b.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.b.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  string(): string {
    const len = this.int16();
    this.need(len);
    const s = this.b.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

function bufferOf(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

export function decodeSubscriptionTopics(metadata: Uint8Array): string[] {
  const c = new Cursor(bufferOf(metadata));
  c.int16();
  const n = c.int32();
  c.need(n * 2);
  return Array.from({ length: n }, () => c.string());
}

export function decodeAssignment(bytes: Uint8Array): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (bytes.length === 0) return out;
  const c = new Cursor(bufferOf(bytes));
  c.int16();
  const n = c.int32();
  c.need(n * 6);
  for (let i = 0; i < n; i++) {
    const topic = c.string();
    const count = c.int32();
    c.need(count * 4);
    out.set(
      topic,
      Array.from({ length: count }, () => c.int32()),
    );
  }
  return out;
}

/** Kafka's RangeAssignor: per topic, members sorted by id get contiguous partition ranges. */
export function rangeAssign(
  members: ReadonlyArray<{ memberId: string; topics: string[] }>,
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Map<string, number[]>> {
  const result = new Map<string, Map<string, number[]>>(members.map((m) => [m.memberId, new Map()]));
  for (const [topic, count] of partitionCounts) {
    const subscribed = members
      .filter((m) => m.topics.includes(topic))
      .map((m) => m.memberId)
      .sort();
    if (subscribed.length === 0) continue;
    const per = Math.floor(count / subscribed.length);
    const extra = count % subscribed.length;
    subscribed.forEach((memberId, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      if (length === 0) return;
      result.get(memberId)!.set(
        topic,
        Array.from({ length }, (_, k) => start + k),
      );
    });
  }
  return result;
}

// ---------------------------------------------------------------------- membership

function groupError(what: string, code: number): KtError {
  const e = errorForCode(code);
  return new KtError('KT_KAFKA', `group ${what}: ${e.name}: ${e.message}`, { kafkaCode: code });
}

export class GroupMember {
  private memberId = '';
  private generationId = -1;
  private coordinator = -1;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Set when the coordinator starts a rebalance: stop fetching, commit, join again. */
  rebalanceNeeded = false;

  constructor(
    private readonly client: ClusterClient,
    readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly sessionTimeoutMs = 10_000,
  ) {}

  /** Joins (or rejoins) and returns this member's partitions. */
  async join(
    partitionCounts: ReadonlyMap<string, number>,
  ): Promise<Array<{ topic: string; partition: number }>> {
    this.stopHeartbeats();
    this.rebalanceNeeded = false;
    this.coordinator = await this.client.findCoordinator(this.groupId);
    const target = { nodeId: this.coordinator };
    for (let attempt = 0; ; attempt++) {
      const joined = await this.client.send(
        target,
        JOIN_GROUP,
        {
          groupId: this.groupId,
          sessionTimeoutMs: this.sessionTimeoutMs,
          rebalanceTimeoutMs: 30_000,
          memberId: this.memberId,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocols: [{ name: PROTOCOL, metadata: encodeSubscription(this.topics) }],
          reason: null,
        },
        { timeoutMs: 60_000 },
      );
      if (joined.errorCode === ErrorCode.MEMBER_ID_REQUIRED && attempt < 3) {
        this.memberId = joined.memberId;
        continue;
      }
      if (joined.errorCode === ErrorCode.REBALANCE_IN_PROGRESS && attempt < 5) continue;
      if (joined.errorCode !== ErrorCode.NONE) throw groupError(`${this.groupId} join`, joined.errorCode);
      this.memberId = joined.memberId;
      this.generationId = joined.generationId;
      let assignments: Array<{ memberId: string; assignment: Uint8Array }> = [];
      if (joined.leader === joined.memberId && !joined.skipAssignment) {
        const members = joined.members.map((m) => ({
          memberId: m.memberId,
          topics: decodeSubscriptionTopics(m.metadata),
        }));
        const counts = new Map(partitionCounts);
        for (const m of members) {
          const missing = m.topics.filter((t) => !counts.has(t));
          if (missing.length === 0) continue;
          const metadata = await this.client.refreshMetadata(missing);
          for (const t of metadata.topics)
            if (t.errorCode === ErrorCode.NONE && t.name) counts.set(t.name, t.partitions.length);
        }
        const plan = rangeAssign(members, counts);
        assignments = [...plan].map(([memberId, a]) => ({ memberId, assignment: encodeAssignment(a) }));
      }
      const synced = await this.client.send(target, SYNC_GROUP, {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: PROTOCOL,
        assignments,
      });
      if (synced.errorCode === ErrorCode.REBALANCE_IN_PROGRESS && attempt < 5) continue;
      if (synced.errorCode !== ErrorCode.NONE) throw groupError(`${this.groupId} sync`, synced.errorCode);
      this.startHeartbeats();
      const mine = decodeAssignment(synced.assignment);
      return [...mine].flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
    }
  }

  private startHeartbeats(): void {
    const beat = async (): Promise<void> => {
      try {
        const r = await this.client.send({ nodeId: this.coordinator }, HEARTBEAT, {
          groupId: this.groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId: null,
        });
        if (r.errorCode !== ErrorCode.NONE) this.rebalanceNeeded = true;
      } catch {
        this.rebalanceNeeded = true;
      }
    };
    this.heartbeatTimer = setInterval(
      () => void beat(),
      Math.max(500, Math.floor(this.sessionTimeoutMs / 3)),
    );
  }

  private stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Committed offsets of `refs` (-1 where none). */
  async committed(refs: readonly PartitionRef[]): Promise<Map<PartitionRef, bigint>> {
    const conn = await this.client.connection({ nodeId: this.coordinator });
    const version = Math.min(conn.versionFor(OFFSET_FETCH), OFFSETS_VERSION_MAX);
    const byTopic = new Map<string, number[]>();
    for (const r of refs) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.partition]);
    const topics = [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
    const response = await conn.send(
      OFFSET_FETCH,
      version >= 8
        ? {
            groups: [{ groupId: this.groupId, memberId: null, memberEpoch: -1, topics }],
            requireStable: true,
          }
        : { groupId: this.groupId, topics, requireStable: true },
      { version },
    );
    const out = new Map<PartitionRef, bigint>();
    const topicResults =
      version >= 8
        ? (response.groups[0]?.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitions }))
        : response.topics.map((t) => ({ name: t.name, partitions: t.partitions }));
    for (const t of topicResults) {
      for (const p of t.partitions) {
        const ref = refs.find((r) => r.topic === t.name && r.partition === p.partitionIndex);
        if (ref) out.set(ref, p.errorCode === ErrorCode.NONE ? p.committedOffset : -1n);
      }
    }
    return out;
  }

  /** Commits next offsets (the offset of the next record to read) per partition. */
  async commit(positions: ReadonlyArray<{ ref: PartitionRef; next: bigint }>): Promise<void> {
    if (positions.length === 0 || this.generationId < 0) return;
    const conn = await this.client.connection({ nodeId: this.coordinator });
    const version = Math.min(conn.versionFor(OFFSET_COMMIT), OFFSETS_VERSION_MAX);
    const byTopic = new Map<string, Array<{ ref: PartitionRef; next: bigint }>>();
    for (const p of positions) byTopic.set(p.ref.topic, [...(byTopic.get(p.ref.topic) ?? []), p]);
    const response = await conn.send(
      OFFSET_COMMIT,
      {
        groupId: this.groupId,
        generationIdOrMemberEpoch: this.generationId,
        memberId: this.memberId,
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [...byTopic].map(([name, ps]) => ({
          name,
          partitions: ps.map((p) => ({
            partitionIndex: p.ref.partition,
            committedOffset: p.next,
            committedLeaderEpoch: -1,
            committedMetadata: null,
          })),
        })),
      },
      { version },
    );
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (
          p.errorCode === ErrorCode.REBALANCE_IN_PROGRESS ||
          p.errorCode === ErrorCode.ILLEGAL_GENERATION ||
          p.errorCode === ErrorCode.UNKNOWN_MEMBER_ID
        ) {
          this.rebalanceNeeded = true; // ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID: the commit is lost; rejoin
          continue;
        }
        if (p.errorCode !== ErrorCode.NONE)
          throw groupError(`${this.groupId} commit ${t.name}-${p.partitionIndex}`, p.errorCode);
      }
    }
  }

  async leave(): Promise<void> {
    this.stopHeartbeats();
    if (this.memberId === '' || this.coordinator < 0) return;
    await this.client
      .send({ nodeId: this.coordinator }, LEAVE_GROUP, {
        groupId: this.groupId,
        memberId: this.memberId,
        members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'kt consume ended' }],
      })
      .catch(() => undefined);
  }
}
