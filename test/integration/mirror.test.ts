// kt mirror run between two clusters: embedded → embedded (two startBroker instances), real → real (two
// Apache Kafka instances from the harness; skipped without Java) and embedded → real. The same scenario
// runs on each; real Kafka adds a transactional source, a compacting embedded broker a compacted one.
import { expect, it } from 'vitest';
import { type MirrorSummary, runMirror } from '../../src/mirror/run.js';
import { mirroredConfigs } from '../../src/mirror/topics.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import {
  mirrorUntil,
  produceCompactionGaps,
  producePartition,
  produceTransactions,
  recordCount,
  records,
} from '../mirror/flows.js';
import { readOffsetSyncs, readPartition, translate, waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs, type MirrorPair, uniqueNames } from '../mirror/pairs.js';

/** A pair with the names of one scenario (unique per run, so a reused real cluster starts clean). */
interface Flow extends MirrorPair {
  east: string;
  west: string;
  orders: string;
  payments: string;
}

function flow(pair: MirrorPair): Flow {
  const { east, west, name } = uniqueNames();
  return { ...pair, east, west, orders: name('orders'), payments: name('payments') };
}

/** A failure of a running mirror, surfaced by the next wait instead of as an unhandled rejection. */
let runFailure: unknown;

function start(c: Flow, signal: AbortSignal, lines: string[]): Promise<MirrorSummary> {
  const run = runMirror({
    source: c.source,
    target: c.target,
    sourceAlias: c.east,
    targetAlias: c.west,
    rename: 'prefix',
    topics: `${c.orders}|${c.payments}`,
    signal,
    refreshIntervalMs: 200,
    progressIntervalMs: 100,
    statsIntervalMs: 200,
    fetchWaitMs: 100,
    log: (line) => lines.push(line),
  });
  run.catch((error: unknown) => {
    runFailure = error;
  });
  return run;
}

async function expectMirrored(c: Flow, topic: string, partitions: number): Promise<void> {
  for (let p = 0; p < partitions; p++) {
    const src = await readPartition(c.source, topic, p);
    const remote = `${c.east}.${topic}`;
    await waitFor(
      `${remote}-${p}`,
      async () => {
        if (runFailure) throw runFailure;
        return (await recordCount(c.target, remote, p)) >= src.records.length;
      },
      30_000,
    );
    const dst = await readPartition(c.target, remote, p);
    const strip = (r: (typeof src.records)[number]) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
    });
    expect(dst.records.map(strip)).toEqual(src.records.map(strip));
    // Compressed source batches arrive compressed with the same codec (batch boundaries are kept).
    expect(dst.codecs).toEqual(src.codecs);
  }
}

async function scenario(pair: MirrorPair): Promise<void> {
  const c = flow(pair);
  const { source, target, orders, payments, east } = c;
  const ignored = `${orders}-ignored`;
  await createTopics(source, {
    names: [orders],
    partitions: 3,
    configs: { 'retention.ms': '86400000', 'min.insync.replicas': '1' },
  });
  await createTopics(source, { names: [ignored], partitions: 1 });
  await producePartition(source, orders, 0, records(5, 'gz'), 'gzip');
  await producePartition(source, orders, 0, records(3, 'plain'));
  await producePartition(source, orders, 1, records(4, 'lz4'), 'lz4');
  await producePartition(source, orders, 2, records(2, 'zstd'), 'zstd');
  await producePartition(source, ignored, 0, records(1, 'x'));

  const lines: string[] = [];
  const first = new AbortController();
  const running = start(c, first.signal, lines);
  await expectMirrored(c, orders, 3);
  const targetTopics = (await fetchTopicMetadata(target, null)).topics.map((t) => t.name);
  expect(targetTopics).toContain(`${east}.${orders}`);
  expect(targetTopics).not.toContain(`${east}.${ignored}`);
  // Topic configs follow, minus the exclusion list.
  const configs = await mirroredConfigs(target, `${east}.${orders}`);
  expect(configs['retention.ms']).toBe('86400000');
  expect(configs['min.insync.replicas']).toBeUndefined();

  // A new topic and a partition increase on the source are picked up by the refresh.
  await createTopics(source, { names: [payments], partitions: 2 });
  await producePartition(source, payments, 1, records(3, 'pay'), 'snappy');
  await source.send('controller', 37, {
    topics: [{ name: orders, count: 4, assignments: null }],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  await waitFor(
    '4 source partitions',
    async () =>
      (await fetchTopicMetadata(source, [orders])).topics[0]?.partitions.every((p) => p.leader >= 0) ===
        true && (await fetchTopicMetadata(source, [orders])).topics[0]?.partitions.length === 4,
  );
  await producePartition(source, orders, 3, records(2, 'new-partition'));
  await expectMirrored(c, payments, 2);
  await expectMirrored(c, orders, 4);
  first.abort();
  const summary = await running;
  expect(summary.records).toBe(5 + 3 + 4 + 2 + 3 + 2);
  expect(summary.batches.rebuilt).toBe(0);
  expect(summary.topicsCreated).toEqual([`${east}.${orders}`, `${east}.${payments}`]);
  expect(lines.some((l) => /records\/s/.test(l))).toBe(true);

  // Restart: records produced while stopped arrive once; nothing is copied twice after a clean stop.
  await producePartition(source, orders, 0, records(4, 'after-restart'), 'gzip');
  await producePartition(source, payments, 0, records(2, 'after-restart'));
  const second = new AbortController();
  const again = start(c, second.signal, []);
  await expectMirrored(c, orders, 4);
  await expectMirrored(c, payments, 2);
  second.abort();
  const summary2 = await again;
  expect(summary2.records).toBe(6);
  expect(summary2.topicsCreated).toEqual([]);

  // Offset syncs: MM2 format on the source; every source record translates to its copy on the target.
  const syncs = await readOffsetSyncs(source, c.west);
  for (const [topic, partitions] of [
    [orders, 4],
    [payments, 2],
  ] as const) {
    for (let p = 0; p < partitions; p++) {
      const src = await readPartition(source, topic, p);
      const dst = await readPartition(target, `${east}.${topic}`, p);
      const byOffset = new Map(dst.records.map((r) => [r.offset, r.value]));
      for (const r of src.records) {
        const down = translate(syncs, topic, p, r.offset);
        expect(down, `${topic}-${p}@${r.offset}`).toBeDefined();
        expect(byOffset.get(down!)).toBe(r.value);
      }
    }
  }
  // The restart wrote a fresh sync for orders-0 at the first offset it copied (upstream 8).
  expect(
    syncs
      .filter((s) => s.topic === orders && s.partition === 0)
      .map((s) => [s.upstreamOffset, s.downstreamOffset]),
  ).toEqual([
    [0n, 0n],
    [8n, 8n],
  ]);
}

/** Mirrors one topic (prefix renaming) until `until()` holds; the summary of the stopped run. */
function mirrorTopic(c: Flow, topic: string, what: string, until: () => Promise<boolean>, timeoutMs: number) {
  const flowOptions = { source: c.source, target: c.target, sourceAlias: c.east, targetAlias: c.west };
  return mirrorUntil(
    { ...flowOptions, rename: 'prefix', topics: topic, fetchWaitMs: 100, progressIntervalMs: 100 },
    what,
    until,
    timeoutMs,
  );
}

const SCENARIO =
  'copies byte for byte, follows new topics and partitions, resumes after a restart, writes exact offset syncs';

describeMirrorPairs(
  'kt mirror run',
  (pair, kind) => {
    if (kind === 'embedded-to-real') {
      it(
        'copies byte for byte from the embedded broker into Apache Kafka, follows new topics and partitions, resumes, exact syncs',
        () => scenario(pair()),
        120_000,
      );
    } else {
      it(SCENARIO, () => scenario(pair()), kind === 'real' ? 120_000 : 90_000);
    }
    if (kind === 'real') transactionalTest(pair);
  },
  { kinds: ['embedded', 'real', 'embedded-to-real'] },
);

function transactionalTest(pair: () => MirrorPair) {
  it('skips transaction markers and aborted records, with an offset sync after every gap', async () => {
    const c = flow(pair());
    const topic = `tx-${c.orders}`;
    await createTopics(c.source, { names: [topic], partitions: 1 });
    await produceTransactions(c.sourceBootstrap, topic);
    const summary = await mirrorTopic(
      c,
      topic,
      'transactional copy',
      async () => (await recordCount(c.target, `${c.east}.${topic}`, 0)) >= 5,
      30_000,
    );
    expect(summary.batches.skippedAborted).toBe(1);
    expect(summary.batches.skippedControl).toBe(3);
    expect(summary.batches.crcRewritten).toBe(2);
    const dst = await readPartition(c.target, `${c.east}.${topic}`, 0);
    expect(dst.records.map((r) => [r.offset, r.value])).toEqual([
      [0n, 'a'],
      [1n, 'b'],
      [2n, 'c'],
      [3n, 'd'],
      [4n, 'e'],
    ]);
    const syncs = (await readOffsetSyncs(c.source, c.west)).filter((x) => x.topic === topic);
    // A sync at the start, after the aborted gap and, where a fetch ended on skipped offsets, one saying
    // where the next record goes — so every committed offset translates exactly, including the ones on
    // markers and aborted records (→ the next committed record) and the end (→ the target end).
    expect(syncs[0]).toMatchObject({ upstreamOffset: 0n, downstreamOffset: 0n });
    expect(syncs.length).toBeLessThanOrEqual(4);
    const want = [0n, 1n, 2n, 3n, 3n, 3n, 3n, 3n, 4n, 5n, 5n];
    expect(want.map((_, g) => translate(syncs, topic, 0, BigInt(g)))).toEqual(want);
  }, 60_000);
}

describeMirrorPairs(
  'kt mirror run, compacted source',
  (pair) => {
    it('rebuilds batches with compaction gaps (codec kept), and the offset syncs still translate every record exactly', async () => {
      const c = flow(pair());
      const topic = c.orders;
      await produceCompactionGaps(c.source, topic, { codec: (i) => (i % 2 ? 'gzip' : 'none') });
      const src = await readPartition(c.source, topic, 0);
      const remote = `${c.east}.${topic}`;
      const summary = await mirrorTopic(
        c,
        topic,
        'compacted copy',
        async () => (await recordCount(c.target, remote, 0)) >= src.records.length,
        20_000,
      );
      expect(summary.batches.rebuilt).toBeGreaterThan(0);
      const dst = await readPartition(c.target, remote, 0);
      expect(dst.records.map((r) => [r.key, r.value])).toEqual(src.records.map((r) => [r.key, r.value]));
      // Rebuilt batches keep their codec (gzip batches stay gzip).
      expect(dst.codecs.filter((x) => x === 1).length).toBeGreaterThan(0);
      const syncs = await readOffsetSyncs(c.source, c.west);
      const byOffset = new Map(dst.records.map((r) => [r.offset, r.value]));
      for (const r of src.records) expect(byOffset.get(translate(syncs, topic, 0, r.offset)!)).toBe(r.value);
    }, 60_000);
  },
  { kinds: ['embedded'], compactingSource: true },
);
