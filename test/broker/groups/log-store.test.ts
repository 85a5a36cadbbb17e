import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../src/broker/groups/coordinator.js';
import { LogKeyValueLog } from '../../../src/broker/groups/log-store.js';
import { KeyValueGroupStore } from '../../../src/broker/groups/store.js';
import { ManualTime } from '../../../src/broker/groups/time.js';
import type { OffsetCommitRequest } from '../../../src/broker/groups/types.js';
import { compactLog } from '../../../src/log/compaction.js';
import { Log } from '../../../src/log/log.js';
import { formGroup, joinRequest } from './harness.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function partitionDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kt-groups-log-'));
  dirs.push(dir);
  return join(dir, '__consumer_offsets-0');
}

function adminCommit(groupId: string, partition: number, committedOffset: bigint): OffsetCommitRequest {
  return {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: 'orders',
        partitions: [
          { partitionIndex: partition, committedOffset, committedLeaderEpoch: 2, committedMetadata: 'm' },
        ],
      },
    ],
  };
}

describe('LogKeyValueLog: the coordinator on a real __consumer_offsets partition', () => {
  it('offsets and group metadata survive closing and reopening the log', async () => {
    const dir = await partitionDir();
    const time = new ManualTime();
    const log = Log.open({ dir, nowMs: () => time.nowMs() });
    const store = new KeyValueGroupStore(
      new LogKeyValueLog(log, { flushEachAppend: true, nowMs: () => time.nowMs() }),
    );
    const c = await GroupCoordinator.open({ store, time });
    const { members } = await formGroup(c, time, [
      joinRequest({ clientId: 'a' }),
      joinRequest({ clientId: 'b' }),
    ]);
    for (let i = 0; i < 20; i++) await c.offsetCommit(adminCommit('tools', i % 3, BigInt(i)));
    const before = await c.offsetFetch({ groupId: 'tools', topics: null });
    const described = await c.describeGroups(['g']);
    c.close();
    log.close();

    const reopened = Log.open({ dir, nowMs: () => time.nowMs() });
    const c2 = await GroupCoordinator.open({
      store: new KeyValueGroupStore(new LogKeyValueLog(reopened, { readBytesMax: 100 })),
      time,
    });
    expect(await c2.offsetFetch({ groupId: 'tools', topics: null })).toEqual(before);
    expect(before.topics[0]!.partitions.map((p) => p.committedOffset)).toEqual([18n, 19n, 17n]);
    expect(await c2.describeGroups(['g'])).toEqual(described);
    expect(described[0]!.members.map((m) => m.memberId)).toEqual(members.map((m) => m.memberId));
    c2.close();
    reopened.close();
  });

  it('replays to the same state after the partition is compacted (last record per key wins)', async () => {
    const dir = await partitionDir();
    const time = new ManualTime();
    const config = { cleanupPolicy: 'compact' as const, minCleanableDirtyRatio: 0, deleteRetentionMs: 0 };
    const log = Log.open({ dir, config, nowMs: () => time.nowMs() });
    const store = new KeyValueGroupStore(new LogKeyValueLog(log, { nowMs: () => time.nowMs() }));
    const c = await GroupCoordinator.open({ store, time });
    for (let i = 0; i < 50; i++) await c.offsetCommit(adminCommit('tools', i % 2, BigInt(i)));
    await c.offsetCommit(adminCommit('temp', 0, 1n));
    await c.deleteGroups(['temp']);
    const before = await c.offsetFetch({ groupId: 'tools', topics: null });
    log.roll();
    time.advance(1000);
    const report = await compactLog(log, {
      force: true,
      nowMs: time.nowMs(),
      lastStableOffset: log.logEndOffset,
    });
    expect(report.removedRecords).toBeGreaterThan(40);
    c.close();

    const c2 = await GroupCoordinator.open({ store: new KeyValueGroupStore(new LogKeyValueLog(log)), time });
    expect(await c2.offsetFetch({ groupId: 'tools', topics: null })).toEqual(before);
    expect((await c2.listGroups()).groups.map((g) => g.groupId)).toEqual(['tools']);
    c2.close();
    log.close();
  });
});
