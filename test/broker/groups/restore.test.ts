import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../src/broker/groups/coordinator.js';
import { decodeGroupRecord, encodeGroupRecord } from '../../../src/broker/groups/records.js';
import { InMemoryGroupStore } from '../../../src/broker/groups/store.js';
import { ManualTime } from '../../../src/broker/groups/time.js';
import { ErrorCode } from '../../../src/errors/codes.generated.js';
import { DecodeError } from '../../../src/protocol/decode-error.js';
import { formGroup, joinRequest, SESSION_TIMEOUT_MS } from './harness.js';

describe('GroupCoordinator restore from the GroupStore', () => {
  it('a new coordinator on the same store restores committed offsets exactly, groups and deletions', async () => {
    const store = new InMemoryGroupStore();
    const time = new ManualTime();
    const first = await GroupCoordinator.open({ store, time });
    const { members } = await formGroup(first, time, [
      joinRequest({ clientId: 'a', groupInstanceId: 'ia' }),
      joinRequest({ clientId: 'b' }),
    ]);
    const [a] = members;
    const commitAt = time.nowMs();
    await first.offsetCommit({
      groupId: 'g',
      generationIdOrMemberEpoch: 1,
      memberId: a!.memberId,
      groupInstanceId: 'ia',
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 100n,
              committedLeaderEpoch: 4,
              committedMetadata: 'checkpoint-a',
            },
            {
              partitionIndex: 1,
              committedOffset: 2n ** 40n,
              committedLeaderEpoch: -1,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    time.advance(1000);
    // An older commit overwritten later, an offset deleted, and a whole group deleted: the replay must
    // end in the same state.
    const simple = (groupId: string, committedOffset: bigint) =>
      first.offsetCommit({
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          {
            name: 'audit',
            partitions: [
              { partitionIndex: 0, committedOffset, committedLeaderEpoch: -1, committedMetadata: 'x' },
            ],
          },
        ],
      });
    await simple('tools', 1n);
    await simple('tools', 2n);
    await simple('gone', 9n);
    await first.offsetCommit({
      groupId: 'tools',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'scratch',
          partitions: [
            { partitionIndex: 3, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    await first.offsetDelete({
      groupId: 'tools',
      topics: [{ name: 'scratch', partitions: [{ partitionIndex: 3 }] }],
    });
    await first.deleteGroups(['gone']);
    const before = await first.offsetFetch({ groupId: 'g', topics: null });
    first.close();

    // Every record in the store is a real __consumer_offsets record.
    for (const { key, value } of store.log.records) expect(decodeGroupRecord(key, value)).not.toBeNull();

    const time2 = new ManualTime(time.nowMs());
    const second = await GroupCoordinator.open({ store, time: time2 });
    expect(await second.offsetFetch({ groupId: 'g', topics: null })).toEqual(before);
    expect(second.committedOffsets('g')).toEqual([
      {
        topic: 'orders',
        partition: 0,
        offset: {
          committedOffset: 100n,
          leaderEpoch: 4,
          metadata: 'checkpoint-a',
          commitTimestampMs: commitAt,
          expireTimestampMs: null,
        },
      },
      {
        topic: 'orders',
        partition: 1,
        offset: {
          committedOffset: 2n ** 40n,
          leaderEpoch: -1,
          metadata: '',
          commitTimestampMs: commitAt,
          expireTimestampMs: null,
        },
      },
    ]);
    expect(second.committedOffsets('tools').map((o) => [o.topic, o.offset.committedOffset])).toEqual([
      ['audit', 2n],
    ]);
    expect(second.committedOffsets('gone')).toEqual([]);
    expect((await second.listGroups()).groups.map((g) => [g.groupId, g.groupState])).toEqual([
      ['g', 'Stable'],
      ['tools', 'Empty'],
    ]);

    // The restored group: Stable, same generation, members with their assignments; they can carry on…
    const [described] = await second.describeGroups(['g']);
    expect(described!.protocolData).toBe('range');
    expect(described!.members.map((m) => [m.memberId, m.groupInstanceId, [...m.memberAssignment]])).toEqual([
      [members[0]!.memberId, 'ia', [0]],
      [members[1]!.memberId, null, [1]],
    ]);
    const hb = await second.heartbeat({
      groupId: 'g',
      generationId: 1,
      memberId: a!.memberId,
      groupInstanceId: 'ia',
    });
    expect(hb.errorCode).toBe(ErrorCode.NONE);
    // …or expire with their session when they are gone, which empties the group.
    time2.advance(SESSION_TIMEOUT_MS * 2);
    expect((await second.describeGroups(['g']))[0]!.groupState).toBe('Empty');
    second.close();

    // The Empty transition was persisted too.
    const time3 = new ManualTime(time2.nowMs());
    const third = await GroupCoordinator.open({ store, time: time3 });
    const [g3] = await third.describeGroups(['g']);
    expect(g3!.groupState).toBe('Empty');
    expect(third.committedOffsets('g')).toHaveLength(2);
    // Generations continue from the stored one, so stale members of generation 1 stay fenced.
    const rejoin = third.joinGroup(joinRequest());
    time3.advance(0);
    expect((await rejoin).generationId).toBe(3);
    third.close();
  });

  it('load() rejects on a corrupt record, keeps answering COORDINATOR_LOAD_IN_PROGRESS, and can be retried', async () => {
    const store = new InMemoryGroupStore();
    const good = encodeGroupRecord({
      type: 'offset',
      groupId: 'g',
      topic: 't',
      partition: 0,
      value: {
        committedOffset: 5n,
        leaderEpoch: -1,
        metadata: '',
        commitTimestampMs: 1,
        expireTimestampMs: null,
      },
    });
    store.log.records.push(good, { key: good.key, value: Uint8Array.of(0, 4, 1) });
    const c = new GroupCoordinator({ store, time: new ManualTime() });
    await expect(c.load()).rejects.toThrow(DecodeError);
    expect((await c.listGroups()).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    store.log.records.pop();
    await c.load();
    expect(c.committedOffsets('g').map((o) => o.offset.committedOffset)).toEqual([5n]);
    c.close();
  });
});
