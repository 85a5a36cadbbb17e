/**
 * Group settings and version-specific fields through the handlers, over raw frames: the session timeout
 * bounds come from the broker's group.min/max.session.timeout.ms, a member that stops heartbeating is
 * removed after its session timeout, static members (JoinGroup v5+ group.instance.id) rejoin with their
 * assignment, OffsetCommit v2's retention time and v6+'s leader epoch are stored as sent, and members
 * joining within group.initial.rebalance.delay.ms share the first generation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { createRequest } from '../../src/protocol/schema/registry.js';
import { RawConnection } from './data-path-client.js';

const INVALID_SESSION_TIMEOUT = 26;
const MIN_SESSION_MS = 100;
const MAX_SESSION_MS = 2_000;

let broker: RunningBroker;
let conn: RawConnection;

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    config: {
      'group.min.session.timeout.ms': MIN_SESSION_MS,
      'group.max.session.timeout.ms': MAX_SESSION_MS,
    },
  });
  await broker.core.groups.loaded;
  broker.core.topics.create({ name: 'sessions', numPartitions: 1, replicationFactor: -1, configs: {} });
  conn = await RawConnection.open(broker.bootstrap);
});

afterAll(async () => {
  conn?.close();
  await broker?.close();
});

function joinRequest(
  groupId: string,
  sessionTimeoutMs: number,
  memberId = '',
  groupInstanceId: string | null = null,
) {
  return createRequest(11, {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs: sessionTimeoutMs,
    memberId,
    groupInstanceId,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) }],
  });
}

/** Join (v5: no MEMBER_ID_REQUIRED round for static members) and sync as the only member. */
async function joinAndSync(groupId: string, sessionTimeoutMs: number, groupInstanceId: string | null) {
  let joined = await conn.request(11, 5, joinRequest(groupId, sessionTimeoutMs, '', groupInstanceId));
  if (joined.errorCode === 79) {
    joined = await conn.request(
      11,
      5,
      joinRequest(groupId, sessionTimeoutMs, joined.memberId, groupInstanceId),
    );
  }
  expect(joined.errorCode).toBe(0);
  const sync = await conn.request(
    14,
    3,
    createRequest(14, {
      groupId,
      generationId: joined.generationId,
      memberId: joined.memberId,
      groupInstanceId,
      assignments: [{ memberId: joined.memberId, assignment: Buffer.from(`for-${groupId}`) }],
    }),
  );
  expect(sync.errorCode).toBe(0);
  return joined;
}

async function describeGroup(groupId: string) {
  return (await conn.request(15, 5, createRequest(15, { groups: [groupId] }))).groups[0]!;
}

describe('session timeouts from the broker settings', () => {
  it('rejects session timeouts outside group.min/max.session.timeout.ms', async () => {
    for (const sessionTimeoutMs of [MIN_SESSION_MS - 1, MAX_SESSION_MS + 1]) {
      const join = await conn.request(11, 5, joinRequest('bounds', sessionTimeoutMs));
      expect(join.errorCode).toBe(INVALID_SESSION_TIMEOUT);
    }
  });

  it('removes a member that stops heartbeating after its session timeout', async () => {
    await joinAndSync('silent', MIN_SESSION_MS, null);
    expect((await describeGroup('silent')).groupState).toBe('Stable');
    let state = 'Stable';
    for (let i = 0; i < 100 && state !== 'Empty'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await describeGroup('silent')).groupState;
    }
    expect(state).toBe('Empty');
  });
});

describe('static membership (JoinGroup v5+)', () => {
  it('a static member rejoining with its instance id keeps its assignment without a new generation', async () => {
    const first = await joinAndSync('static', MAX_SESSION_MS, 'instance-1');
    const described = await describeGroup('static');
    expect(described.members.map((m) => m.groupInstanceId)).toEqual(['instance-1']);
    // A restart of the same instance: unknown member id, same group.instance.id.
    const again = await conn.request(11, 5, joinRequest('static', MAX_SESSION_MS, '', 'instance-1'));
    expect(again.errorCode).toBe(0);
    expect(again.generationId).toBe(first.generationId);
    expect(again.memberId).not.toBe(first.memberId);
    const sync = await conn.request(
      14,
      3,
      createRequest(14, {
        groupId: 'static',
        generationId: again.generationId,
        memberId: again.memberId,
        groupInstanceId: 'instance-1',
        assignments: [],
      }),
    );
    expect(Buffer.from(sync.assignment).toString()).toBe('for-static');
    // The old member id is fenced.
    const fenced = await conn.request(
      12,
      3,
      createRequest(12, {
        groupId: 'static',
        generationId: first.generationId,
        memberId: first.memberId,
        groupInstanceId: 'instance-1',
      }),
    );
    expect(fenced.errorCode).toBe(82); // FENCED_INSTANCE_ID
  });
});

describe('OffsetCommit fields passed through', () => {
  it('stores v2 retention as an expiry and v6+ leader epochs', async () => {
    const partition = (committedOffset: bigint, committedLeaderEpoch: number) => ({
      partitionIndex: 0,
      committedOffset,
      committedLeaderEpoch,
      committedMetadata: 'meta',
    });
    const v2 = await conn.request(
      8,
      2,
      createRequest(8, {
        groupId: 'retained',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        retentionTimeMs: 3_600_000n,
        topics: [{ name: 'sessions', partitions: [partition(5n, -1)] }],
      }),
    );
    expect(v2.topics[0]!.partitions[0]!.errorCode).toBe(0);
    const [stored] = broker.core.groups.coordinator.committedOffsets('retained');
    expect(stored!.offset.committedOffset).toBe(5n);
    expect(stored!.offset.expireTimestampMs).not.toBeNull();

    const v8 = await conn.request(
      8,
      8,
      createRequest(8, {
        groupId: 'retained',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: [{ name: 'sessions', partitions: [partition(6n, 9)] }],
      }),
    );
    expect(v8.topics[0]!.partitions[0]!.errorCode).toBe(0);
    const [latest] = broker.core.groups.coordinator.committedOffsets('retained');
    expect(latest!.offset).toMatchObject({ committedOffset: 6n, leaderEpoch: 9, expireTimestampMs: null });
  });
});

describe('group.initial.rebalance.delay.ms', () => {
  it('members joining an empty group within the delay share its first generation', async () => {
    const delayed = await startBroker({ port: 0, config: { 'group.initial.rebalance.delay.ms': 1_500 } });
    const a = await RawConnection.open(delayed.bootstrap);
    const b = await RawConnection.open(delayed.bootstrap);
    try {
      await delayed.core.groups.loaded;
      // JoinGroup v3: no MEMBER_ID_REQUIRED round, so each join is parked at once.
      const joinA = a.request(11, 3, joinRequest('delayed', 10_000));
      const joinB = b.request(11, 3, joinRequest('delayed', 10_000));
      const [ra, rb] = await Promise.all([joinA, joinB]);
      expect([ra.errorCode, rb.errorCode]).toEqual([0, 0]);
      expect([ra.generationId, rb.generationId]).toEqual([1, 1]);
      const leader = ra.memberId === ra.leader ? ra : rb;
      expect(leader.members).toHaveLength(2);
    } finally {
      a.close();
      b.close();
      await delayed.close();
    }
  });
});
