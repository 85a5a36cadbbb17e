// kt mirror failover / failback between two clusters: embedded → embedded and real → real (two Apache
// Kafka instances from the harness; skipped without Java). A topic is mirrored (runMirror), source groups
// commit at several points (after a transaction gap on real Kafka, mid-way, at the very end, beyond what
// was mirrored), and failover must put each target group at the exact translation: a consumer resumes
// with nothing skipped and nothing read twice. The oracle is independent of the syncs: the mirror copies
// the source's data records in order, so source offset g resumes at the index (on the target) of the
// first source data record at or after g.
import kafkajs from 'kafkajs';
import { beforeAll, expect, it } from 'vitest';
import { checkpointExtension } from '../../src/mirror/checkpoints.js';
import type { FailoverResult } from '../../src/mirror/failover.js';
import { runFailover } from '../../src/mirror/failover.js';
import { checkpointsTopic, encodeCheckpointKey, encodeCheckpointValue } from '../../src/mirror/formats.js';
import { appendRecords, ensureCompactedTopic } from '../../src/mirror/internal-topics.js';
import { runMirror } from '../../src/mirror/run.js';
import {
  commitOffsets,
  describeGroup,
  fetchCommitted,
  listAllGroups,
} from '../../src/ops/groups/coordinator.js';
import { createTopics } from '../../src/ops/topics/create.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import { type KtResult, runKt } from '../cli/run-kt.js';
import {
  mirrorUntil,
  produceCompactionGaps,
  producePartition,
  produceTransactions,
  recordCount,
  values,
} from '../mirror/flows.js';
import { readPartition, type SimpleRecord, waitFor } from '../mirror/helpers.js';
import { connect, describeMirrorPairs, type MirrorPair, uniqueNames } from '../mirror/pairs.js';
import { runKafkaTool } from '../real-kafka/tools.js';
import { startEmbeddedBroker } from '../support/embedded.js';

type Env = MirrorPair;

interface Names {
  east: string;
  west: string;
  orders: string;
  fresh: string;
  group: (tag: string) => string;
}

function names(): Names {
  const { id, east, west, name } = uniqueNames();
  return { east, west, orders: name('orders'), fresh: name('fresh'), group: (tag) => `fo-${tag}-${id}` };
}

const PARTITIONS = 3;
const quiet = { logLevel: kafkajs.logLevel.NOTHING };

/** Mirrors `topics` from source to target (prefix renaming) until `until()` holds. */
async function mirror(
  source: ClusterClient,
  target: ClusterClient,
  sourceAlias: string,
  targetAlias: string,
  topics: string,
  until: () => Promise<boolean>,
): Promise<void> {
  const options = { source, target, sourceAlias, targetAlias, rename: 'prefix' as const, topics };
  await mirrorUntil(
    { ...options, refreshIntervalMs: 200, progressIntervalMs: 100, fetchWaitMs: 100 },
    'mirrored',
    until,
    60_000,
  );
}

/** The target offset a source group at `g` resumes at: the index of the first source record ≥ g. */
function expectedTarget(src: readonly SimpleRecord[], g: bigint): bigint {
  const i = src.findIndex((r) => r.offset >= g);
  return BigInt(i < 0 ? src.length : i);
}

function rows(result: FailoverResult, group: string) {
  return result.groups.find((g) => g.group === group)?.partitions ?? [];
}

function scenario(getEnv: () => Env) {
  const n = names();
  let env: Env;
  const src: SimpleRecord[][] = [];
  const dst: SimpleRecord[][] = [];
  /** Source end offsets when mirrored (markers included): the mirror's saved positions. */
  const srcEnd: bigint[] = [];
  const remote = () => `${n.east}.${n.orders}`;
  // Commit points per group and partition (source offsets), set once the source data exists.
  const commits = new Map<string, bigint[]>();
  const base = () => ({
    direction: 'failover' as const,
    source: env.source,
    target: env.target,
    sourceAlias: n.east,
    targetAlias: n.west,
    rename: 'prefix' as const,
    dryRun: false,
    allowRewind: false,
  });

  beforeAll(() => {
    env = getEnv();
  });

  it('mirrors a topic (with a transaction gap on real Kafka) and groups commit on the source', async () => {
    await createTopics(env.source, { names: [n.orders], partitions: PARTITIONS });
    // a,b,c at 0-2 (marker 3), x,y aborted at 4-5 (marker 6), d,e at 7-8 (marker 9).
    if (env.transactions) await produceTransactions(env.sourceBootstrap, n.orders);
    await producePartition(env.source, n.orders, 0, values(3, 'p0'), 'gzip');
    await producePartition(env.source, n.orders, 1, values(6, 'p1'));
    await producePartition(env.source, n.orders, 2, values(2, 'p2'), 'lz4');
    await producePartition(env.source, n.orders, 2, values(2, 'p2b'));
    // The oracle: the source's data records the mirror must copy (not aborted records nor markers,
    // which a read_uncommitted read of the source also returns).
    // The last transaction marker is written asynchronously after the commit returned (possibly after
    // the plain records): wait for all 13 offsets of partition 0 (10 records, 3 markers).
    if (env.transactions) {
      await waitFor(
        'the last marker',
        async () => (await readPartition(env.source, n.orders, 0)).records.length >= 13,
      );
    }
    const skipped = new Set(['x', 'y']);
    let all0: SimpleRecord[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const all = (await readPartition(env.source, n.orders, p)).records;
      srcEnd.push((all.at(-1)?.offset ?? -1n) + 1n);
      if (p === 0) all0 = all;
      src.push(all.filter((r) => r.value !== null && !skipped.has(r.value) && /^[a-e]$|^p\d/.test(r.value)));
    }
    await mirror(env.source, env.target, n.east, n.west, n.orders, async () => {
      for (let p = 0; p < PARTITIONS; p++) {
        if ((await recordCount(env.target, remote(), p)) < src[p]!.length) return false;
      }
      return true;
    });
    for (let p = 0; p < PARTITIONS; p++) dst.push((await readPartition(env.target, remote(), p)).records);
    expect(dst.map((d) => d.map((r) => r.value))).toEqual(src.map((s) => s.map((r) => r.value)));

    const end = (p: number) => srcEnd[p]!;
    const offsetOf = (value: string) => all0.find((r) => r.value === value)!.offset;
    // p0 on real Kafka: group a inside the aborted gap (record 'x'), group b on the first record after the
    // last transaction marker ('p0-0'; the marker is written asynchronously, so its offset is looked up).
    commits.set(n.group('a'), [env.transactions ? offsetOf('x') : 2n, end(1), 2n]);
    commits.set(n.group('b'), [env.transactions ? offsetOf('p0-0') : 1n, 0n, end(2)]);
    commits.set(n.group('c'), [end(0), 3n, 1n]);
    for (const [group, offsets] of commits) {
      await commitOffsets(
        env.source,
        group,
        offsets.map((offset, partition) => ({ topic: n.orders, partition, offset })),
      );
    }
  }, 180_000);

  it('refuses a group that is Stable on the target, committing nothing for any group', async () => {
    const kafka = new kafkajs.Kafka({ brokers: [env.targetBootstrap], ...quiet });
    const consumer = kafka.consumer({ groupId: n.group('c') });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: remote() });
      await consumer.run({ eachMessage: async () => {} });
      await waitFor(
        'a Stable group',
        async () => (await describeGroup(env.target, n.group('c'))).state === 'Stable',
        30_000,
      );
      const refused = runFailover({ ...base(), groups: [n.group('a'), n.group('c')] });
      await expect(refused).rejects.toThrow(/active member.*nothing was committed/);
      expect(await fetchCommitted(env.target, n.group('a'))).toEqual([]);
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);

  it('--dry-run plans the exact translation and commits nothing', async () => {
    const result = await runFailover({ ...base(), dryRun: true, groups: [n.group('a'), n.group('b')] });
    expect(result).toMatchObject({
      dryRun: true,
      executed: false,
      verified: null,
      translatedFrom: 'offset-syncs',
    });
    for (const group of [n.group('a'), n.group('b')]) {
      const plan = rows(result, group);
      expect(plan.map((r) => r.targetOffset)).toEqual(
        commits.get(group)!.map((g, p) => expectedTarget(src[p]!, g)),
      );
      expect(plan.every((r) => r.action === 'commit' && r.aheadBy === 0n && r.mirrorLag === 0n)).toBe(true);
      expect(await fetchCommitted(env.target, group)).toEqual([]);
    }
  }, 60_000);

  it('fails over: target offsets are the exact translations, read back, and a consumer resumes with nothing skipped or repeated', async () => {
    const groups = [n.group('a'), n.group('b')];
    const result = await runFailover({ ...base(), groups });
    expect(result).toMatchObject({ executed: true, verified: true, mismatches: [] });
    for (const group of groups) {
      const committed = await fetchCommitted(env.target, group);
      expect(committed.map((c) => [c.topic, c.partition, c.offset])).toEqual(
        commits.get(group)!.map((g, p) => [remote(), p, expectedTarget(src[p]!, g)]),
      );
    }
    // The consumer of group a on the target reads exactly the source records it had not consumed.
    const group = n.group('a');
    const want = commits.get(group)!.map((g, p) => src[p]!.filter((r) => r.offset >= g).map((r) => r.value));
    const got: (string | null)[][] = Array.from({ length: PARTITIONS }, () => []);
    const kafka = new kafkajs.Kafka({ brokers: [env.targetBootstrap], ...quiet });
    const consumer = kafka.consumer({ groupId: group });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: remote(), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          got[partition]!.push(message.value === null ? null : message.value.toString());
        },
      });
      const total = want.flat().length;
      await waitFor('the group caught up', async () => got.flat().length >= total, 30_000);
      // Caught up: the committed position is the target end on every partition.
      await waitFor('the final commit', async () => {
        const c = await fetchCommitted(env.target, group);
        return c.every((x) => x.offset === BigInt(dst[x.partition]!.length)) && c.length === PARTITIONS;
      });
    } finally {
      await consumer.disconnect();
    }
    expect(got).toEqual(want);
  }, 90_000);

  it('never moves a group backwards unless allowed, and reports what a group consumed beyond the mirror', async () => {
    // Records the mirror has not copied; group c consumed one of them on the source.
    await producePartition(env.source, n.orders, 1, values(3, 'late'));
    const late = (src[1]!.at(-1)?.offset ?? -1n) + 1n;
    await commitOffsets(env.source, n.group('c'), [{ topic: n.orders, partition: 1, offset: late + 1n }]);
    // The target group is already further on partition 2.
    await commitOffsets(env.target, n.group('c'), [
      { topic: remote(), partition: 2, offset: BigInt(dst[2]!.length) },
    ]);
    const result = await runFailover({ ...base(), groups: [n.group('c')] });
    expect(result).toMatchObject({ executed: true, verified: true });
    const [p0, p1, p2] = rows(result, n.group('c'));
    // (commit or unchanged: the consumer of the refusal test may have committed the end already)
    expect(p0).toMatchObject({ targetOffset: BigInt(dst[0]!.length), aheadBy: 0n });
    expect(p1).toMatchObject({ targetOffset: BigInt(dst[1]!.length), aheadBy: 1n, mirrorLag: 3n });
    expect(['commit', 'unchanged']).toContain(p1!.action);
    expect(p2).toMatchObject({ action: 'skip-rewind', targetOffset: expectedTarget(src[2]!, 1n) });
    expect(result.warnings.join('\n')).toContain('--allow-rewind');
    expect(result.warnings.join('\n')).toContain(
      'the mirror has not copied 3 source records of 1 partition(s)',
    );
    const committed = await fetchCommitted(env.target, n.group('c'));
    expect(committed.find((c) => c.partition === 2)?.offset).toBe(BigInt(dst[2]!.length));
    const rewound = await runFailover({ ...base(), groups: [n.group('c')], allowRewind: true });
    expect(rows(rewound, n.group('c'))[2]).toMatchObject({
      action: 'commit',
      targetOffset: expectedTarget(src[2]!, 1n),
    });
    expect(rewound.verified).toBe(true);
  }, 60_000);

  it('source unreachable: uses the latest checkpoints on the target and reports the at-risk window', async () => {
    const group = n.group('d');
    const topic = checkpointsTopic(n.east);
    await ensureCompactedTopic(env.target, topic);
    const checkpoint = (p: number, up: bigint, down: bigint) => ({
      key: encodeCheckpointKey(group, remote(), p),
      value: encodeCheckpointValue(up, down),
    });
    // An older checkpoint of partition 0, then the newer one that wins; other groups are ignored.
    await appendRecords(env.target, topic, [
      checkpoint(0, 1n, 1n),
      checkpoint(1, 2n, 2n),
      { key: encodeCheckpointKey('someone-else', remote(), 0), value: encodeCheckpointValue(0n, 0n) },
      { key: Buffer.from('not a checkpoint'), value: Buffer.from('x') },
    ]);
    await appendRecords(env.target, topic, [checkpoint(0, 2n, expectedTarget(src[0]!, 2n))]);
    const result = await runFailover({ ...base(), source: null, sourceError: 'test: down', groups: [group] });
    expect(result).toMatchObject({
      translatedFrom: 'checkpoints',
      source: { reachable: false, error: 'test: down' },
      executed: true,
      verified: true,
    });
    const plan = rows(result, group);
    expect(plan.map((r) => [r.sourceTopic, r.partition, r.sourceOffset, r.targetOffset])).toEqual([
      [n.orders, 0, 2n, expectedTarget(src[0]!, 2n)],
      [n.orders, 1, 2n, 2n],
    ]);
    // The RPO window: the mirror's last saved position (source records after it are unknown) and ages.
    const position = (p: number) => srcEnd[p]!;
    expect(plan[0]).toMatchObject({ mirrorPosition: position(0), sourceEnd: null, mirrorLag: null });
    expect(plan[1]!.mirrorPosition).toBe(position(1));
    expect(plan.every((r) => r.checkpointAgeMs !== null && r.checkpointAgeMs >= 0)).toBe(true);
    expect(plan.every((r) => r.mirrorPositionAgeMs !== null && r.mirrorPositionAgeMs >= 0)).toBe(true);
    expect(result.warnings.join('\n')).toContain('1 unreadable records');
    expect((await fetchCommitted(env.target, group)).map((c) => c.offset)).toEqual([
      expectedTarget(src[0]!, 2n),
      2n,
    ]);
  }, 60_000);

  it('fails back: the copies go back to the original topic, new topics through the reverse flow', async () => {
    const group = n.group('a');
    // While on the target, the group read on: it is at d on every partition of the copy.
    const at = [dst[0]!.length, dst[1]!.length, dst[2]!.length - 1].map(BigInt);
    await commitOffsets(
      env.target,
      group,
      at.map((offset, partition) => ({ topic: remote(), partition, offset })),
    );
    // Produced on the target during the outage, brought back by a reverse flow west → east.
    await createTopics(env.target, { names: [n.fresh], partitions: 1 });
    await producePartition(env.target, n.fresh, 0, values(5, 'fresh'));
    await mirror(
      env.target,
      env.source,
      n.west,
      n.east,
      n.fresh,
      async () => (await recordCount(env.source, `${n.west}.${n.fresh}`, 0)) >= 5,
    );
    await commitOffsets(env.target, group, [{ topic: n.fresh, partition: 0, offset: 3n }]);
    // The original group on the source is at its old offsets (below the failback translation).
    const result = await runFailover({
      ...base(),
      direction: 'failback',
      source: env.target,
      target: env.source,
      sourceAlias: n.west,
      targetAlias: n.east,
      groups: [group],
    });
    expect(result).toMatchObject({ direction: 'failback', executed: true, verified: true });
    // Target offset d of the copy goes back to the source offset of the record at d (its position at the end).
    const back = (p: number, d: bigint) =>
      d < BigInt(src[p]!.length) ? src[p]![Number(d)]!.offset : srcEnd[p]!;
    const committed = await fetchCommitted(env.source, group);
    const byKey = new Map(committed.map((c) => [`${c.topic}:${c.partition}`, c.offset]));
    for (let p = 0; p < PARTITIONS; p++) {
      const want = back(p, at[p]!);
      const current = commits.get(group)![p]!;
      // Never backwards: the source group keeps its own offset where it was already further.
      expect(byKey.get(`${n.orders}:${p}`), `partition ${p}`).toBe(want > current ? want : current);
    }
    expect(byKey.get(`${n.west}.${n.fresh}:0`)).toBe(3n);
    const plan = rows(result, group);
    expect(plan.find((r) => r.sourceTopic === n.fresh)).toMatchObject({
      targetTopic: `${n.west}.${n.fresh}`,
    });
    expect(plan.filter((r) => r.sourceTopic === remote()).every((r) => r.targetTopic === n.orders)).toBe(
      true,
    );
  }, 90_000);

  it('source unreachable after the mirror emitted checkpoints: failover lands on their exact translations', async () => {
    const group = n.group('e');
    // Mid-way points, inside the range mirrored at the start (the late records get copied now too).
    const points = [src[0]![1]!.offset, src[1]![2]!.offset, src[2]![3]!.offset];
    await commitOffsets(
      env.source,
      group,
      points.map((offset, partition) => ({ topic: n.orders, partition, offset })),
    );
    const controller = new AbortController();
    const run = runMirror({
      source: env.source,
      target: env.target,
      sourceAlias: n.east,
      targetAlias: n.west,
      rename: 'prefix',
      topics: n.orders,
      signal: controller.signal,
      fetchWaitMs: 100,
      progressIntervalMs: 100,
      extensions: [checkpointExtension({ groups: group, intervalMs: 100, syncGroupOffsets: false })],
    });
    let failure: unknown;
    run.catch((error: unknown) => {
      failure = error;
    });
    // The source "goes down": only what the emitter wrote on the target is used.
    const plan = () => runFailover({ ...base(), source: null, dryRun: true, groups: [group] });
    await waitFor('checkpoints of every partition', async () => {
      if (failure) throw failure;
      return (await plan().catch(() => undefined))?.groups[0]?.partitions.length === PARTITIONS;
    });
    controller.abort();
    await run;
    const result = await runFailover({ ...base(), source: null, groups: [group] });
    expect(result).toMatchObject({ translatedFrom: 'checkpoints', executed: true, verified: true });
    expect(rows(result, group).map((r) => [r.sourceOffset, r.targetOffset])).toEqual(
      points.map((g, p) => [g, expectedTarget(src[p]!, g)]),
    );
    const committed = await fetchCommitted(env.target, group);
    expect(committed.map((c) => c.offset)).toEqual(points.map((g, p) => expectedTarget(src[p]!, g)));
  }, 90_000);
}

describeMirrorPairs(
  'kt mirror failover',
  (pair, kind) => {
    scenario(pair);
    if (kind === 'real') kip848Test(pair);
  },
  { kinds: ['embedded', 'real'] },
);

describeMirrorPairs(
  'kt mirror failover, compacted source',
  (pair) => {
    it('translates commits inside and right after compaction gaps exactly', async () => {
      const { source, target } = pair();
      const n = names();
      const src = await produceCompactionGaps(source, n.orders, { codec: (i) => (i % 2 ? 'gzip' : 'none') });
      const copy = `${n.east}.${n.orders}`;
      await mirror(
        source,
        target,
        n.east,
        n.west,
        n.orders,
        async () => (await recordCount(target, copy, 0)) >= src.length,
      );
      const dst = (await readPartition(target, copy, 0)).records;
      expect(dst.map((r) => r.value)).toEqual(src.map((r) => r.value));
      const gap = src.findIndex((r, i) => i > 0 && r.offset !== src[i - 1]!.offset + 1n);
      const points = {
        inside: src[gap - 1]!.offset + 1n,
        after: src[gap]!.offset,
        end: src.at(-1)!.offset + 1n,
        start: 0n,
      };
      for (const [tag, offset] of Object.entries(points)) {
        await commitOffsets(source, n.group(tag), [{ topic: n.orders, partition: 0, offset }]);
      }
      const groups = Object.keys(points).map((tag) => n.group(tag));
      const result = await runFailover({
        direction: 'failover',
        source,
        target,
        sourceAlias: n.east,
        targetAlias: n.west,
        rename: 'prefix',
        groups,
        dryRun: false,
        allowRewind: false,
      });
      expect(result).toMatchObject({ executed: true, verified: true });
      for (const [tag, offset] of Object.entries(points)) {
        const committed = await fetchCommitted(target, n.group(tag));
        expect(
          committed.map((c) => c.offset),
          tag,
        ).toEqual([expectedTarget(src, offset)]);
      }
      // Inside a gap and right after it resume at the same record: the first one after the gap.
      expect(expectedTarget(src, points.inside)).toBe(expectedTarget(src, points.after));
    }, 60_000);
  },
  { kinds: ['embedded'], compactingSource: true },
);

function kip848Test(pair: () => MirrorPair) {
  it('refuses a KIP-848 consumer group (DescribeGroups calls it "not a classic group") that is active on the target', async () => {
    const env = pair();
    const n = names();
    const group = n.group('kip848');
    await createTopics(env.target, { names: [n.fresh], partitions: 1 });
    await createTopics(env.source, { names: [n.orders], partitions: 1 });
    await commitOffsets(env.source, group, [{ topic: n.orders, partition: 0, offset: 0n }]);
    // A Java consumer with the new group protocol; it exits after the one record produced below.
    const consumer = runKafkaTool('ConsoleConsumer', [
      '--bootstrap-server',
      env.targetBootstrap,
      '--topic',
      n.fresh,
      '--group',
      group,
      '--consumer-property',
      'group.protocol=consumer',
      // An empty topic read from the start: the record produced below arrives whenever it joined.
      '--from-beginning',
      '--max-messages',
      '1',
      '--timeout-ms',
      '60000',
    ]);
    try {
      await waitFor(
        'a Stable consumer group',
        async () => {
          // A fresh broker answers COORDINATOR_LOAD_IN_PROGRESS for a while: ask again.
          const listed = await listAllGroups(env.target, []).catch(() => []);
          return listed.find((g) => g.group === group)?.state === 'Stable';
        },
        60_000,
      );
      const refused = runFailover({
        direction: 'failover',
        source: env.source,
        target: env.target,
        sourceAlias: n.east,
        targetAlias: n.west,
        rename: 'prefix',
        groups: [group],
        dryRun: false,
        allowRewind: false,
      });
      await expect(refused).rejects.toThrow(
        /active members \(a consumer group\).*state Stable.*nothing was committed/,
      );
    } finally {
      await producePartition(env.target, n.fresh, 0, values(1, 'wake'));
      const result = await consumer;
      expect(result.code, result.stderr).toBe(0);
    }
  }, 120_000);
}

// ------------------------------------------------------------------------------------ the CLI process

/** Runs `kt mirror failover|failback` as a process (the built binary; npm test builds first). */
function kt(command: 'failover' | 'failback', args: string[]): Promise<KtResult> {
  return runKt(['mirror', command, ...args], { timeoutMs: 60_000 });
}

describeMirrorPairs(
  'kt mirror failover (process)',
  (pair) => {
    const n = names();
    let env: Env;
    beforeAll(() => {
      env = pair();
    });

    it('exit codes and the JSON shape: dry run, confirmation required, --yes, source unreachable', async () => {
      await createTopics(env.source, { names: [n.orders], partitions: 1 });
      await producePartition(env.source, n.orders, 0, values(3, 'cli'));
      await mirror(
        env.source,
        env.target,
        n.east,
        n.west,
        n.orders,
        async () => (await recordCount(env.target, `${n.east}.${n.orders}`, 0)) >= 3,
      );
      const group = n.group('cli');
      await commitOffsets(env.source, group, [{ topic: n.orders, partition: 0, offset: 1n }]);
      const flags = [
        '--group',
        group,
        '--source',
        env.sourceBootstrap,
        '--target',
        env.targetBootstrap,
        '--source-alias',
        n.east,
        '--target-alias',
        n.west,
        '-o',
        'json',
      ];

      const dry = await kt('failover', [...flags, '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      const plan = JSON.parse(dry.stdout) as Record<string, unknown> & {
        groups: { partitions: Record<string, unknown>[] }[];
      };
      expect(Object.keys(plan)).toEqual([
        'direction',
        'source',
        'target',
        'translatedFrom',
        'dryRun',
        'executed',
        'verified',
        'groups',
        'mismatches',
        'warnings',
      ]);
      expect(Object.keys(plan.groups[0]!.partitions[0]!).sort()).toEqual(
        [
          'sourceTopic',
          'targetTopic',
          'partition',
          'sourceOffset',
          'targetOffset',
          'currentTargetOffset',
          'mirrorPosition',
          'mirrorPositionAgeMs',
          'sourceEnd',
          'mirrorLag',
          'aheadBy',
          'checkpointAgeMs',
          'action',
          'note',
        ].sort(),
      );
      expect(plan).toMatchObject({ dryRun: true, executed: false, translatedFrom: 'offset-syncs' });
      expect(plan.groups[0]!.partitions[0]).toMatchObject({
        targetOffset: 1,
        mirrorLag: 0,
        action: 'commit',
      });

      // Not a terminal and no --yes: nothing is committed, one error line, exit 1.
      const unconfirmed = await kt('failover', flags);
      expect(unconfirmed.code).toBe(1);
      expect(unconfirmed.stderr).toContain('--yes');
      expect(await fetchCommitted(env.target, group)).toEqual([]);

      const done = await kt('failover', [...flags, '--yes']);
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ executed: true, verified: true });
      expect((await fetchCommitted(env.target, group)).map((c) => c.offset)).toEqual([1n]);

      // Source unreachable and no checkpoints yet: a clear error, exit 1.
      const downFlags = [
        ...flags.slice(0, 2),
        '--source',
        '127.0.0.1:1',
        '--source-timeout-ms',
        '500',
        ...flags.slice(4),
        '--dry-run',
      ];
      const down = await kt('failover', downFlags);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/unreachable.*checkpoints/);
      // With a checkpoint on the target the same command plans from it and shows the RPO window.
      const topic = checkpointsTopic(n.east);
      await ensureCompactedTopic(env.target, topic);
      await appendRecords(env.target, topic, [
        { key: encodeCheckpointKey(group, `${n.east}.${n.orders}`, 0), value: encodeCheckpointValue(2n, 2n) },
      ]);
      const fallback = await kt('failover', downFlags);
      expect(fallback.code, fallback.stderr).toBe(0);
      expect(JSON.parse(fallback.stdout)).toMatchObject({
        translatedFrom: 'checkpoints',
        source: { reachable: false },
        groups: [{ partitions: [{ sourceOffset: 2, targetOffset: 2, mirrorPosition: 3, action: 'commit' }] }],
      });

      // Failback with the roles reversed, in text form: the plan table.
      const back = await kt('failback', [
        '--group',
        group,
        '--from',
        env.targetBootstrap,
        '--to',
        env.sourceBootstrap,
        '--from-alias',
        n.west,
        '--to-alias',
        n.east,
        '--dry-run',
      ]);
      expect(back.code, back.stderr).toBe(0);
      expect(back.stdout).toMatch(
        new RegExp(`${group}\\s+${n.east}\\.${n.orders}\\s+0\\s+1\\s+${n.orders}\\s+1\\s`),
      );
      expect(back.stdout).toContain('Dry run: nothing was committed.');
    }, 120_000);

    it('a source that answered at first but stops answering while planning: falls back to the checkpoints', async () => {
      const gone = await startEmbeddedBroker();
      const source = await connect(gone.bootstrap);
      await gone.close();
      try {
        // The checkpoints of the previous test (group cli on the same aliases) are on the target.
        const result = await runFailover({
          direction: 'failover',
          source,
          target: env.target,
          sourceAlias: n.east,
          targetAlias: n.west,
          rename: 'prefix',
          groups: [n.group('cli')],
          dryRun: true,
          allowRewind: false,
        });
        expect(result).toMatchObject({ translatedFrom: 'checkpoints', source: { reachable: false } });
        expect(result.source.error).toMatch(/connect/);
        expect(result.warnings.join('\n')).toContain('stopped answering while planning');
        expect(rows(result, n.group('cli')).map((r) => r.targetOffset)).toEqual([2n]);
      } finally {
        await source.close();
      }
    }, 60_000);
  },
  { kinds: ['embedded'] },
);
