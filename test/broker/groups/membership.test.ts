import { describe, expect, it } from 'vitest';
import type { JoinGroupRequest } from '../../../src/broker/groups/types.js';
import { ErrorCode } from '../../../src/errors/codes.generated.js';
import {
  flush,
  formGroup,
  isSettled,
  type Joined,
  joinRequest,
  open,
  REBALANCE_TIMEOUT_MS,
  SESSION_TIMEOUT_MS,
  subscription,
  syncAll,
} from './harness.js';

const meta = (n: number) => Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 1, 0x60 + n, 0xff, 0xff, 0xff, 0xff);

/** Rejoin of existing members (keeps their protocols), returning their new join results. */
async function rejoin(
  c: Awaited<ReturnType<typeof open>>['coordinator'],
  base: JoinGroupRequest[],
  ids: string[],
) {
  const pending = ids.map((memberId, i) => c.joinGroup({ ...base[i]!, memberId }));
  const responses = await Promise.all(pending);
  return responses.map(
    (response): Joined => ({ memberId: response.memberId, generationId: response.generationId, response }),
  );
}

describe('GroupCoordinator membership', () => {
  it('3 members join and sync: the leader gets all metadata, everyone gets their assignment; one leaves → generation 2 for the other two', async () => {
    const { coordinator: c, time } = await open();
    const requests = [1, 2, 3].map((n) =>
      joinRequest({ clientId: `c${n}`, protocols: [{ name: 'range', metadata: meta(n) }] }),
    );
    const { members, syncs } = await formGroup(c, time, requests);
    const [m1, m2, m3] = members as [Joined, Joined, Joined];
    expect(members.map((m) => m.generationId)).toEqual([1, 1, 1]);
    expect(m1.response.leader).toBe(m1.memberId);
    expect(m1.memberId.startsWith('c1-')).toBe(true);
    expect(m1.response.members.map((m) => [m.memberId, m.metadata])).toEqual([
      [m1.memberId, meta(1)],
      [m2.memberId, meta(2)],
      [m3.memberId, meta(3)],
    ]);
    expect(m2.response.members).toEqual([]);
    expect(m1.response.protocolName).toBe('range');
    expect(m1.response.protocolType).toBe('consumer');
    expect(syncs.map((s) => [s.errorCode, [...s.assignment], s.protocolName])).toEqual([
      [0, [0], 'range'],
      [0, [1], 'range'],
      [0, [2], 'range'],
    ]);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('Stable');

    const leave = await c.leaveGroup({
      groupId: 'g',
      members: [{ memberId: m3.memberId, groupInstanceId: null }],
    });
    expect(leave.members).toEqual([{ memberId: m3.memberId, groupInstanceId: null, errorCode: 0 }]);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('PreparingRebalance');
    expect(
      (await c.heartbeat({ groupId: 'g', generationId: 1, memberId: m2.memberId, groupInstanceId: null }))
        .errorCode,
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = await rejoin(c, requests, [m1.memberId, m2.memberId]);
    expect(again.map((j) => j.generationId)).toEqual([2, 2]);
    expect(again[0]!.response.members.map((m) => m.memberId)).toEqual([m1.memberId, m2.memberId]);
    const syncs2 = await syncAll(c, 'g', again);
    expect(syncs2.map((s) => s.errorCode)).toEqual([0, 0]);
    expect((await c.describeGroups(['g']))[0]!.members.map((m) => m.memberId)).toEqual([
      m1.memberId,
      m2.memberId,
    ]);
  });

  it('a new member joining a Stable group triggers a rebalance that includes everyone', async () => {
    const { coordinator: c, time } = await open();
    const requests = [joinRequest({ clientId: 'a' }), joinRequest({ clientId: 'b' })];
    const { members } = await formGroup(c, time, requests);
    const newcomer = c.joinGroup(joinRequest({ clientId: 'new' }));
    expect(await isSettled(newcomer)).toBe(false);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('PreparingRebalance');
    const hb = await c.heartbeat({
      groupId: 'g',
      generationId: 1,
      memberId: members[0]!.memberId,
      groupInstanceId: null,
    });
    expect(hb.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = await rejoin(
      c,
      requests,
      members.map((m) => m.memberId),
    );
    const third = await newcomer;
    expect([...again.map((j) => j.generationId), third.generationId]).toEqual([2, 2, 2]);
    expect(again[0]!.response.members).toHaveLength(3);
    expect(third.members).toEqual([]);
    const syncs = await syncAll(c, 'g', [
      ...again,
      { memberId: third.memberId, generationId: 2, response: third },
    ]);
    expect(syncs.map((s) => [...s.assignment])).toEqual([[0], [1], [2]]);
  });

  it('session timeout: a member that stops heartbeating is removed and the group rebalances', async () => {
    const { coordinator: c, time } = await open();
    const requests = [joinRequest({ clientId: 'a' }), joinRequest({ clientId: 'b' })];
    const { members } = await formGroup(c, time, requests);
    const [a, b] = members as [Joined, Joined];
    // b's session started when it got its assignment; a keeps heartbeating every 3 s.
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      time.advance(3000);
      codes.push(
        (await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }))
          .errorCode,
      );
    }
    expect(codes).toEqual([0, 0, 0, ErrorCode.REBALANCE_IN_PROGRESS]);
    const hbB = await c.heartbeat({
      groupId: 'g',
      generationId: 1,
      memberId: b.memberId,
      groupInstanceId: null,
    });
    expect(hbB.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const described = (await c.describeGroups(['g']))[0]!;
    expect(described.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(described.groupState).toBe('PreparingRebalance');
    const [again] = await rejoin(c, requests, [a.memberId]);
    expect(again!.generationId).toBe(2);
    expect(again!.response.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('rebalance timeout: a member that keeps heartbeating but never rejoins is dropped from the next generation', async () => {
    const { coordinator: c, time } = await open();
    const requests = [joinRequest({ clientId: 'a' }), joinRequest({ clientId: 'b' })];
    const { members } = await formGroup(c, time, requests);
    const [a, b] = members as [Joined, Joined];
    const aJoin = c.joinGroup({ ...requests[0]!, memberId: a.memberId });
    for (let t = 0; t < REBALANCE_TIMEOUT_MS; t += 5000) {
      expect(await isSettled(aJoin)).toBe(false);
      const hb = await c.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: b.memberId,
        groupInstanceId: null,
      });
      expect(hb.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      time.advance(5000);
    }
    const joined = await aJoin;
    expect(joined.generationId).toBe(2);
    expect(joined.members.map((m) => m.memberId)).toEqual([a.memberId]);
    const hb = await c.heartbeat({
      groupId: 'g',
      generationId: 1,
      memberId: b.memberId,
      groupInstanceId: null,
    });
    expect(hb.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('members that never send SyncGroup are removed after the rebalance timeout', async () => {
    const { coordinator: c, time } = await open();
    const pending = [
      c.joinGroup(joinRequest({ clientId: 'a' })),
      c.joinGroup(joinRequest({ clientId: 'b' })),
    ];
    time.advance(0);
    const [a, b] = await Promise.all(pending);
    const leaderSync = c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: a!.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    expect((await leaderSync).errorCode).toBe(ErrorCode.NONE);
    for (let t = 0; t < REBALANCE_TIMEOUT_MS; t += 5000) {
      time.advance(5000);
      await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a!.memberId, groupInstanceId: null });
    }
    const described = (await c.describeGroups(['g']))[0]!;
    expect(described.members.map((m) => m.memberId)).toEqual([a!.memberId]);
    expect(described.groupState).toBe('PreparingRebalance');
    expect(b!.memberId).not.toBe(a!.memberId);
  });

  it('heartbeat answers each state and identity error with Kafka error codes', async () => {
    const { coordinator: c, time } = await open();
    const hb = (memberId: string, generationId = 1, groupInstanceId: string | null = null, groupId = 'g') =>
      c.heartbeat({ groupId, generationId, memberId, groupInstanceId }).then((r) => r.errorCode);
    expect(await hb('nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // unknown group
    expect(await hb('x', 1, null, '')).toBe(ErrorCode.INVALID_GROUP_ID);
    const pending = [
      c.joinGroup(joinRequest({ clientId: 'a', groupInstanceId: 'ia' })),
      c.joinGroup(joinRequest({ clientId: 'b' })),
    ];
    time.advance(0);
    const [a, b] = (await Promise.all(pending)) as [
      NonNullable<Awaited<(typeof pending)[0]>>,
      Awaited<(typeof pending)[1]>,
    ];
    // CompletingRebalance: heartbeats are fine (a client may heartbeat between JoinGroup and SyncGroup).
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('CompletingRebalance');
    expect(await hb(b.memberId)).toBe(ErrorCode.NONE);
    await syncAll(
      c,
      'g',
      [a, b].map((r) => ({ memberId: r.memberId, generationId: 1, response: r })),
    );
    // Stable
    expect(await hb(b.memberId)).toBe(ErrorCode.NONE);
    expect(await hb(a.memberId, 1, 'ia')).toBe(ErrorCode.NONE);
    expect(await hb(b.memberId, 7)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await hb('stranger')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await hb('stranger', 1, 'ia')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(await hb(b.memberId, 1, 'unknown-instance')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // PreparingRebalance
    await c.leaveGroup({ groupId: 'g', members: [{ memberId: '', groupInstanceId: 'ia' }] });
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('PreparingRebalance');
    expect(await hb(b.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(await hb(a.memberId, 1, 'ia')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // Empty: the last member leaves.
    await c.leaveGroup({ groupId: 'g', members: [{ memberId: b.memberId, groupInstanceId: null }] });
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('Empty');
    expect(await hb(b.memberId, 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('MEMBER_ID_REQUIRED: a v4+ first join gets an id to rejoin with; an unused id expires after the session timeout', async () => {
    const { coordinator: c, time } = await open();
    const first = await c.joinGroup(joinRequest({ clientId: 'kafkajs', requireKnownMemberId: true }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId.startsWith('kafkajs-')).toBe(true);
    expect((await c.describeGroups(['g']))[0]!.members).toEqual([]);
    const second = c.joinGroup(
      joinRequest({ clientId: 'kafkajs', requireKnownMemberId: true, memberId: first.memberId }),
    );
    time.advance(0);
    const joined = await second;
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    expect(joined.memberId).toBe(first.memberId);
    expect(joined.leader).toBe(first.memberId);

    const other = await c.joinGroup(joinRequest({ groupId: 'g2', requireKnownMemberId: true }));
    time.advance(SESSION_TIMEOUT_MS);
    const late = await c.joinGroup(
      joinRequest({ groupId: 'g2', requireKnownMemberId: true, memberId: other.memberId }),
    );
    expect(late.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('JoinGroup validation: group id, session timeout, unknown member, inconsistent protocols', async () => {
    const { coordinator: c, time } = await open();
    expect((await c.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await c.joinGroup(joinRequest({ sessionTimeoutMs: 10 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(joinRequest({ sessionTimeoutMs: 3_600_000 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(joinRequest({ memberId: 'made-up' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await c.joinGroup(joinRequest({ protocols: [] }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    await formGroup(c, time, [joinRequest()]);
    const otherType = await c.joinGroup(joinRequest({ protocolType: 'connect' }));
    expect(otherType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = await c.joinGroup(
      joinRequest({ protocols: [{ name: 'roundrobin', metadata: subscription([]) }] }),
    );
    expect(noCommon.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('chooses the protocol every member supports by vote, and passes metadata through opaquely', async () => {
    const { coordinator: c, time } = await open();
    const p = (name: string) => ({ name, metadata: Buffer.from(`${name}-bytes`) });
    const { members } = await formGroup(c, time, [
      joinRequest({ protocols: [p('cooperative-sticky'), p('range')] }),
      joinRequest({ protocols: [p('range'), p('cooperative-sticky')] }),
      joinRequest({ protocols: [p('range'), p('cooperative-sticky'), p('roundrobin')] }),
    ]);
    expect(members[0]!.response.protocolName).toBe('range');
    expect(members[0]!.response.members.map((m) => Buffer.from(m.metadata).toString())).toEqual([
      'range-bytes',
      'range-bytes',
      'range-bytes',
    ]);
  });

  it('group.initial.rebalance.delay.ms holds the first rebalance and extends it while members arrive', async () => {
    const { coordinator: c, time } = await open({ initialRebalanceDelayMs: 3000 });
    const a = c.joinGroup(joinRequest({ clientId: 'a' }));
    time.advance(1000);
    const b = c.joinGroup(joinRequest({ clientId: 'b' }));
    time.advance(2000);
    expect(await isSettled(a)).toBe(false);
    time.advance(3000);
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.generationId, rb.generationId]).toEqual([1, 1]);
    expect(ra.members).toHaveLength(2);
  });

  it('close() answers parked requests with NOT_COORDINATOR, clears every timer and refuses later calls', async () => {
    const { coordinator: c, time } = await open();
    await formGroup(c, time, [joinRequest()]);
    const parked = c.joinGroup(joinRequest({ clientId: 'late' }));
    await flush();
    expect(time.pendingTimers).toBeGreaterThan(0);
    c.close();
    expect((await parked).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(time.pendingTimers).toBe(0);
    expect(
      (await c.heartbeat({ groupId: 'g', generationId: 1, memberId: 'x', groupInstanceId: null })).errorCode,
    ).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('group.max.size: joins beyond the limit get GROUP_MAX_SIZE_REACHED', async () => {
    const { coordinator: c, time } = await open({ maxGroupSize: 2 });
    await formGroup(c, time, [joinRequest({ clientId: 'a' }), joinRequest({ clientId: 'b' })]);
    const third = await c.joinGroup(joinRequest({ clientId: 'c' }));
    expect(third.errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
    expect((await c.describeGroups(['g']))[0]!.members).toHaveLength(2);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('Stable');
  });
});
