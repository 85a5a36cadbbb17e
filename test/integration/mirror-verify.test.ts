// kt mirror verify between two clusters: embedded → embedded and real → real (two Apache Kafka instances
// from the harness; skipped without Java), selected by KT_TEST_TARGET like the other integration suites.
// A mirror made by runMirror verifies clean; a target built by hand with a deleted, a duplicated and an
// altered record is reported with exactly those three, at the right source and target offsets.
// The process (exit codes, --output json) and a compacted source: mirror-verify-cli.test.ts.
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { toPlainData } from '../../src/cli/output.js';
import { runMirror } from '../../src/mirror/run.js';
import { type VerifyOptions, verifyMirror } from '../../src/mirror/verify.js';
import { renderVerifyText } from '../../src/mirror/verify-render.js';
import { createTopics } from '../../src/ops/topics/create.js';
import type { RecordInput } from '../../src/protocol/record-batch.js';
import { mirrorUntil, producePartition, produceTransactions, recordCount, records } from '../mirror/flows.js';
import { readPartition, waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs, type MirrorPair } from '../mirror/pairs.js';
import { asInput, RANGE_SHAPES, shape } from '../mirror/verify-fixtures.js';

/**
 * Source topic with two partitions (p0: 10 records in a gzip and a plain batch, p1: 3), mirrored with
 * runMirror under alias `good`; the alias `bad` names a target topic written by hand from the source's
 * records with three faults in p0: source offset 2 deleted, 5 written twice, 7 with another value.
 */
async function prepare(c: MirrorPair) {
  const id = randomBytes(3).toString('hex');
  const topic = `verify-${id}`;
  const good = `good${id}`;
  const bad = `bad${id}`;
  await createTopics(c.source, { names: [topic], partitions: 2 });
  const p0 = records(10, 'p0');
  await producePartition(c.source, topic, 0, p0.slice(0, 5), 'gzip');
  await producePartition(c.source, topic, 0, p0.slice(5));
  await producePartition(c.source, topic, 1, records(3, 'p1'), 'lz4');

  const remote = `${good}.${topic}`;
  await mirrorUntil(
    {
      source: c.source,
      target: c.target,
      sourceAlias: good,
      targetAlias: `t${id}`,
      rename: 'prefix',
      topics: topic,
      fetchWaitMs: 100,
      progressIntervalMs: 100,
    },
    'the mirror copy',
    async () =>
      (await recordCount(c.target, remote, 0)) === 10 && (await recordCount(c.target, remote, 1)) === 3,
  );

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

function scenario(pair: () => MirrorPair) {
  let c: MirrorPair;
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
    c = pair();
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
    expect(text).toMatch(/^FAILED: 1 of 2 partitions differs \(1 missing, 1 diverging\)$/m);

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
    expect(renderVerifyText(strict)).toMatch(/FAILED: 2 of 2 partitions differ \(4 duplicated\)/);
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
      await waitFor(
        'the live copy to start',
        async () => (await recordCount(c.target, `${alias}.${live}`, 0)) > 0,
      );
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

describeMirrorPairs(
  'kt mirror verify',
  (pair, kind) => {
    scenario(pair);
    if (kind === 'real') transactionalTest(pair);
  },
  { kinds: ['embedded', 'real'] },
);

function transactionalTest(pair: () => MirrorPair) {
  it('a transactional source: markers and aborted records are not compared, the committed ones verify clean', async () => {
    const c = pair();
    const topic = `tx-${randomBytes(3).toString('hex')}`;
    const alias = `tx${randomBytes(2).toString('hex')}`;
    await createTopics(c.source, { names: [topic], partitions: 1 });
    await produceTransactions(c.sourceBootstrap, topic);
    const flow = {
      source: c.source,
      target: c.target,
      sourceAlias: alias,
      targetAlias: 'dr',
      rename: 'prefix' as const,
      topics: topic,
    };
    await mirrorUntil(
      { ...flow, fetchWaitMs: 100, progressIntervalMs: 100 },
      'the transactional copy',
      async () => (await recordCount(c.target, `${alias}.${topic}`, 0)) >= 5,
      20_000,
    );
    const report = await verifyMirror(flow);
    expect(report.ok).toBe(true);
    expect(report.partitions[0]).toMatchObject({
      source: { startOffset: 0n, endOffset: 10n, records: 5 },
      target: { startOffset: 0n, endOffset: 5n, records: 5 },
      matched: 5,
    });
  }, 60_000);
}
