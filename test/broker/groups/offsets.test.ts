import { describe, expect, it } from 'vitest';
import type { OffsetCommitRequest } from '../../../src/broker/groups/types.js';
import { ErrorCode } from '../../../src/errors/codes.generated.js';
import { formGroup, GatedStore, type Joined, joinRequest, open, subscription } from './harness.js';

function commit(
  overrides: Partial<OffsetCommitRequest> & { offsets?: [string, number, bigint, string?][] } = {},
): OffsetCommitRequest {
  const { offsets = [['orders', 0, 10n]], ...rest } = overrides;
  const topics = new Map<string, OffsetCommitRequest['topics'][number]['partitions'][number][]>();
  for (const [topic, partitionIndex, committedOffset, metadata] of offsets) {
    const list = topics.get(topic) ?? [];
    list.push({
      partitionIndex,
      committedOffset,
      committedLeaderEpoch: 3,
      committedMetadata: metadata ?? null,
    });
    topics.set(topic, list);
  }
  return {
    groupId: 'g',
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    ...rest,
  };
}

const codes = (r: { topics: { partitions: { errorCode: number }[] }[] }) =>
  r.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));

describe('GroupCoordinator offsets', () => {
  it('admin commits to an unknown group create an Empty group; fetch returns offset, epoch and metadata', async () => {
    const { coordinator: c, time } = await open();
    const r = await c.offsetCommit(
      commit({
        offsets: [
          ['orders', 0, 10n, 'm0'],
          ['orders', 1, 11n],
          ['audit', 0, 5n],
        ],
      }),
    );
    expect(codes(r)).toEqual([0, 0, 0]);
    const [g] = (await c.listGroups()).groups;
    expect(g).toEqual({ groupId: 'g', protocolType: '', groupState: 'Empty', groupType: 'classic' });
    const fetched = await c.offsetFetch({
      groupId: 'g',
      topics: [{ name: 'orders', partitionIndexes: [0, 1, 2] }],
    });
    expect(fetched).toEqual({
      groupId: 'g',
      errorCode: 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 10n,
              committedLeaderEpoch: 3,
              metadata: 'm0',
              errorCode: 0,
            },
            { partitionIndex: 1, committedOffset: 11n, committedLeaderEpoch: 3, metadata: '', errorCode: 0 },
            { partitionIndex: 2, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          ],
        },
      ],
    });
    const all = await c.offsetFetch({ groupId: 'g', topics: null });
    expect(all.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([
      ['orders', [10n, 11n]],
      ['audit', [5n]],
    ]);
    expect(c.committedOffsets('g')[0]!.offset).toEqual({
      committedOffset: 10n,
      leaderEpoch: 3,
      metadata: 'm0',
      commitTimestampMs: time.nowMs(),
      expireTimestampMs: null,
    });
    // Unknown groups fetch as "no offsets", never as an error.
    expect((await c.offsetFetch({ groupId: 'nope', topics: null })).topics).toEqual([]);
    const unknown = await c.offsetFetch({
      groupId: 'nope',
      topics: [{ name: 'orders', partitionIndexes: [0] }],
    });
    expect(unknown.topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
  });

  it('member commits are checked against membership, generation and state', async () => {
    const { coordinator: c, time } = await open();
    const { members } = await formGroup(c, time, [
      joinRequest({ clientId: 'a', groupInstanceId: 'ia' }),
      joinRequest({ clientId: 'b' }),
    ]);
    const [a, b] = members as [Joined, Joined];
    const as = (memberId: string, generationIdOrMemberEpoch: number, groupInstanceId: string | null = null) =>
      c
        .offsetCommit(commit({ memberId, generationIdOrMemberEpoch, groupInstanceId }))
        .then((r) => codes(r)[0]);
    expect(await as(b.memberId, 1)).toBe(ErrorCode.NONE);
    expect(await as(a.memberId, 1, 'ia')).toBe(ErrorCode.NONE);
    expect(await as(b.memberId, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await as('ghost', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await as('ghost', 1, 'ia')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(await as('', -1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // admin commit while the group has members
    // PreparingRebalance: the previous generation may still commit (e.g. in onPartitionsRevoked).
    // The leader rejoining starts a rebalance; b still has generation 1 and may commit.
    const rejoinA = c.joinGroup(joinRequest({ clientId: 'a', groupInstanceId: 'ia', memberId: a.memberId }));
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('PreparingRebalance');
    expect(await as(b.memberId, 1)).toBe(ErrorCode.NONE);
    const rejoinB = c.joinGroup(joinRequest({ clientId: 'b', memberId: b.memberId }));
    await Promise.all([rejoinA, rejoinB]);
    // CompletingRebalance: REBALANCE_IN_PROGRESS for the new generation.
    expect(await as(b.memberId, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // Unknown group with a generation: ILLEGAL_GENERATION before OffsetCommit v9, GROUP_ID_NOT_FOUND after.
    const unknown = (apiVersion: number) =>
      c
        .offsetCommit(commit({ groupId: 'other', memberId: 'm', generationIdOrMemberEpoch: 1, apiVersion }))
        .then((r) => codes(r)[0]);
    expect(await unknown(8)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await unknown(9)).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(codes(await c.offsetCommit(commit({ groupId: '' })))).toEqual([ErrorCode.INVALID_GROUP_ID]);
  });

  it('per-partition errors: metadata too large, unknown partition; a failed store write commits nothing', async () => {
    const store = new GatedStore();
    const { coordinator: c } = await open({
      store,
      offsetMetadataMaxBytes: 8,
      partitionExists: (t, p) => t === 'orders' && p < 2,
    });
    const r = await c.offsetCommit(
      commit({
        offsets: [
          ['orders', 0, 1n, 'short'],
          ['orders', 1, 2n, 'far too long'],
          ['orders', 5, 3n],
          ['gone', 0, 4n],
        ],
      }),
    );
    expect(codes(r)).toEqual([
      0,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    expect(c.committedOffsets('g').map((o) => [o.topic, o.partition])).toEqual([['orders', 0]]);

    store.inner.failAppendsWith = new Error('EIO');
    const failed = await c.offsetCommit(
      commit({
        offsets: [
          ['orders', 0, 99n],
          ['orders', 1, 98n, 'far too long'],
        ],
      }),
    );
    expect(codes(failed)).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    const fetched = await c.offsetFetch({
      groupId: 'g',
      topics: [{ name: 'orders', partitionIndexes: [0] }],
    });
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(1n);
  });

  it('offsets are only visible once the store append is durable', async () => {
    const store = new GatedStore();
    const { coordinator: c } = await open({ store });
    store.gated = true;
    const pending = c.offsetCommit(commit({ offsets: [['orders', 0, 42n]] }));
    const before = await c.offsetFetch({ groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }] });
    expect(before.topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
    store.release();
    expect(codes(await pending)).toEqual([0]);
    const after = await c.offsetFetch({ groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }] });
    expect(after.topics[0]!.partitions[0]!.committedOffset).toBe(42n);
  });

  it('OffsetDelete: unknown group, non-consumer active group, subscribed topics, and deletion', async () => {
    const { coordinator: c, time } = await open({ partitionExists: (t) => t !== 'missing' });
    const del = (groupId: string, topics: [string, number[]][]) =>
      c.offsetDelete({
        groupId,
        topics: topics.map(([name, ps]) => ({
          name,
          partitions: ps.map((partitionIndex) => ({ partitionIndex })),
        })),
      });
    expect((await del('nope', [['orders', [0]]])).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);

    // An active "connect" group: its metadata is not a consumer subscription → NON_EMPTY_GROUP.
    await formGroup(c, time, [
      joinRequest({
        groupId: 'workers',
        protocolType: 'connect',
        protocols: [{ name: 'v1', metadata: Uint8Array.of(1) }],
      }),
    ]);
    expect((await del('workers', [['orders', [0]]])).errorCode).toBe(ErrorCode.NON_EMPTY_GROUP);

    // An active consumer group subscribed to "orders" only.
    const { members } = await formGroup(c, time, [
      joinRequest({ protocols: [{ name: 'range', metadata: subscription(['orders']) }] }),
    ]);
    const m = members[0]!;
    await c.offsetCommit(
      commit({
        memberId: m.memberId,
        generationIdOrMemberEpoch: 1,
        offsets: [
          ['orders', 0, 1n],
          ['old', 0, 2n],
          ['old', 1, 3n],
        ],
      }),
    );
    const r = await del('g', [
      ['orders', [0]],
      ['old', [0]],
      ['missing', [0]],
    ]);
    expect(r).toEqual({
      errorCode: 0,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }],
        },
        { name: 'old', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
        {
          name: 'missing',
          partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }],
        },
      ],
    });
    expect(c.committedOffsets('g').map((o) => `${o.topic}-${o.partition}`)).toEqual(['orders-0', 'old-1']);

    // Once the group is empty, its former topics can be deleted too.
    await c.leaveGroup({ groupId: 'g', members: [{ memberId: m.memberId, groupInstanceId: null }] });
    expect(codes(await del('g', [['orders', [0]]]))).toEqual([0]);
    expect(c.committedOffsets('g').map((o) => `${o.topic}-${o.partition}`)).toEqual(['old-1']);
  });
});
