// kt mirror verify between two clusters: embedded → embedded and real → real (two Apache Kafka instances
// from the harness; skipped without Java), selected by KT_TEST_TARGET like the other integration suites.
// A mirror made by runMirror verifies clean; a target built by hand with a deleted, a duplicated and an
// altered record is reported with exactly those three, at the right source and target offsets.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toPlainData } from '../../src/cli/output.js';
import { runMirror } from '../../src/mirror/run.js';
import { type VerifyOptions, verifyMirror } from '../../src/mirror/verify.js';
import { renderVerifyText } from '../../src/mirror/verify-render.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import type { RecordInput } from '../../src/protocol/record-batch.js';
import {
  producePartition as produceOnce,
  readPartition,
  type SimpleRecord,
  waitFor,
} from '../mirror/helpers.js';
import { acquireKafka, realKafkaUnavailableReason, releaseKafka } from '../real-kafka/harness.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../support/embedded.js';

interface Clusters {
  source: ClusterClient;
  target: ClusterClient;
  sourceBootstrap: string;
  targetBootstrap: string;
}

async function connect(bootstrap: string): Promise<ClusterClient> {
  const client = new ClusterClient({ bootstrapServers: [bootstrap] });
  await client.connect();
  return client;
}

/**
 * producePartition, asked again while a just-created topic's leader is not known everywhere yet (a real
 * Kafka answers NOT_LEADER_OR_FOLLOWER or LEADER_NOT_AVAILABLE for a moment after CreateTopics).
 */
async function producePartition(
  client: ClusterClient,
  topic: string,
  partition: number,
  batch: readonly RecordInput[],
  compression?: Parameters<typeof produceOnce>[4],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await produceOnce(client, topic, partition, batch, compression);
    } catch (error) {
      if (attempt >= 30 || !/error (5|6)$/.test((error as Error).message)) throw error;
      client.invalidateLeaders(topic);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function records(n: number, tag: string): RecordInput[] {
  const now = BigInt(Date.now()) - 60_000n;
  return Array.from({ length: n }, (_, i) => ({
    key: i % 4 === 0 ? null : Buffer.from(`${tag}-key-${i}`),
    value: Buffer.from(`${tag}-value-${i}`),
    headers: [
      { key: 'seq', value: Buffer.from(String(i)) },
      { key: 'nil', value: null },
    ],
    // Increasing: --from-source-offset seeks the target by the smallest compared timestamp.
    timestamp: now + BigInt(i),
  }));
}

const asInput = (r: SimpleRecord): RecordInput => ({
  key: r.key === null ? null : Buffer.from(r.key),
  value: r.value === null ? null : Buffer.from(r.value),
  headers: r.headers.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value) })),
  timestamp: r.timestamp,
});

/**
 * Source topic with two partitions (p0: 10 records in a gzip and a plain batch, p1: 3), mirrored with
 * runMirror under alias `good`; the alias `bad` names a target topic written by hand from the source's
 * records with three faults in p0: source offset 2 deleted, 5 written twice, 7 with another value.
 */
async function prepare(c: Clusters) {
  const id = randomBytes(3).toString('hex');
  const topic = `verify-${id}`;
  const good = `good${id}`;
  const bad = `bad${id}`;
  await createTopics(c.source, { names: [topic], partitions: 2 });
  const p0 = records(10, 'p0');
  await producePartition(c.source, topic, 0, p0.slice(0, 5), 'gzip');
  await producePartition(c.source, topic, 0, p0.slice(5));
  await producePartition(c.source, topic, 1, records(3, 'p1'), 'lz4');

  const controller = new AbortController();
  const run = runMirror({
    source: c.source,
    target: c.target,
    sourceAlias: good,
    targetAlias: `t${id}`,
    rename: 'prefix',
    topics: topic,
    signal: controller.signal,
    fetchWaitMs: 100,
    progressIntervalMs: 100,
  });
  let failure: unknown;
  run.catch((error: unknown) => {
    failure = error;
  });
  try {
    await waitFor(
      'the mirror copy',
      async () => {
        if (failure) throw failure;
        const remote = `${good}.${topic}`;
        const { topics } = await fetchTopicMetadata(c.target, [remote]);
        if ((topics[0]?.partitions.length ?? 0) < 2) return false;
        return (
          (await readPartition(c.target, remote, 0)).records.length === 10 &&
          (await readPartition(c.target, remote, 1)).records.length === 3
        );
      },
      60_000,
    );
  } finally {
    controller.abort();
    await run.catch(() => undefined);
  }

  const faulty = `${bad}.${topic}`;
  await createTopics(c.target, { names: [faulty], partitions: 2 });
  const src0 = (await readPartition(c.source, topic, 0)).records;
  const out: RecordInput[] = [];
  for (const r of src0) {
    if (r.offset === 2n) continue; // lost
    if (r.offset === 7n) {
      out.push({ ...asInput(r), value: Buffer.from('tampered') });
      continue;
    }
    out.push(asInput(r));
    if (r.offset === 5n) out.push(asInput(r)); // copied twice
  }
  await producePartition(c.target, faulty, 0, out);
  await producePartition(c.target, faulty, 1, (await readPartition(c.source, topic, 1)).records.map(asInput));
  return { topic, good, bad, faulty };
}

/** The JSON output's structure: every key, with the type of its value (arrays: of their first element). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? 'null' : typeof value;
}

const RANGE_SHAPES = {
  missingRanges: [{ sourceFrom: 'number', sourceTo: 'number', count: 'number', trailing: 'boolean' }],
  duplicatedRanges: [
    {
      sourceFrom: 'number',
      sourceTo: 'number',
      count: 'number',
      targetFrom: 'number',
      targetTo: 'number',
      duplicateFrom: 'number',
      duplicateTo: 'number',
    },
  ],
  divergingRanges: [
    {
      sourceFrom: 'number',
      sourceTo: 'number',
      targetFrom: 'number',
      targetTo: 'number',
      count: 'number',
      fields: ['string'],
    },
  ],
  unexpectedRanges: [],
  rangesTruncated: 'boolean',
};

function scenario(clusters: () => Clusters) {
  let c: Clusters;
  let names: Awaited<ReturnType<typeof prepare>>;
  const options = (alias: string): VerifyOptions => ({
    source: c.source,
    target: c.target,
    sourceAlias: alias,
    targetAlias: 'dr',
    rename: 'prefix',
    topics: names.topic,
  });
  beforeAll(async () => {
    c = clusters();
    names = await prepare(c);
  }, 120_000);

  it('a mirror made by kt mirror run verifies clean', async () => {
    const report = await verifyMirror(options(names.good));
    expect(report.ok).toBe(true);
    expect(report.totals).toEqual({
      partitions: 2,
      partitionsFailed: 0,
      targetPartitionsMissing: 0,
      sourceRecords: 13,
      targetRecords: 13,
      matched: 13,
      missing: 0,
      duplicated: 0,
      diverging: 0,
      unexpected: 0,
    });
    expect(
      report.partitions.map((p) => [p.partition, p.ok, p.source.endOffset, p.target?.endOffset]),
    ).toEqual([
      [0, true, 10n, 10n],
      [1, true, 3n, 3n],
    ]);
    expect(renderVerifyText(report)).toMatch(
      /^OK: all 13 source records of 2 partitions are on the target$/m,
    );
  });

  it('reports the deleted, the duplicated and the altered record with their offsets, and nothing else', async () => {
    const report = await verifyMirror(options(names.bad));
    expect(report.ok).toBe(false);
    const [p0, p1] = report.partitions;
    expect(p1).toMatchObject({
      ok: true,
      matched: 3,
      missing: 0,
      duplicated: 0,
      diverging: 0,
      unexpected: 0,
    });
    expect(p0).toMatchObject({
      topic: names.topic,
      partition: 0,
      targetTopic: names.faulty,
      ok: false,
      targetPartitionMissing: false,
      source: { startOffset: 0n, endOffset: 10n, records: 10 },
      target: { startOffset: 0n, endOffset: 10n, records: 10, skippedBefore: 0 },
      matched: 8,
      missing: 1,
      duplicated: 1,
      diverging: 1,
      unexpected: 0,
      rangesTruncated: false,
    });
    // Target offsets: 0 1 | 3→2 4→3 5→4 5→5 (again) 6→6 7'→7 8→8 9→9.
    expect(p0!.missingRanges).toEqual([{ sourceFrom: 2n, sourceTo: 2n, count: 1, trailing: false }]);
    expect(p0!.duplicatedRanges).toEqual([
      {
        sourceFrom: 5n,
        sourceTo: 5n,
        count: 1,
        targetFrom: 4n,
        targetTo: 4n,
        duplicateFrom: 5n,
        duplicateTo: 5n,
      },
    ]);
    expect(p0!.divergingRanges).toEqual([
      { sourceFrom: 7n, sourceTo: 7n, targetFrom: 7n, targetTo: 7n, count: 1, fields: ['value'] },
    ]);
    expect(p0!.unexpectedRanges).toEqual([]);

    const text = renderVerifyText(report);
    expect(text).toContain('missing source offset 2 (1 record)');
    expect(text).toContain('duplicated source offset 5 (target offsets 4, 5)');
    expect(text).toContain('diverging at source 7 / target 7: value differs');
    expect(text).toMatch(/^FAILED: 1 partition of 2 differ \(1 missing, 1 diverging\)$/m);

    // The --output json shape: stable keys.
    const json = toPlainData(report) as { partitions: unknown[] };
    expect(shape({ ...json, partitions: [json.partitions[0]] })).toEqual({
      ok: 'boolean',
      failOnDuplicates: 'boolean',
      totals: {
        partitions: 'number',
        partitionsFailed: 'number',
        targetPartitionsMissing: 'number',
        sourceRecords: 'number',
        targetRecords: 'number',
        matched: 'number',
        missing: 'number',
        duplicated: 'number',
        diverging: 'number',
        unexpected: 'number',
      },
      partitions: [
        {
          topic: 'string',
          partition: 'number',
          targetTopic: 'string',
          ok: 'boolean',
          targetPartitionMissing: 'boolean',
          source: { startOffset: 'number', endOffset: 'number', records: 'number' },
          target: { startOffset: 'number', endOffset: 'number', records: 'number', skippedBefore: 'number' },
          matched: 'number',
          missing: 'number',
          duplicated: 'number',
          diverging: 'number',
          unexpected: 'number',
          ...RANGE_SHAPES,
        },
      ],
    });
  });

  it('duplicates alone pass unless failOnDuplicates; --from-source-offset narrows the range on both sides', async () => {
    const fromSix = await verifyMirror({ ...options(names.bad), fromSourceOffset: 6n });
    const p0 = fromSix.partitions[0]!;
    // The target is entered at the first record with the smallest compared timestamp (source 6's copy).
    expect(p0).toMatchObject({ matched: 3, missing: 0, duplicated: 0, diverging: 1 });
    expect(p0.source).toEqual({ startOffset: 6n, endOffset: 10n, records: 4 });
    expect(p0.target).toMatchObject({ startOffset: 6n, records: 4, skippedBefore: 0 });
    expect(fromSix.partitions[1]).toMatchObject({ ok: true, source: { records: 0 }, target: { records: 0 } });

    // Partition 1 of the faulty target is a faithful copy; then only a duplicate in a third target.
    const dupOnly = `dup${names.bad}`;
    await createTopics(c.target, { names: [`${dupOnly}.${names.topic}`], partitions: 2 });
    for (const p of [0, 1]) {
      const src = (await readPartition(c.source, names.topic, p)).records;
      await producePartition(c.target, `${dupOnly}.${names.topic}`, p, [
        ...src.map(asInput),
        ...src.slice(-2).map(asInput),
      ]);
    }
    const lenient = await verifyMirror(options(dupOnly));
    expect(lenient.ok).toBe(true);
    expect(lenient.totals).toMatchObject({ duplicated: 4, missing: 0, diverging: 0, unexpected: 0 });
    expect(lenient.partitions[0]!.duplicatedRanges).toEqual([
      {
        sourceFrom: 8n,
        sourceTo: 9n,
        count: 2,
        targetFrom: 8n,
        targetTo: 9n,
        duplicateFrom: 10n,
        duplicateTo: 11n,
      },
    ]);
    const strict = await verifyMirror({ ...options(dupOnly), failOnDuplicates: true });
    expect(strict.ok).toBe(false);
    expect(renderVerifyText(strict)).toMatch(/FAILED: 2 partitions of 2 differ \(4 duplicated\)/);
  });

  it('while the mirror copies live traffic, only a trailing range is missing; once caught up, clean', async () => {
    const live = `live-${randomBytes(3).toString('hex')}`;
    const alias = `live${randomBytes(2).toString('hex')}`;
    await createTopics(c.source, { names: [live], partitions: 1 });
    const controller = new AbortController();
    const run = runMirror({
      source: c.source,
      target: c.target,
      sourceAlias: alias,
      targetAlias: 'dr',
      rename: 'prefix',
      topics: live,
      signal: controller.signal,
      fetchWaitMs: 50,
      progressIntervalMs: 100,
      refreshIntervalMs: 200,
    });
    run.catch(() => undefined);
    let producing = true;
    let produced = 0;
    const load = (async () => {
      while (producing && produced < 3000) {
        await producePartition(c.source, live, 0, records(20, `live${produced}`));
        produced += 20;
      }
    })();
    try {
      await waitFor('the live copy to start', async () => {
        const { topics } = await fetchTopicMetadata(c.target, [`${alias}.${live}`]);
        return topics.length > 0 && (await readPartition(c.target, `${alias}.${live}`, 0)).records.length > 0;
      });
      const during = await verifyMirror({ ...options(alias), topics: live });
      const p = during.partitions[0]!;
      expect(p).toMatchObject({ duplicated: 0, diverging: 0, unexpected: 0 });
      expect(p.missingRanges.every((r) => r.trailing)).toBe(true);
      producing = false;
      await load;
      await waitFor(
        'the mirror to catch up',
        async () => (await readPartition(c.target, `${alias}.${live}`, 0)).records.length === produced,
        30_000,
      );
      const after = await verifyMirror({ ...options(alias), topics: live });
      expect(after.ok).toBe(true);
      expect(after.totals).toMatchObject({ sourceRecords: produced, matched: produced });
    } finally {
      producing = false;
      await load;
      controller.abort();
      await run.catch(() => undefined);
    }
  }, 90_000);

  it('reports a target that lacks the topic or a partition', async () => {
    const report = await verifyMirror({ ...options(names.bad), rename: 'identity' });
    // Identity names the source topic itself, which does not exist on the target.
    expect(report.ok).toBe(false);
    expect(report.totals.targetPartitionsMissing).toBe(2);
    expect(report.partitions[0]).toMatchObject({
      targetPartitionMissing: true,
      target: null,
      missing: 10,
      missingRanges: [{ sourceFrom: 0n, sourceTo: 9n, count: 10, trailing: true }],
    });
  });
}

const targets = inject('ktTargets');

describe.skipIf(!targets.includes('embedded'))('kt mirror verify [embedded → embedded]', () => {
  let brokers: EmbeddedBroker[] = [];
  let c: Clusters;
  beforeAll(async () => {
    brokers = [await startEmbeddedBroker(), await startEmbeddedBroker()];
    c = {
      source: await connect(brokers[0]!.bootstrap),
      target: await connect(brokers[1]!.bootstrap),
      sourceBootstrap: brokers[0]!.bootstrap,
      targetBootstrap: brokers[1]!.bootstrap,
    };
  });
  afterAll(async () => {
    await c?.source.close();
    await c?.target.close();
    for (const b of brokers) await b.close();
  });
  scenario(() => c);
  cliTests(() => c);
});

const realSkip = targets.includes('real')
  ? await realKafkaUnavailableReason()
  : 'not selected by KT_TEST_TARGET';

describe.skipIf(realSkip !== undefined)(`kt mirror verify [real → real] ${realSkip ?? ''}`, () => {
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
      targetBootstrap: t!.bootstrap,
    };
  }, 240_000);
  afterAll(async () => {
    await c?.source.close();
    await c?.target.close();
    await Promise.all(clusters.map((name) => releaseKafka(name, { holder: process.pid })));
  }, 60_000);
  scenario(() => c);

  it('a transactional source: markers and aborted records are not compared, the committed ones verify clean', async () => {
    const topic = `tx-${randomBytes(3).toString('hex')}`;
    const alias = `tx${randomBytes(2).toString('hex')}`;
    await createTopics(c.source, { names: [topic], partitions: 1 });
    const kafka = new kafkajs.Kafka({ brokers: [c.sourceBootstrap], logLevel: kafkajs.logLevel.NOTHING });
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
      sourceAlias: alias,
      targetAlias: 'dr',
      rename: 'prefix',
      topics: topic,
      signal: controller.signal,
      fetchWaitMs: 100,
      progressIntervalMs: 100,
    });
    run.catch(() => undefined);
    try {
      await waitFor('the transactional copy', async () => {
        const { topics } = await fetchTopicMetadata(c.target, [`${alias}.${topic}`]);
        return (
          topics.length > 0 && (await readPartition(c.target, `${alias}.${topic}`, 0)).records.length >= 5
        );
      });
    } finally {
      controller.abort();
      await run.catch(() => undefined);
    }
    const report = await verifyMirror({
      source: c.source,
      target: c.target,
      sourceAlias: alias,
      targetAlias: 'dr',
      rename: 'prefix',
      topics: topic,
    });
    expect(report.ok).toBe(true);
    expect(report.partitions[0]).toMatchObject({
      source: { startOffset: 0n, endOffset: 10n, records: 5 },
      target: { startOffset: 0n, endOffset: 5n, records: 5 },
      matched: 5,
    });
  }, 60_000);
});

// ------------------------------------------------------------------------------------------ the process

const ROOT = new URL('../../', import.meta.url);
const KT_DEV = fileURLToPath(new URL('bin/dev.js', ROOT));

/**
 * How to start `kt mirror verify`: through bin/dev.js once the command is in the registry
 * (commands/index.ts), else by running the command class with oclif directly (same flags, output,
 * error handling and exit code; only the registry lookup is skipped).
 */
async function verifyArgv(args: string[]): Promise<string[]> {
  const { commands } = await import('../../commands/index.js');
  if ('mirror:verify' in commands) return ['--import', 'tsx', KT_DEV, 'mirror', 'verify', ...args];
  const script = `
    import { handle } from '@oclif/core';
    const { default: MirrorVerify } = await import(${JSON.stringify(new URL('commands/mirror/verify.ts', ROOT).href)});
    try { await MirrorVerify.run(process.argv.slice(1), ${JSON.stringify(ROOT.href)}); } catch (error) { await handle(error); }
  `;
  return ['--import', 'tsx', '--input-type=module', '--eval', script, '--', ...args];
}

async function kt(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, await verifyArgv(args), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', KT_CONFIG: '/nonexistent/kt-config.yaml' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

function cliTests(clusters: () => Clusters) {
  let c: Clusters;
  let topic: string;
  beforeAll(async () => {
    c = clusters();
    // A topic of its own, mirrored by hand: identity names, one record altered in partition 0.
    topic = `cli-${randomBytes(3).toString('hex')}`;
    await createTopics(c.source, { names: [topic], partitions: 1 });
    await createTopics(c.target, { names: [topic], partitions: 1 });
    const recs = records(4, 'cli');
    await producePartition(c.source, topic, 0, recs);
    await producePartition(c.target, topic, 0, recs.slice(0, 3));
  });

  it('kt mirror verify exits 1 with the findings as JSON on stdout, then 0 once the target is complete', async () => {
    const args = [
      '--source',
      c.sourceBootstrap,
      '--target',
      c.targetBootstrap,
      '--topics',
      topic,
      '--rename',
      'identity',
    ];
    const failed = await kt([...args, '-o', 'json']);
    expect(failed.stderr).toMatch(/Mirror verification failed: 1 of 1 partitions differ \(1 missing/);
    expect(failed.code).toBe(1);
    const report = JSON.parse(failed.stdout) as {
      ok: boolean;
      partitions: { missingRanges: unknown[]; target: { records: number } }[];
    };
    expect(report.ok).toBe(false);
    expect(report.partitions[0]!.missingRanges).toEqual([
      { sourceFrom: 3, sourceTo: 3, count: 1, trailing: true },
    ]);

    const rest = (await readPartition(c.source, topic, 0)).records.slice(3).map(asInput);
    await producePartition(c.target, topic, 0, rest);
    const passed = await kt(args);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/^OK: all 4 source records of 1 partition are on the target$/m);

    const usage = await kt([...args, '--from-source-offset', '-3']);
    expect(usage.code).toBe(2);
  }, 60_000);
}

describe.skipIf(!targets.includes('embedded'))(
  'kt mirror verify [compacted embedded source → embedded]',
  () => {
    const closers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const close of closers) await close();
    });

    it('compares across compaction gaps and reports true source offsets', async () => {
      const { startBroker } = await import('../../src/broker/index.js');
      const s = await startBroker({ port: 0, config: { 'log.retention.check.interval.ms': '100' } });
      const t = await startEmbeddedBroker();
      closers.push(s.close.bind(s), t.close);
      const source = await connect(s.bootstrap);
      const target = await connect(t.bootstrap);
      closers.unshift(
        () => source.close(),
        () => target.close(),
      );
      const topic = `compacted-${randomBytes(3).toString('hex')}`;
      await createTopics(source, {
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
        await producePartition(source, topic, 0, [
          { key: Buffer.from(`k${i % 3}`), value: Buffer.from(`v${i}`) },
          { key: Buffer.from(`u${i}`), value: Buffer.from(`w${i}`) },
        ]);
      }
      await waitFor('compaction gaps', async () => {
        const offsets = (await readPartition(source, topic, 0)).records.map((r) => r.offset);
        return offsets.some((o, i) => i > 0 && o !== offsets[i - 1]! + 1n);
      });
      // Compaction passes run every 100 ms: wait until the log stops changing before copying it.
      let src = (await readPartition(source, topic, 0)).records;
      await waitFor('compaction to settle', async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const again = (await readPartition(source, topic, 0)).records;
        const same = again.map((r) => r.offset).join() === src.map((r) => r.offset).join();
        src = again;
        return same;
      });
      // The copy made by hand (contiguous target offsets), without the 4th surviving record.
      const lost = src[3]!;
      await createTopics(target, { names: [`east.${topic}`], partitions: 1 });
      await producePartition(target, `east.${topic}`, 0, src.filter((r) => r !== lost).map(asInput));
      const report = await verifyMirror({
        source,
        target,
        sourceAlias: 'east',
        targetAlias: 'west',
        rename: 'prefix',
        topics: topic,
      });
      const p = report.partitions[0]!;
      expect(p.missing).toBe(1);
      expect(p.missingRanges).toEqual([
        { sourceFrom: lost.offset, sourceTo: lost.offset, count: 1, trailing: false },
      ]);
      expect(p).toMatchObject({ duplicated: 0, diverging: 0, unexpected: 0, matched: src.length - 1 });
    }, 60_000);
  },
);
