import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import {
  CheckpointLedger,
  checkpointExtension,
  GROUPS_EXCLUDE_DEFAULT,
  groupFilter,
  isMoreRecent,
} from '../../src/mirror/checkpoints.js';
import {
  type Checkpoint,
  checkpointsTopic,
  decodeCheckpoint,
  encodeCheckpointKey,
  encodeCheckpointValue,
} from '../../src/mirror/formats.js';
import { forwardOnly, syncGroupOffsets } from '../../src/mirror/group-sync.js';
import { appendRecords, ensureCompactedTopic, readToEnd } from '../../src/mirror/internal-topics.js';
import { TopicPolicy } from '../../src/mirror/policy.js';
import type { LivePartition, MirrorView } from '../../src/mirror/run.js';
import { fetchCommitted } from '../../src/ops/groups/coordinator.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';

const cp = (upstreamOffset: bigint, downstreamOffset: bigint, partition = 0): Checkpoint => ({
  group: 'g',
  topic: 'east.orders',
  partition,
  upstreamOffset,
  downstreamOffset,
  metadata: '',
});

describe('isMoreRecent (MM2 checkpointIsMoreRecent)', () => {
  it('writes the first, an advanced downstream and an upstream rewind; skips repeats and downstream rewinds', () => {
    const last = { upstreamOffset: 100n, downstreamOffset: 90n };
    expect(isMoreRecent(undefined, cp(5n, 5n))).toBe(true);
    expect(isMoreRecent(last, cp(100n, 90n))).toBe(false); // repeated
    expect(isMoreRecent(last, cp(110n, 95n))).toBe(true); // downstream advanced
    // Upstream advanced over a gap (markers, aborted records): same downstream, nothing new to say.
    expect(isMoreRecent(last, cp(104n, 90n))).toBe(false);
    // Downstream lower with upstream ahead (a stale segment map): never written.
    expect(isMoreRecent(last, cp(120n, 80n))).toBe(false);
    expect(isMoreRecent(last, cp(50n, 45n))).toBe(true); // the source group was reset backwards
  });
});

describe('CheckpointLedger', () => {
  it('keeps the last checkpoint per group, target topic and partition, loaded in log order', () => {
    const ledger = new CheckpointLedger();
    ledger.record(cp(10n, 10n));
    ledger.record(cp(20n, 18n)); // later in the log: wins
    ledger.record(cp(7n, 7n, 1));
    ledger.record({ ...cp(1n, 1n), group: 'other' });
    expect(ledger.size).toBe(3);
    expect(ledger.get('g', 'east.orders', 0)).toEqual({ upstreamOffset: 20n, downstreamOffset: 18n });
    expect(ledger.changed(cp(20n, 18n))).toBe(false); // a restart does not rewrite it
    expect(ledger.changed(cp(21n, 19n))).toBe(true);
    expect(ledger.changed(cp(7n, 7n, 1))).toBe(false);
    expect(ledger.changed(cp(7n, 7n, 2))).toBe(true); // another partition
    expect(ledger.changed({ ...cp(20n, 18n), group: 'third' })).toBe(true);
  });

  it('written downstream offsets never go back except after an upstream rewind', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 50n }), fc.bigInt({ min: 0n, max: 50n })), {
          maxLength: 60,
        }),
        (commits) => {
          const ledger = new CheckpointLedger();
          const written: Checkpoint[] = [];
          for (const [up, down] of commits) {
            const c = cp(up, down);
            if (ledger.changed(c)) {
              ledger.record(c);
              written.push(c);
            }
          }
          for (let i = 1; i < written.length; i++) {
            const [a, b] = [written[i - 1]!, written[i]!];
            // Each write either advanced downstream or rewound upstream, and always changed something.
            expect(b.downstreamOffset > a.downstreamOffset || b.upstreamOffset < a.upstreamOffset).toBe(true);
          }
          // The first commit is always written.
          if (commits.length > 0) expect(written[0]).toEqual(cp(commits[0]![0], commits[0]![1]));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('group selection', () => {
  it('matches whole names and leaves out MM2 default excludes unless replaced', () => {
    const all = groupFilter({ groups: '.*' });
    expect(all('billing')).toBe(true);
    expect(all('console-consumer-1234')).toBe(false);
    expect(all('connect-sink')).toBe(false);
    expect(all('__internal')).toBe(false);
    const some = groupFilter({ groups: 'bill.*|pay', groupsExclude: 'billing-test' });
    expect(some('billing')).toBe(true);
    expect(some('billing-test')).toBe(false);
    expect(some('pay')).toBe(true);
    expect(some('payments')).toBe(false); // whole name, not a substring
    expect(some('xbilling')).toBe(false);
    // A given exclude replaces the default, as MM2's groups.exclude does.
    expect(some('__x')).toBe(false); // not included anyway
    expect(groupFilter({ groups: '.*', groupsExclude: 'none' })('console-consumer-1')).toBe(true);
    expect(GROUPS_EXCLUDE_DEFAULT).toBe('console-consumer-.*|connect-.*|__.*');
  });

  it('rejects an invalid regex before the mirror starts, as a usage error', () => {
    expect(() =>
      checkpointExtension({ groups: '(', intervalMs: 1000, syncGroupOffsets: false }),
    ).toThrowError(expect.objectContaining({ code: 'KT_USAGE' }));
    expect(() =>
      checkpointExtension({ groups: '.*', groupsExclude: '[', intervalMs: 1000, syncGroupOffsets: false }),
    ).toThrowError(/--groups-exclude/);
  });
});

describe('forwardOnly (target group sync)', () => {
  it('commits only partitions that move forward or have no committed offset', () => {
    const committed = new Map([
      ['east.orders\u00000', 10n],
      ['east.orders\u00001', 50n],
      ['east.orders\u00002', 7n],
    ]);
    const moves = forwardOnly(
      [
        { topic: 'east.orders', partition: 0, offset: 12n },
        { topic: 'east.orders', partition: 1, offset: 40n }, // would move back: left alone
        { topic: 'east.orders', partition: 2, offset: 7n }, // unchanged
        { topic: 'east.orders', partition: 3, offset: 0n }, // nothing committed yet
      ],
      committed,
    );
    expect(moves).toEqual([
      { topic: 'east.orders', partition: 0, from: 10n, to: 12n },
      { topic: 'east.orders', partition: 3, from: null, to: 0n },
    ]);
  });
});

describe('checkpoint extension against an embedded cluster (source and target alike)', () => {
  let broker: RunningBroker;
  let client: ClusterClient;
  beforeAll(async () => {
    broker = await startBroker({ port: 0 });
    client = new ClusterClient({ bootstrapServers: [broker.bootstrap] });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await broker?.close();
  });

  /** An OffsetCommit carrying metadata (kt's admin commit always sends ''). */
  async function commit(group: string, topic: string, offset: bigint, metadata: string): Promise<void> {
    const conn = await client.connection({ nodeId: await client.findCoordinator(group) });
    const response = await conn.send(
      8,
      {
        groupId: group,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [
          {
            name: topic,
            partitions: [
              {
                partitionIndex: 0,
                committedOffset: offset,
                committedLeaderEpoch: -1,
                committedMetadata: metadata,
              },
            ],
          },
        ],
      },
      { version: Math.min(conn.versionFor(8), 9) },
    );
    expect(response.topics[0]?.partitions[0]?.errorCode).toBe(0);
  }

  it('loads the last checkpoints (skipping foreign records), writes only changes, keeps aheadBy and commit metadata', async () => {
    const id = randomBytes(3).toString('hex');
    const alias = `src${id}`;
    const orders = `orders-${id}`;
    const remote = `${alias}.${orders}`;
    const [g1, g2, skipped] = [`g1-${id}`, `g2-${id}`, `g3-${id}-skip`];
    await createTopics(client, { names: [orders], partitions: 1 });
    const topic = checkpointsTopic(alias);
    await ensureCompactedTopic(client, topic);
    // A previous run's checkpoint of g1, and a record that is not a checkpoint.
    await appendRecords(client, topic, [
      { key: Buffer.from('junk'), value: Buffer.from('x') },
      { key: encodeCheckpointKey(g1, remote, 0), value: encodeCheckpointValue(5n, 5n) },
    ]);
    await commit(g1, orders, 5n, ''); // unchanged since the previous run
    await commit(g2, orders, 7n, 'meta-7'); // ahead of the replicated end (5)
    await commit(skipped, orders, 1n, '');
    const lines: string[] = [];
    const partition = { topic: orders, partition: 0, targetTopic: remote } as LivePartition;
    const view: MirrorView = {
      source: client,
      target: client,
      sourceAlias: alias,
      targetAlias: 'west',
      policy: new TopicPolicy({ sourceAlias: alias, targetAlias: 'west', rename: 'prefix' }),
      signal: new AbortController().signal,
      partitions: () => [partition],
      translate: (_t, _p, g) => (g <= 5n ? { offset: g, aheadBy: 0n } : { offset: 5n, aheadBy: g - 5n }),
      onCopied: () => undefined,
      log: (line) => lines.push(line),
    };
    const ext = checkpointExtension({
      groups: `g.-${id}.*`,
      groupsExclude: `.*-skip`,
      intervalMs: 1000,
      syncGroupOffsets: false,
    })(view);
    // Two ticks at once run one after the other: the second finds nothing new.
    await Promise.all([ext.tick(), ext.tick()]);
    expect(ext.written).toBe(1);
    expect(lines.filter((l) => l.includes(`skipped 1 records of ${topic}`))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('mirror: group '))).toEqual([
      `mirror: group ${g2}: checkpointed ${remote}-0@5 (ahead by 2)`,
    ]);
    const records: Checkpoint[] = [];
    await readToEnd(client, topic, (k, v, offset) => {
      if (offset > 1n) records.push(decodeCheckpoint(k, v));
    });
    expect(records).toEqual([
      {
        group: g2,
        topic: remote,
        partition: 0,
        upstreamOffset: 7n,
        downstreamOffset: 5n,
        metadata: 'meta-7',
      },
    ]);
    expect(
      ext.lastCheckpoints().map((s) => [s.group, s.upstreamOffset, s.downstreamOffset, s.aheadBy]),
    ).toEqual([
      [g1, 5n, 5n, 0n],
      [g2, 7n, 5n, 2n],
    ]);
    // A fresh extension (a restart) loads both and writes nothing.
    const again = checkpointExtension({
      groups: `g.-${id}.*`,
      groupsExclude: '.*-skip',
      intervalMs: 1000,
      syncGroupOffsets: false,
    })(view);
    await again.tick();
    expect(again.written).toBe(0);
  });

  it('group sync: commits forward only to an idle group; a group listed as active is skipped untouched', async () => {
    const id = randomBytes(3).toString('hex');
    const topic = `synced-${id}`;
    await createTopics(client, { names: [topic], partitions: 2 });
    const group = `sync-${id}`;
    await commit(group, topic, 9n, '');
    const wanted = [
      { topic, partition: 0, offset: 5n }, // behind the committed 9: left alone
      { topic, partition: 1, offset: 4n }, // nothing committed: written
    ];
    // ListGroups said the group is active (a KIP-848 group DescribeGroups cannot see): nothing written.
    expect(await syncGroupOffsets(client, group, wanted, { state: 'Stable', type: 'consumer' })).toEqual({
      committed: [],
      skipped: 'Stable (a consumer group)',
    });
    expect((await fetchCommitted(client, group)).map((o) => [o.partition, o.offset])).toEqual([[0, 9n]]);
    const result = await syncGroupOffsets(client, group, wanted, { state: 'Empty', type: 'classic' });
    expect(result).toEqual({ committed: [{ topic, partition: 1, from: null, to: 4n }] });
    expect((await fetchCommitted(client, group)).map((o) => [o.partition, o.offset])).toEqual([
      [0, 9n],
      [1, 4n],
    ]);
    expect((await syncGroupOffsets(client, group, wanted)).committed).toEqual([]); // nothing moves now
  });
});
