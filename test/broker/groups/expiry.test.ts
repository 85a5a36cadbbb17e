import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../src/broker/groups/coordinator.js';
import { InMemoryGroupStore } from '../../../src/broker/groups/store.js';
import { ManualTime } from '../../../src/broker/groups/time.js';
import type { OffsetCommitRequest } from '../../../src/broker/groups/types.js';
import { flush, formGroup, joinRequest, open, subscription } from './harness.js';

const RETENTION_MS = 60_000;
const CHECK_MS = 1000;
const options = { offsetsRetentionMs: RETENTION_MS, offsetsRetentionCheckIntervalMs: CHECK_MS };

function commit(
  groupId: string,
  topic: string,
  extra: Partial<OffsetCommitRequest> = {},
): OffsetCommitRequest {
  return {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: topic,
        partitions: [
          { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
        ],
      },
    ],
    ...extra,
  };
}

/** Advances in check-interval steps, letting each expiration pass finish its store write. */
async function elapse(time: ManualTime, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += CHECK_MS) {
    time.advance(CHECK_MS);
    await flush();
  }
}

const topicsOf = (c: GroupCoordinator, groupId: string) => c.committedOffsets(groupId).map((o) => o.topic);

describe('GroupCoordinator offset expiration', () => {
  it('offsets committed outside membership expire by commit time, then the empty group is deleted (durably)', async () => {
    const { coordinator: c, time, store } = await open(options);
    await c.offsetCommit(commit('tools', 'a'));
    await elapse(time, 30_000);
    await c.offsetCommit(commit('tools', 'b'));
    await elapse(time, 31_000);
    expect(topicsOf(c, 'tools')).toEqual(['b']);
    await elapse(time, 30_000);
    expect(topicsOf(c, 'tools')).toEqual([]);
    expect((await c.listGroups()).groups).toEqual([]);
    c.close();
    const reopened = await GroupCoordinator.open({ store, time: new ManualTime(time.nowMs()) });
    expect((await reopened.listGroups()).groups).toEqual([]);
    expect(reopened.committedOffsets('tools')).toEqual([]);
    reopened.close();
  });

  it('an Empty group keeps its offsets for the retention counted from when it became Empty', async () => {
    const { coordinator: c, time } = await open(options);
    const { members } = await formGroup(c, time, [
      joinRequest({ protocols: [{ name: 'range', metadata: subscription(['orders']) }] }),
    ]);
    const member = members[0]!;
    await c.offsetCommit(commit('g', 'orders', { generationIdOrMemberEpoch: 1, memberId: member.memberId }));
    // The member stays for 2 retention periods (heartbeating), then leaves.
    for (let t = 0; t < 2 * RETENTION_MS; t += 5000) {
      await elapse(time, 5000);
      await c.heartbeat({ groupId: 'g', generationId: 1, memberId: member.memberId, groupInstanceId: null });
    }
    expect(topicsOf(c, 'g')).toEqual(['orders']);
    await c.leaveGroup({ groupId: 'g', members: [{ memberId: member.memberId, groupInstanceId: null }] });
    await elapse(time, RETENTION_MS - 2 * CHECK_MS);
    expect(topicsOf(c, 'g')).toEqual(['orders']);
    await elapse(time, 3 * CHECK_MS);
    expect(topicsOf(c, 'g')).toEqual([]);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('Dead');
  });

  it('a Stable consumer group keeps offsets of subscribed topics and expires the others by commit time', async () => {
    const { coordinator: c, time } = await open(options);
    const { members } = await formGroup(c, time, [
      joinRequest({ protocols: [{ name: 'range', metadata: subscription(['orders']) }] }),
    ]);
    const member = members[0]!;
    const memberCommit = (topic: string) =>
      c.offsetCommit(commit('g', topic, { generationIdOrMemberEpoch: 1, memberId: member.memberId }));
    await memberCommit('orders');
    await memberCommit('legacy');
    for (let t = 0; t < RETENTION_MS + 5000; t += 5000) {
      await elapse(time, 5000);
      await c.heartbeat({ groupId: 'g', generationId: 1, memberId: member.memberId, groupInstanceId: null });
    }
    expect(topicsOf(c, 'g')).toEqual(['orders']);
    expect((await c.describeGroups(['g']))[0]!.groupState).toBe('Stable');
  });

  it('an explicit retention from OffsetCommit v2-4 sets the offset its own expiry', async () => {
    const store = new InMemoryGroupStore();
    const { coordinator: c, time } = await open({ ...options, store });
    await c.offsetCommit(commit('tools', 'short', { retentionTimeMs: 5000n }));
    await c.offsetCommit(commit('tools', 'default'));
    expect(c.committedOffsets('tools')[0]!.offset.expireTimestampMs).toBe(time.nowMs() + 5000);
    await elapse(time, 6000);
    expect(topicsOf(c, 'tools')).toEqual(['default']);
  });
});
