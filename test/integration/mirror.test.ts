// kt mirror run between two clusters: embedded → embedded (two startBroker instances) and real → real
// (two Apache Kafka instances from the harness; skipped without Java). The same scenario runs on both.
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MirrorSummary, runMirror } from '../../src/mirror/run.js';
import { mirroredConfigs } from '../../src/mirror/topics.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import type { RecordInput } from '../../src/protocol/record-batch.js';
import { producePartition, readOffsetSyncs, readPartition, translate, waitFor } from '../mirror/helpers.js';
import { acquireKafka, realKafkaUnavailableReason, releaseKafka } from '../real-kafka/harness.js';
import { startEmbeddedBroker } from '../support/embedded.js';

interface Clusters {
  source: ClusterClient;
  target: ClusterClient;
  /** Unique per run, so a reused real cluster starts clean: aliases and topic names. */
  east: string;
  west: string;
  orders: string;
  payments: string;
  sourceBootstrap?: string;
}

let seq = 0;
function records(n: number, tag: string): RecordInput[] {
  return Array.from({ length: n }, () => {
    const i = seq++;
    return {
      key: i % 5 === 0 ? null : Buffer.from(`key-${i}`),
      value: Buffer.from(`${tag}-value-${i}`),
      headers: [
        { key: 'seq', value: Buffer.from(String(i)) },
        { key: 'nil', value: null },
      ],
      // Recent, so no retention pass removes them mid-test; distinct per record.
      timestamp: BigInt(Date.now()) - 60_000n + BigInt(i),
    };
  });
}

/** A failure of a running mirror, surfaced by the next wait instead of as an unhandled rejection. */
let runFailure: unknown;

function start(c: Clusters, signal: AbortSignal, lines: string[]): Promise<MirrorSummary> {
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

async function expectMirrored(c: Clusters, topic: string, partitions: number): Promise<void> {
  for (let p = 0; p < partitions; p++) {
    const src = await readPartition(c.source, topic, p);
    const remote = `${c.east}.${topic}`;
    await waitFor(
      `${remote}-${p}`,
      async () => {
        if (runFailure) throw runFailure;
        const { topics } = await fetchTopicMetadata(c.target, [remote]);
        if ((topics[0]?.partitions.length ?? 0) <= p) return false;
        return (await readPartition(c.target, remote, p)).records.length >= src.records.length;
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

async function scenario(c: Clusters): Promise<void> {
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

function names(): Omit<Clusters, 'source' | 'target'> {
  const id = randomBytes(3).toString('hex');
  return { east: `east${id}`, west: `west${id}`, orders: `orders-${id}`, payments: `payments-${id}` };
}

async function connect(bootstrap: string): Promise<ClusterClient> {
  const client = new ClusterClient({ bootstrapServers: [bootstrap] });
  await client.connect();
  return client;
}

describe('kt mirror run [embedded → embedded]', () => {
  const closers: (() => Promise<void>)[] = [];
  let c: Clusters;
  beforeAll(async () => {
    const [s, t] = [await startEmbeddedBroker(), await startEmbeddedBroker()];
    closers.push(s.close, t.close);
    c = { source: await connect(s.bootstrap), target: await connect(t.bootstrap), ...names() };
    closers.unshift(
      () => c.source.close(),
      () => c.target.close(),
    );
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });
  it(
    'copies byte for byte, follows new topics and partitions, resumes after a restart, writes exact offset syncs',
    () => scenario(c),
    90_000,
  );
});

const realSkip = await realKafkaUnavailableReason();

describe.skipIf(realSkip !== undefined)(`kt mirror run [real → real] ${realSkip ?? ''}`, () => {
  const clusters = ['mirror-source', 'mirror-target'];
  let c: Clusters;
  beforeAll(async () => {
    const [s, t] = await Promise.all(
      clusters.map((name) => acquireKafka(name, { holder: process.pid, startTimeoutMs: 150_000 })),
    );
    c = {
      source: await connect(s!.bootstrap),
      target: await connect(t!.bootstrap),
      sourceBootstrap: s!.bootstrap,
      ...names(),
    };
  }, 240_000);
  afterAll(async () => {
    await c?.source.close();
    await c?.target.close();
    await Promise.all(clusters.map((name) => releaseKafka(name, { holder: process.pid })));
  }, 60_000);
  it(
    'copies byte for byte, follows new topics and partitions, resumes after a restart, writes exact offset syncs',
    () => scenario(c),
    120_000,
  );

  it('skips transaction markers and aborted records, with an offset sync after every gap', async () => {
    const topic = `tx-${randomBytes(3).toString('hex')}`;
    await createTopics(c.source, { names: [topic], partitions: 1 });
    const kafka = new kafkajs.Kafka({
      brokers: [c.sourceBootstrap ?? ''],
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const producer = kafka.producer({
      transactionalId: `tx-${topic}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const send = async (values: string[], commit: boolean) => {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: values.map((value) => ({ value, partition: 0 })) });
      await (commit ? tx.commit() : tx.abort());
    };
    await send(['a', 'b', 'c'], true); // offsets 0-2, marker 3
    await send(['x', 'y'], false); // 4-5 aborted, marker 6
    await send(['d', 'e'], true); // 7-8, marker 9
    await producer.disconnect();
    const controller = new AbortController();
    const run = runMirror({
      source: c.source,
      target: c.target,
      sourceAlias: c.east,
      targetAlias: c.west,
      rename: 'prefix',
      topics: topic,
      signal: controller.signal,
      fetchWaitMs: 100,
      progressIntervalMs: 100,
    });
    run.catch(() => undefined);
    await waitFor(
      'transactional copy',
      async () => {
        const { topics } = await fetchTopicMetadata(c.target, [`${c.east}.${topic}`]);
        return (
          topics.length > 0 && (await readPartition(c.target, `${c.east}.${topic}`, 0)).records.length >= 5
        );
      },
      30_000,
    );
    controller.abort();
    const summary = await run;
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
});

describe.skipIf(realSkip !== undefined)(`kt mirror run [embedded → real] ${realSkip ?? ''}`, () => {
  const closers: (() => Promise<void>)[] = [];
  let c: Clusters;
  beforeAll(async () => {
    const s = await startEmbeddedBroker();
    closers.push(s.close);
    const t = await acquireKafka('mirror-target', { holder: process.pid, startTimeoutMs: 150_000 });
    closers.push(async () => {
      await releaseKafka('mirror-target', { holder: process.pid });
    });
    c = { source: await connect(s.bootstrap), target: await connect(t.bootstrap), ...names() };
    closers.unshift(
      () => c.source.close(),
      () => c.target.close(),
    );
  }, 240_000);
  afterAll(async () => {
    for (const close of closers) await close();
  }, 60_000);
  it(
    'copies byte for byte from the embedded broker into Apache Kafka, follows new topics and partitions, resumes, exact syncs',
    () => scenario(c),
    120_000,
  );
});

describe('kt mirror run [compacted embedded source → embedded]', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('rebuilds batches with compaction gaps (codec kept), and the offset syncs still translate every record exactly', async () => {
    const { startBroker } = await import('../../src/broker/index.js');
    const s = await startBroker({ port: 0, config: { 'log.retention.check.interval.ms': '100' } });
    const t = await startEmbeddedBroker();
    closers.push(s.close.bind(s), t.close);
    const c: Clusters = {
      source: await connect(s.bootstrap),
      target: await connect(t.bootstrap),
      ...names(),
    };
    closers.unshift(
      () => c.source.close(),
      () => c.target.close(),
    );
    const topic = c.orders;
    await createTopics(c.source, {
      names: [topic],
      partitions: 1,
      configs: {
        'cleanup.policy': 'compact',
        'segment.bytes': '1024',
        'min.cleanable.dirty.ratio': '0.01',
        'segment.ms': '100',
      },
    });
    for (let i = 0; i < 30; i++) {
      const pair = [
        { key: Buffer.from(`k${i % 3}`), value: Buffer.from(`v${i}`) },
        { key: Buffer.from(`u${i}`), value: Buffer.from(`w${i}`) },
      ];
      await producePartition(c.source, topic, 0, pair, i % 2 ? 'gzip' : 'none');
    }
    // Wait for the broker's compaction pass to leave gaps.
    await waitFor('compaction gaps', async () => {
      const offsets = (await readPartition(c.source, topic, 0)).records.map((r) => r.offset);
      return offsets.some((o, i) => i > 0 && o !== offsets[i - 1]! + 1n);
    });
    const src = await readPartition(c.source, topic, 0);
    const controller = new AbortController();
    const run = runMirror({
      source: c.source,
      target: c.target,
      sourceAlias: c.east,
      targetAlias: c.west,
      rename: 'prefix',
      topics: topic,
      signal: controller.signal,
      fetchWaitMs: 100,
    });
    run.catch(() => undefined);
    const remote = `${c.east}.${topic}`;
    await waitFor('compacted copy', async () => {
      const { topics } = await fetchTopicMetadata(c.target, [remote]);
      return (
        topics.length > 0 && (await readPartition(c.target, remote, 0)).records.length >= src.records.length
      );
    });
    controller.abort();
    const summary = await run;
    expect(summary.batches.rebuilt).toBeGreaterThan(0);
    const dst = await readPartition(c.target, remote, 0);
    expect(dst.records.map((r) => [r.key, r.value])).toEqual(src.records.map((r) => [r.key, r.value]));
    // Rebuilt batches keep their codec (gzip batches stay gzip).
    expect(dst.codecs.filter((x) => x === 1).length).toBeGreaterThan(0);
    const syncs = await readOffsetSyncs(c.source, c.west);
    const byOffset = new Map(dst.records.map((r) => [r.offset, r.value]));
    for (const r of src.records) expect(byOffset.get(translate(syncs, topic, 0, r.offset)!)).toBe(r.value);
  }, 60_000);
});
