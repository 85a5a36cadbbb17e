import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.generated.js';
import {
  formGroup,
  GatedStore,
  isSettled,
  type Joined,
  joinRequest,
  open,
  SESSION_TIMEOUT_MS,
} from './harness.js';

const statics = () => [
  joinRequest({ clientId: 'a', groupInstanceId: 'ia' }),
  joinRequest({ clientId: 'b', groupInstanceId: 'ib' }),
];

describe('GroupCoordinator static membership (KIP-345)', () => {
  it('a restarted static member replaces its old id without a rebalance and keeps its assignment', async () => {
    const { coordinator: c, time } = await open();
    const { members } = await formGroup(c, time, statics());
    const [a, b] = members as [Joined, Joined];
    expect(b.memberId.startsWith('ib-')).toBe(true);

    const restarted = await c.joinGroup(joinRequest({ clientId: 'b', groupInstanceId: 'ib' }));
    expect(restarted.errorCode).toBe(ErrorCode.NONE);
    expect(restarted.memberId).not.toBe(b.memberId);
    expect(restarted.generationId).toBe(1);
    expect(restarted.leader).toBe(a.memberId);
    expect(restarted.skipAssignment).toBe(false);
    const [described] = await c.describeGroups(['g']);
    expect(described!.groupState).toBe('Stable');
    expect(described!.members.map((m) => [m.memberId, m.groupInstanceId])).toEqual([
      [a.memberId, 'ia'],
      [restarted.memberId, 'ib'],
    ]);
    // The leader was not disturbed, the old id is fenced, the new id syncs straight to its assignment.
    const hb = (memberId: string) =>
      c
        .heartbeat({ groupId: 'g', generationId: 1, memberId, groupInstanceId: 'ib' })
        .then((r) => r.errorCode);
    expect(await hb(b.memberId)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(await hb(restarted.memberId)).toBe(ErrorCode.NONE);
    expect(
      (await c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'ia' }))
        .errorCode,
    ).toBe(0);
    const sync = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: restarted.memberId,
      groupInstanceId: 'ib',
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    expect(sync.errorCode).toBe(ErrorCode.NONE);
    expect([...sync.assignment]).toEqual([1]);
    // The old id cannot rejoin either.
    const stale = await c.joinGroup(
      joinRequest({ clientId: 'b', groupInstanceId: 'ib', memberId: b.memberId }),
    );
    expect(stale.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('a restarted static leader on JoinGroup v9+ gets the members back and skipAssignment', async () => {
    const { coordinator: c, time } = await open();
    const { members } = await formGroup(c, time, statics());
    const restarted = await c.joinGroup(
      joinRequest({ clientId: 'a', groupInstanceId: 'ia', supportsSkipAssignment: true }),
    );
    expect(restarted.leader).toBe(restarted.memberId);
    expect(restarted.skipAssignment).toBe(true);
    expect(restarted.members.map((m) => m.groupInstanceId)).toEqual(['ib', 'ia']);
    expect(restarted.members.map((m) => m.memberId)).toContain(members[1]!.memberId);
  });

  it('a static rejoin that changes the group protocol triggers a rebalance; one that does not, does not', async () => {
    const { coordinator: c, time } = await open();
    const both = [
      { name: 'range', metadata: Uint8Array.of(1) },
      { name: 'roundrobin', metadata: Uint8Array.of(2) },
    ];
    const requests = [
      joinRequest({ clientId: 'a', groupInstanceId: 'ia', protocols: both }),
      joinRequest({ clientId: 'b', groupInstanceId: 'ib', protocols: both }),
    ];
    await formGroup(c, time, requests);
    // b now prefers roundrobin: votes tie 1-1, range (voted first) stays selected → no rebalance.
    const prefers = await c.joinGroup({ ...requests[1]!, protocols: [both[1]!, both[0]!] });
    expect(prefers.generationId).toBe(1);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('Stable');
    // b now only supports roundrobin: the selected protocol must change → rebalance.
    const only = c.joinGroup({ ...requests[1]!, protocols: [both[1]!] });
    expect(await isSettled(only)).toBe(false);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('PreparingRebalance');
    const a = (await c.describeGroups(['g']))[0]!.members.find((m) => m.groupInstanceId === 'ia')!;
    const [ra, rb] = await Promise.all([c.joinGroup({ ...requests[0]!, memberId: a.memberId }), only]);
    expect([ra.generationId, rb.generationId]).toEqual([2, 2]);
    expect(ra.protocolName).toBe('roundrobin');
  });

  it('a static member that does not rejoin is kept through the rebalance (dynamic ones are dropped)', async () => {
    const { coordinator: c, time } = await open();
    const requests = [
      joinRequest({ clientId: 'a', rebalanceTimeoutMs: 5000 }),
      joinRequest({ clientId: 'b', groupInstanceId: 'ib', rebalanceTimeoutMs: 5000 }),
      joinRequest({ clientId: 'c', rebalanceTimeoutMs: 5000 }),
    ];
    const { members } = await formGroup(c, time, requests);
    const [a, b] = members as [Joined, Joined, Joined];
    // a (the leader) rejoins, which forces a rebalance; ib and c stay silent past the rebalance timeout.
    const rejoin = c.joinGroup({ ...requests[0]!, memberId: a.memberId });
    time.advance(4999);
    expect(await isSettled(rejoin)).toBe(false);
    time.advance(1);
    const result = await rejoin;
    expect(result.generationId).toBe(2);
    expect(result.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    // The silent static member still expires with its session like anyone else.
    time.advance(SESSION_TIMEOUT_MS);
    expect((await c.describeGroups(['g']))[0]!.members.map((m) => m.groupInstanceId)).not.toContain('ib');
  });

  it('LeaveGroup by group.instance.id removes the static member; unknown instance ids get UNKNOWN_MEMBER_ID', async () => {
    const { coordinator: c, time } = await open();
    await formGroup(c, time, statics());
    const leave = await c.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: '', groupInstanceId: 'ib', reason: 'scale down' },
        { memberId: '', groupInstanceId: 'nope' },
        { memberId: 'ghost', groupInstanceId: null },
      ],
    });
    expect(leave.members.map((m) => m.errorCode)).toEqual([
      0,
      ErrorCode.UNKNOWN_MEMBER_ID,
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    const [described] = await c.describeGroups(['g']);
    expect(described!.members.map((m) => m.groupInstanceId)).toEqual(['ia']);
    const unknownGroup = await c.leaveGroup({
      groupId: 'nope',
      members: [{ memberId: 'x', groupInstanceId: null }],
    });
    expect(unknownGroup.members[0]!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('SyncGroup: followers wait until the leader assignment is stored; a failed write answers everyone and rebalances', async () => {
    const store = new GatedStore();
    const { coordinator: c, time } = await open({ store });
    const pending = [
      c.joinGroup(joinRequest({ clientId: 'a' })),
      c.joinGroup(joinRequest({ clientId: 'b' })),
    ];
    time.advance(0);
    const [a, b] = await Promise.all(pending);
    const sync = (memberId: string, assignments: { memberId: string; assignment: Uint8Array }[] = []) =>
      c.syncGroup({
        groupId: 'g',
        generationId: 1,
        memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments,
      });
    const follower = sync(b!.memberId);
    expect(await isSettled(follower)).toBe(false);
    store.gated = true;
    const leader = sync(a!.memberId, [{ memberId: b!.memberId, assignment: Uint8Array.of(7) }]);
    expect(await isSettled(follower)).toBe(false);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('CompletingRebalance');
    store.release();
    const [rf, rl] = await Promise.all([follower, leader]);
    expect([...rf.assignment]).toEqual([7]);
    expect([...rl.assignment]).toEqual([]); // the leader left itself out: it gets an empty assignment
    expect(rf.protocolName).toBe('range');

    // A SyncGroup with a wrong generation, protocol or member.
    expect(
      (
        await c.syncGroup({
          groupId: 'g',
          generationId: 9,
          memberId: b!.memberId,
          groupInstanceId: null,
          protocolType: null,
          protocolName: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (
        await c.syncGroup({
          groupId: 'g',
          generationId: 1,
          memberId: b!.memberId,
          groupInstanceId: null,
          protocolType: 'connect',
          protocolName: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await sync('ghost')).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      (
        await c.syncGroup({
          groupId: 'none',
          generationId: 1,
          memberId: 'x',
          groupInstanceId: null,
          protocolType: null,
          protocolName: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    // Next generation with a failing store.
    const rejoins = [
      c.joinGroup(joinRequest({ clientId: 'a', memberId: a!.memberId })),
      c.joinGroup(joinRequest({ clientId: 'b', memberId: b!.memberId })),
    ];
    const [a2, b2] = await Promise.all(rejoins);
    expect(a2!.generationId).toBe(2);
    store.inner.failAppendsWith = new Error('disk full');
    const f2 = c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: b2!.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    const l2 = c.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a2!.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect((await f2).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await l2).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('PreparingRebalance');
  });

  it('a static replacement whose write fails is undone: the old member id stays valid', async () => {
    const store = new GatedStore();
    const { coordinator: c, time } = await open({ store });
    const { members } = await formGroup(c, time, statics());
    const b = members[1]!;
    store.inner.failAppendsWith = new Error('EIO');
    const restarted = await c.joinGroup(joinRequest({ clientId: 'b', groupInstanceId: 'ib' }));
    expect(restarted.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const [described] = await c.describeGroups(['g']);
    expect(described!.groupState).toBe('Stable');
    expect(described!.members.map((m) => m.memberId)).toContain(b.memberId);
    const hb = await c.heartbeat({
      groupId: 'g',
      generationId: 1,
      memberId: b.memberId,
      groupInstanceId: 'ib',
    });
    expect(hb.errorCode).toBe(ErrorCode.NONE);
  });
});
