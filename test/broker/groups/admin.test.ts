import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors/codes.generated.js';
import { flush, formGroup, GatedStore, joinRequest, open, subscription } from './harness.js';

describe('GroupCoordinator describe/list/delete', () => {
  it('describeGroups(): Stable groups show protocol, metadata and assignments; other states hide them; unknown is Dead', async () => {
    const { coordinator: c, time } = await open();
    const { members } = await formGroup(c, time, [
      joinRequest({ clientId: 'cons-1', clientHost: '/10.0.0.1', groupInstanceId: 'i1' }),
      joinRequest({ clientId: 'cons-2', clientHost: '/10.0.0.2' }),
    ]);
    const [stable, unknown] = await c.describeGroups(['g', 'nope']);
    expect(stable).toEqual({
      errorCode: 0,
      groupId: 'g',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [
        {
          memberId: members[0]!.memberId,
          groupInstanceId: 'i1',
          clientId: 'cons-1',
          clientHost: '/10.0.0.1',
          memberMetadata: subscription(['orders']),
          memberAssignment: Uint8Array.of(0),
        },
        {
          memberId: members[1]!.memberId,
          groupInstanceId: null,
          clientId: 'cons-2',
          clientHost: '/10.0.0.2',
          memberMetadata: subscription(['orders']),
          memberAssignment: Uint8Array.of(1),
        },
      ],
    });
    expect(unknown).toEqual({
      errorCode: 0,
      groupId: 'nope',
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    });
    const [v6] = await c.describeGroups(['nope'], { notFoundAsError: true });
    expect(v6!.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);

    void c.joinGroup(joinRequest({ clientId: 'cons-3' }));
    await flush();
    const [rebalancing] = await c.describeGroups(['g']);
    expect(rebalancing!.groupState).toBe('PreparingRebalance');
    expect(rebalancing!.protocolData).toBe('');
    expect(
      rebalancing!.members.map((m) => [m.clientId, m.memberMetadata.length, m.memberAssignment.length]),
    ).toEqual([
      ['cons-1', 0, 0],
      ['cons-2', 0, 0],
      ['cons-3', 0, 0],
    ]);
  });

  it('listGroups() lists every group with its state, filtered by state (case-insensitive) and type', async () => {
    const { coordinator: c, time } = await open();
    await formGroup(c, time, [joinRequest({ groupId: 'active' })]);
    await c.offsetCommit({
      groupId: 'simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    const all = await c.listGroups();
    expect(all).toEqual({
      errorCode: 0,
      groups: [
        { groupId: 'active', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
        { groupId: 'simple', protocolType: '', groupState: 'Empty', groupType: 'classic' },
      ],
    });
    const ids = async (statesFilter: string[], typesFilter: string[] = []) =>
      (await c.listGroups({ statesFilter, typesFilter })).groups.map((g) => g.groupId);
    expect(await ids(['stable'])).toEqual(['active']);
    expect(await ids(['Empty', 'Dead'])).toEqual(['simple']);
    expect(await ids(['PreparingRebalance'])).toEqual([]);
    expect(await ids([], ['Classic'])).toEqual(['active', 'simple']);
    expect(await ids([], ['consumer'])).toEqual([]);
  });

  it('deleteGroups(): only Empty groups, with their offsets; NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, INVALID_GROUP_ID otherwise', async () => {
    const store = new GatedStore();
    const { coordinator: c, time } = await open({ store });
    await formGroup(c, time, [joinRequest({ groupId: 'active' })]);
    await c.offsetCommit({
      groupId: 'done',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    store.gated = true;
    const pending = c.deleteGroups(['active', 'done', 'nope', '']);
    // While the tombstones are being written the group is Dead: no joins or commits slip in.
    const join = await c.joinGroup(joinRequest({ groupId: 'done' }));
    expect(join.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    store.release();
    expect(await pending).toEqual([
      { groupId: 'active', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'done', errorCode: 0 },
      { groupId: 'nope', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
      { groupId: '', errorCode: ErrorCode.INVALID_GROUP_ID },
    ]);
    expect((await c.listGroups()).groups.map((g) => g.groupId)).toEqual(['active']);
    expect(c.committedOffsets('done')).toEqual([]);
    expect((await c.deleteGroups(['done']))[0]!.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);

    // A failed write deletes nothing.
    await c.offsetCommit({
      groupId: 'again',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    store.inner.failAppendsWith = new Error('EIO');
    expect((await c.deleteGroups(['again']))[0]!.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await c.describeGroups(['again']))[0]!.groupState).toBe('Empty');
    expect(c.committedOffsets('again')).toHaveLength(1);
  });

  it('requests before load() answer COORDINATOR_LOAD_IN_PROGRESS', async () => {
    const { GroupCoordinator } = await import('../../../src/broker/groups/coordinator.js');
    const c = new GroupCoordinator();
    expect((await c.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await c.listGroups()).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    await c.load();
    expect((await c.listGroups()).errorCode).toBe(ErrorCode.NONE);
    c.close();
  });
});
