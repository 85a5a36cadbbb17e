/**
 * The classic group handlers over raw frames (src/protocol, no client library's retries in between):
 * FindCoordinator v0-4, the Join/Sync/Heartbeat/Leave cycle at old and new versions, OffsetCommit/Fetch
 * (leader epoch, multi-group v8, v1 without a top-level error), DescribeGroups, ListGroups, DeleteGroups,
 * OffsetDelete, the __consumer_offsets topic, COORDINATOR_LOAD_IN_PROGRESS before the replay, and offsets
 * surviving a clean restart and a SIGKILL (fsync per append).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSettings } from '../../src/broker/config.js';
import { BrokerGroups, CONSUMER_OFFSETS_TOPIC } from '../../src/broker/group-wiring.js';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { TopicManager } from '../../src/broker/topics.js';
import { MemFs } from '../../src/log/mem-fs.js';
import { createRequest } from '../../src/protocol/schema/registry.js';
import { RawConnection, startKillableBroker } from './data-path-client.js';

const E = {
  NONE: 0,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_SESSION_TIMEOUT: 26,
  UNKNOWN_MEMBER_ID: 25,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
};

/** ConsumerProtocolSubscription v0: the topics, no user data. */
function subscription(topics: string[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const count = Buffer.alloc(4);
  count.writeInt32BE(topics.length);
  parts.push(count);
  for (const t of topics) {
    const len = Buffer.alloc(2);
    len.writeInt16BE(Buffer.byteLength(t));
    parts.push(len, Buffer.from(t));
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  return Buffer.concat(parts);
}

const dirs: string[] = [];
let broker: RunningBroker;
let conn: RawConnection;

beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  await broker.core.groups.loaded;
  broker.core.topics.create({ name: 'wire', numPartitions: 2, replicationFactor: -1, configs: {} });
  conn = await RawConnection.open(broker.bootstrap);
});

afterAll(async () => {
  conn?.close();
  await broker?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('FindCoordinator', () => {
  it('answers this node for groups, COORDINATOR_NOT_AVAILABLE for transactions, per key at v4', async () => {
    const v0 = await conn.request(10, 0, createRequest(10, { key: 'g' }));
    expect(v0).toMatchObject({ errorCode: 0, nodeId: broker.core.nodeId, port: broker.port });
    const txn = await conn.request(10, 3, createRequest(10, { key: 'tx', keyType: 1 }));
    expect(txn.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(txn.nodeId).toBe(-1);
    const v4 = await conn.request(10, 4, createRequest(10, { keyType: 0, coordinatorKeys: ['a', 'b'] }));
    expect(v4.coordinators.map((c) => [c.key, c.nodeId, c.host, c.port, c.errorCode])).toEqual([
      ['a', broker.core.nodeId, '127.0.0.1', broker.port, 0],
      ['b', broker.core.nodeId, '127.0.0.1', broker.port, 0],
    ]);
  });
});

describe('__consumer_offsets', () => {
  it('is an internal compacted topic with offsets.topic.num.partitions partitions', async () => {
    const meta = await conn.request(3, 12, createRequest(3, { topics: null }));
    const topic = meta.topics.find((t) => t.name === CONSUMER_OFFSETS_TOPIC);
    expect(topic?.isInternal).toBe(true);
    expect(topic?.partitions.length).toBe(broker.core.settings['offsets.topic.num.partitions']);
    expect(broker.core.topics.get(CONSUMER_OFFSETS_TOPIC)?.configs['cleanup.policy']).toBe('compact');
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS until the replay is done', async () => {
    const settings = brokerSettings();
    const topics = TopicManager.open({
      dataDir: '/m',
      fs: new MemFs(),
      settings,
      clusterId: 'c',
      log: () => {},
    });
    const groups = BrokerGroups.start({ topics, settings, log: () => {} });
    const hb = { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null };
    const early = groups.coordinator.heartbeat(hb);
    await groups.loaded;
    expect((await early).errorCode).toBe(E.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await groups.coordinator.heartbeat(hb)).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    groups.close();
    topics.close();
  });
});

describe('membership and offsets', () => {
  it('JoinGroup v0 errors carry an empty protocol name and keep the connection', async () => {
    const join = await conn.request(
      11,
      0,
      createRequest(11, {
        groupId: 'short',
        sessionTimeoutMs: 10,
        memberId: '',
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: subscription(['wire']) }],
      }),
    );
    expect(join).toMatchObject({ errorCode: E.INVALID_SESSION_TIMEOUT, protocolName: '' });
    expect(conn.closed).toBe(false);
  });

  it('runs a member through join, sync, commit, fetch, describe, list, leave and delete', async () => {
    const joinReq = (memberId: string) =>
      createRequest(11, {
        groupId: 'cycle',
        sessionTimeoutMs: 30_000,
        rebalanceTimeoutMs: 30_000,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: subscription(['wire']) }],
      });
    const first = await conn.request(11, 7, joinReq(''));
    expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    const joined = await conn.request(11, 7, joinReq(first.memberId));
    expect(joined).toMatchObject({ errorCode: 0, leader: first.memberId, protocolName: 'range' });
    const { memberId, generationId } = joined;
    const assignment = Buffer.from('assigned');
    const sync = await conn.request(
      14,
      5,
      createRequest(14, {
        groupId: 'cycle',
        generationId,
        memberId,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [{ memberId, assignment }],
      }),
    );
    expect(sync.errorCode).toBe(0);
    expect(Buffer.from(sync.assignment)).toEqual(assignment);
    const hb = await conn.request(12, 4, createRequest(12, { groupId: 'cycle', generationId, memberId }));
    expect(hb.errorCode).toBe(0);

    const commit = await conn.request(
      8,
      8,
      createRequest(8, {
        groupId: 'cycle',
        generationIdOrMemberEpoch: generationId,
        memberId,
        topics: [
          {
            name: 'wire',
            partitions: [
              { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 5, committedMetadata: 'm0' },
              { partitionIndex: 7, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
            ],
          },
        ],
      }),
    );
    expect(commit.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([0, E.UNKNOWN_TOPIC_OR_PARTITION]);

    const v5 = await conn.request(
      9,
      5,
      createRequest(9, { groupId: 'cycle', topics: [{ name: 'wire', partitionIndexes: [0, 1] }] }),
    );
    expect(
      v5.topics[0]!.partitions.map((p) => [p.committedOffset, p.committedLeaderEpoch, p.metadata]),
    ).toEqual([
      [42n, 5, 'm0'],
      [-1n, -1, ''],
    ]);
    const v8 = await conn.request(
      9,
      8,
      createRequest(9, {
        groups: [
          { groupId: 'cycle', topics: null },
          { groupId: 'nobody', topics: null },
        ],
      }),
    );
    expect(v8.groups.map((g) => [g.groupId, g.errorCode, g.topics.length])).toEqual([
      ['cycle', 0, 1],
      ['nobody', 0, 0],
    ]);
    expect(v8.groups[0]!.topics[0]!.partitions[0]!.committedOffset).toBe(42n);
    const v1 = await conn.request(
      9,
      1,
      createRequest(9, { groupId: 'cycle', topics: [{ name: 'wire', partitionIndexes: [0] }] }),
    );
    expect(v1.topics[0]!.partitions[0]!.committedOffset).toBe(42n);

    const described = await conn.request(15, 5, createRequest(15, { groups: ['cycle', 'nobody'] }));
    expect(described.groups[0]).toMatchObject({
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(described.groups[0]!.members[0]).toMatchObject({
      memberId,
      clientId: 'kt-test',
      clientHost: '/127.0.0.1',
    });
    expect(Buffer.from(described.groups[0]!.members[0]!.memberAssignment)).toEqual(assignment);
    expect(described.groups[1]).toMatchObject({ errorCode: 0, groupState: 'Dead' });

    const stable = await conn.request(16, 4, createRequest(16, { statesFilter: ['stable'] }));
    expect(stable.groups.map((g) => [g.groupId, g.groupState])).toEqual([['cycle', 'Stable']]);

    expect((await conn.request(42, 2, createRequest(42, { groupsNames: ['cycle'] }))).results).toEqual([
      { groupId: 'cycle', errorCode: E.NON_EMPTY_GROUP },
    ]);
    const subscribed = await conn.request(
      47,
      0,
      createRequest(47, {
        groupId: 'cycle',
        topics: [{ name: 'wire', partitions: [{ partitionIndex: 0 }] }],
      }),
    );
    expect(subscribed.topics[0]!.partitions[0]!.errorCode).toBe(E.GROUP_SUBSCRIBED_TO_TOPIC);

    // LeaveGroup v1: one member, its error is the top-level error.
    const stranger = await conn.request(13, 1, createRequest(13, { groupId: 'cycle', memberId: 'stranger' }));
    expect(stranger.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    const left = await conn.request(
      13,
      4,
      createRequest(13, { groupId: 'cycle', members: [{ memberId, groupInstanceId: null }] }),
    );
    expect(left.errorCode).toBe(0);
    expect(left.members.map((m) => [m.memberId, m.errorCode])).toEqual([[memberId, 0]]);

    const deletedOffsets = await conn.request(
      47,
      0,
      createRequest(47, {
        groupId: 'cycle',
        topics: [{ name: 'wire', partitions: [{ partitionIndex: 0 }] }],
      }),
    );
    expect(deletedOffsets.topics[0]!.partitions[0]!.errorCode).toBe(0);
    expect(
      (await conn.request(42, 2, createRequest(42, { groupsNames: ['cycle', 'nobody'] }))).results,
    ).toEqual([
      { groupId: 'cycle', errorCode: 0 },
      { groupId: 'nobody', errorCode: E.GROUP_ID_NOT_FOUND },
    ]);
    const listed = await conn.request(16, 3, createRequest(16, {}));
    expect(listed.groups.map((g) => g.groupId)).not.toContain('cycle');
  });
});

/** An admin commit (generation -1, no member): what ConsumerGroupCommand --reset-offsets sends. */
function adminCommit(groupId: string, topic: string, offsets: bigint[]) {
  return createRequest(8, {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    topics: [
      {
        name: topic,
        partitions: offsets.map((committedOffset, partitionIndex) => ({
          partitionIndex,
          committedOffset,
          committedLeaderEpoch: -1,
          committedMetadata: '',
        })),
      },
    ],
  });
}

async function fetchOffsets(c: RawConnection, groupId: string): Promise<bigint[]> {
  const r = await c.request(9, 8, createRequest(9, { groups: [{ groupId, topics: null }] }));
  const group = r.groups[0]!;
  expect(group.errorCode).toBe(0);
  return (group.topics[0]?.partitions ?? [])
    .sort((a, b) => a.partitionIndex - b.partitionIndex)
    .map((p) => p.committedOffset);
}

describe('restart', () => {
  it('committed offsets survive a clean restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-groups-restart-'));
    dirs.push(dataDir);
    const first = await startBroker({ port: 0, dataDir });
    first.core.topics.create({ name: 'kept', numPartitions: 2, replicationFactor: -1, configs: {} });
    const c1 = await RawConnection.open(first.bootstrap);
    const committed = await c1.request(8, 8, adminCommit('keeper', 'kept', [3n, 9n]));
    expect(committed.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([0, 0]);
    c1.close();
    await first.close();

    const second = await startBroker({ port: 0, dataDir });
    try {
      await second.core.groups.loaded;
      const c2 = await RawConnection.open(second.bootstrap);
      expect(await fetchOffsets(c2, 'keeper')).toEqual([3n, 9n]);
      c2.close();
    } finally {
      await second.close();
    }
  });

  it('acknowledged commits survive a SIGKILL with log.flush.interval.messages=1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-groups-kill-'));
    dirs.push(dataDir);
    const { bootstrap, kill } = await startKillableBroker({ dataDir, topic: 'killed', partitions: 2 });
    const c1 = await RawConnection.open(bootstrap);
    for (const offsets of [
      [1n, 2n],
      [10n, 20n],
    ]) {
      const r = await c1.request(8, 8, adminCommit('killed-group', 'killed', offsets));
      expect(r.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([0, 0]);
    }
    await kill();
    c1.close();

    const restarted = await startBroker({ port: 0, dataDir });
    try {
      await restarted.core.groups.loaded;
      const c2 = await RawConnection.open(restarted.bootstrap);
      expect(await fetchOffsets(c2, 'killed-group')).toEqual([10n, 20n]);
      c2.close();
    } finally {
      await restarted.close();
    }
  });
});
