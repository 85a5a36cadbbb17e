// Checkpoints and --sync-group-offsets of kt mirror run (src/mirror/checkpoints.ts, group-sync.ts),
// embedded → embedded and real → real. Source groups commit at the start, mid-topic, at and right after a
// gap (real: a transaction's aborted records and markers; embedded, which has no transactions: a
// compaction gap), at the end, and ahead of the mirror. Checked: every checkpoint is the exact target
// offset (the target record there is the source record at the committed offset), the idle target groups
// carry the same offsets, a Stable target group is left alone, a restart writes only what changed, a
// kafkajs consumer joining the group on the target reads exactly the records after the commit point, and
// (real only) Java's RemoteClusterUtils.translateOffsets reads the same offsets from kt's checkpoints.
import kafkajs from 'kafkajs';
import { expect, it } from 'vitest';
import { type CheckpointExtension, checkpointExtension } from '../../src/mirror/checkpoints.js';
import type { Checkpoint } from '../../src/mirror/formats.js';
import { type MirrorView, runMirror } from '../../src/mirror/run.js';
import { commitOffsets, describeGroup, fetchCommitted } from '../../src/ops/groups/coordinator.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { mirrorUntil, producePartition, readCheckpoints, recordCount, values } from '../mirror/flows.js';
import { compactedGap, consumeUntilSentinel, leadersReady, transactionalGap } from '../mirror/gap-topics.js';
import { readPartition, waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs, type MirrorPair, uniqueNames } from '../mirror/pairs.js';
import { translateWithJava } from '../real-kafka/java/translate-offsets.js';

/** The last checkpoint per key, as `group topic partition offset` lines (RemoteClusterUtils' view). */
function latest(checkpoints: readonly Checkpoint[], groups: readonly string[]): string[] {
  const last = new Map<string, Checkpoint>();
  for (const c of checkpoints) last.set(`${c.group}\t${c.topic}\t${c.partition}`, c);
  return [...last.entries()]
    .filter(([, c]) => groups.includes(c.group))
    .map(([k, c]) => `${k}\t${c.downstreamOffset}`)
    .sort();
}

async function scenario(c: MirrorPair): Promise<void> {
  const { id, east, west, name } = uniqueNames();
  const orders = name('orders');
  const remote = (t: string) => `${east}.${t}`;
  const group = (name: string) => `${name}-${id}`;
  // A just-started real Kafka answers NOT_COORDINATOR until __consumer_offsets is loaded.
  for (const client of [c.source, c.target]) {
    await waitFor(
      'group coordinators',
      () =>
        describeGroup(client, group('probe')).then(
          () => true,
          () => false,
        ),
      60_000,
    );
  }
  const gap = await (c.kind === 'real'
    ? transactionalGap(c.source, c.sourceBootstrap, `gap-${id}`)
    : compactedGap(c.source, `gap-${id}`));
  await createTopics(c.source, { names: [orders], partitions: 2 });
  await leadersReady(c.source, orders, 2);
  for (const p of [0, 1]) {
    await producePartition(c.source, orders, p, values(4, `p${p}a`));
    await producePartition(c.source, orders, p, values(6, `p${p}b`), 'gzip');
  }
  const gapEnd = gap.visible[gap.visible.length - 1]!.offset + (c.kind === 'real' ? 2n : 1n);
  const commits: Record<string, [string, number, bigint][]> = {
    start: [
      [orders, 0, 0n],
      [orders, 1, 0n],
    ],
    mid: [
      [orders, 0, 5n],
      [orders, 1, 3n],
    ],
    inGap: [[gap.topic, 0, gap.inGap]],
    afterGap: [[gap.topic, 0, gap.afterGap]],
    end: [
      [orders, 0, 10n],
      [orders, 1, 10n],
      [gap.topic, 0, gapEnd],
    ],
    live: [[orders, 0, 5n]],
  };
  for (const [name, list] of Object.entries(commits)) {
    await commitOffsets(
      c.source,
      group(name),
      list.map(([topic, partition, offset]) => ({ topic, partition, offset })),
    );
  }
  // Not selected: the default excludes and the --groups regex.
  await commitOffsets(c.source, `console-consumer-${id}`, [{ topic: orders, partition: 0, offset: 1n }]);

  // A live consumer of `live` on the target (on a target-only topic): the group there is Stable.
  const local = `local-${id}`;
  await createTopics(c.target, { names: [local], partitions: 1 });
  await leadersReady(c.target, local, 1);
  const targetKafka = new kafkajs.Kafka({ brokers: [c.targetBootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const liveConsumer = targetKafka.consumer({ groupId: group('live') });
  await liveConsumer.connect();
  await liveConsumer.subscribe({ topic: local });
  await liveConsumer.run({ eachMessage: async () => undefined });
  await waitFor(
    'a Stable target group',
    async () => (await describeGroup(c.target, group('live'))).state === 'Stable',
  );

  const made: CheckpointExtension[] = [];
  const factory = checkpointExtension({ groups: `.*-${id}`, intervalMs: 150, syncGroupOffsets: true });
  const run = async (until: () => Promise<boolean>, preAborted = false) => {
    const lines: string[] = [];
    const options = {
      source: c.source,
      target: c.target,
      sourceAlias: east,
      targetAlias: west,
      rename: 'prefix' as const,
      topics: `${orders}|${gap.topic}`,
      fetchWaitMs: 100,
      progressIntervalMs: 100,
      log: (line: string) => lines.push(line),
      extensions: [(view: MirrorView) => made[made.push(factory(view)) - 1]!],
    };
    // Stopped before it starts: one checkpoint tick on stop, nothing copied.
    if (preAborted) await runMirror({ ...options, signal: AbortSignal.abort() });
    else await mirrorUntil(options, 'the mirror', until, 60_000);
    return { lines, ext: made[made.length - 1]! };
  };
  const copied = (topic: string, partition: number, n: number) => async () =>
    (await recordCount(c.target, remote(topic), partition)) >= n;
  const copiedAll = async () =>
    (await copied(orders, 0, 10)()) &&
    (await copied(orders, 1, 10)()) &&
    copied(gap.topic, 0, gap.visible.length)();

  try {
    // Run 1: copy, checkpoint, sync the idle target groups.
    // Copied, and a tick saw every group's partitions caught up (a marker past the last record too).
    const caughtUp = async () => {
      const seen = made[made.length - 1]?.lastCheckpoints() ?? [];
      return seen.length === 10 && seen.every((s) => s.aheadBy === 0n) && copiedAll();
    };
    const first = await run(caughtUp);
    const cps = await readCheckpoints(c.target, east);
    const selected = Object.keys(commits).map(group);
    expect(new Set(cps.map((x) => x.group))).toEqual(new Set(selected));
    const targetOrders = [
      await readPartition(c.target, remote(orders), 0),
      await readPartition(c.target, remote(orders), 1),
    ];
    const sourceOrders = [await readPartition(c.source, orders, 0), await readPartition(c.source, orders, 1)];
    const targetGap = await readPartition(c.target, remote(gap.topic), 0);
    const expected: string[] = [];
    for (const [name, list] of Object.entries(commits)) {
      for (const [topic, partition, g] of list) {
        let down: bigint;
        if (topic === orders) {
          const dst = targetOrders[partition]!.records;
          const value = sourceOrders[partition]!.records.find((r) => r.offset === g)?.value;
          // A committed offset on a record → that record's copy; at the end → the target end.
          down = value === undefined ? BigInt(dst.length) : dst.find((r) => r.value === value)!.offset;
        } else {
          // The first visible record at or after g (a gap offset maps to the record after the gap).
          const k = gap.visible.findIndex((r) => r.offset >= g);
          down = k < 0 ? BigInt(targetGap.records.length) : targetGap.records[k]!.offset;
          if (k >= 0) expect(targetGap.records[k]!.value).toBe(gap.visible[k]!.value);
        }
        expected.push(`${group(name)}\t${remote(topic)}\t${partition}\t${down}`);
      }
    }
    expect(latest(cps, selected)).toEqual(expected.sort());
    for (const s of first.ext.lastCheckpoints()) expect(s.aheadBy).toBe(0n);
    // The gap commits both resume at the first record after the gap.
    expect(
      expected
        .filter((l) => l.includes(remote(gap.topic)) && /(inGap|afterGap)-/.test(l))
        .map((l) => l.split('\t')[3]),
    ).toEqual([
      String(gap.visible.findIndex((r) => r.offset >= gap.afterGap)),
      String(gap.visible.findIndex((r) => r.offset >= gap.afterGap)),
    ]);
    // Idle target groups carry the checkpoints; the Stable one was not touched (one log line says so).
    for (const name of Object.keys(commits).filter((n) => n !== 'live')) {
      const onTarget = (await fetchCommitted(c.target, group(name))).map(
        (o) => `${group(name)}\t${o.topic}\t${o.partition}\t${o.offset}`,
      );
      expect(onTarget.sort()).toEqual(expected.filter((l) => l.startsWith(`${group(name)}\t`)).sort());
    }
    expect(await fetchCommitted(c.target, group('live'))).toEqual([]);
    expect(
      first.lines.filter((l) => l.includes(`group ${group('live')}: not syncing`) && l.includes('Stable')),
    ).toHaveLength(1);
    expect(first.lines.some((l) => l.startsWith(`mirror: group ${group('mid')}: checkpointed`))).toBe(true);

    // Run 2 (stopped at once, so nothing more is copied): mid moved by one, a group ahead of the mirror.
    await commitOffsets(c.source, group('mid'), [{ topic: orders, partition: 0, offset: 6n }]);
    await producePartition(c.source, orders, 0, values(3, 'late'));
    await commitOffsets(c.source, group('ahead'), [{ topic: orders, partition: 0, offset: 13n }]);
    const countBefore = cps.length;
    const second = await run(async () => true, true);
    expect(second.ext.written).toBe(2);
    expect((await readCheckpoints(c.target, east)).length).toBe(countBefore + 2);
    const ahead = second.ext.lastCheckpoints().find((s) => s.group === group('ahead'));
    expect(ahead).toMatchObject({
      upstreamOffset: 13n,
      downstreamOffset: 10n,
      aheadBy: 3n,
      targetTopic: remote(orders),
    });

    // Run 3 copies the late records: only the ahead group's checkpoint changes.
    const third = await run(copied(orders, 0, 13));
    expect(third.ext.written).toBe(1);
    const after = latest(await readCheckpoints(c.target, east), [group('ahead'), group('mid')]);
    expect(after).toEqual([
      `${group('ahead')}\t${remote(orders)}\t0\t13`,
      `${group('mid')}\t${remote(orders)}\t0\t6`,
      `${group('mid')}\t${remote(orders)}\t1\t3`,
    ]);

    // Java's RemoteClusterUtils reads the same offsets from kt's checkpoints.
    if (c.kind === 'real') {
      const all = [...selected, group('ahead')];
      const java = await translateWithJava(c.targetBootstrap, east, all);
      if (java !== undefined) expect(java.sort()).toEqual(latest(await readCheckpoints(c.target, east), all));
    }

    // Failover: new records land on the target; consumers of the synced groups read exactly what follows.
    for (const [topic, partition] of [
      [orders, 0],
      [orders, 1],
      [gap.topic, 0],
    ] as const) {
      await producePartition(c.target, remote(topic), partition, [
        // Keyed: the gap topic is compacted on the embedded clusters (keys required).
        { key: Buffer.from('f'), value: Buffer.from('failover') },
        { key: Buffer.from('s'), value: Buffer.from('sentinel') },
      ]);
    }
    const visibleFrom = async (topic: string, partition: number, g: bigint) =>
      topic === orders
        ? (await readPartition(c.source, orders, partition)).records
            .filter((r) => r.offset >= g)
            .map((r) => r.value)
        : gap.visible.filter((r) => r.offset >= g).map((r) => r.value);
    const reads: Record<string, [string, number, bigint][]> = {
      mid: [
        [orders, 0, 6n],
        [orders, 1, 3n],
      ],
      end: [
        [orders, 0, 10n],
        [orders, 1, 10n],
        [gap.topic, 0, gapEnd],
      ], // caught up on orders-1 and gap
      ahead: [[orders, 0, 13n]], // caught up
      afterGap: [[gap.topic, 0, gap.afterGap]],
    };
    await Promise.all(
      Object.entries(reads).map(async ([name, list]) => {
        const got = await consumeUntilSentinel(
          targetKafka,
          group(name),
          list.map(([t, p]) => [remote(t), p] as const),
        );
        for (const [topic, partition, g] of list) {
          const want = [...(await visibleFrom(topic, partition, g)), 'failover', 'sentinel'];
          expect(got.get(`${remote(topic)}-${partition}`), `${name} ${topic}-${partition}`).toEqual(want);
        }
      }),
    );
  } finally {
    await liveConsumer.disconnect();
  }
}

describeMirrorPairs(
  'kt mirror checkpoints',
  (pair, kind) => {
    if (kind === 'real') {
      it(
        'checkpoints exactly, syncs idle target groups, leaves Stable ones, Java translateOffsets agrees',
        () => scenario(pair()),
        180_000,
      );
    } else {
      it(
        'checkpoints exactly, syncs idle target groups, leaves Stable ones, rewrites nothing unchanged',
        () => scenario(pair()),
        120_000,
      );
    }
  },
  // The embedded source compacts quickly: its gap topic is a compaction gap (no transactions there).
  { kinds: ['embedded', 'real'], compactingSource: true },
);
