// kt mirror verify as a process (exit codes, --output json, usage errors), after kt mirror run was
// killed with SIGKILL under load (at-least-once re-copies are duplicates, not failures), and on a
// compacted source; embedded → embedded.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyMirror } from '../../src/mirror/verify.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { readPartition, waitFor } from '../mirror/helpers.js';
import { asInput, type Clusters, connect, kt, producePartition, records } from '../mirror/verify-fixtures.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../support/embedded.js';

const targets = inject('ktTargets');

describe.skipIf(!targets.includes('embedded'))('kt mirror verify (process) [embedded → embedded]', () => {
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
  cliTests(() => c);
  crashTest(() => c);
});

const KT_DEV = fileURLToPath(new URL('../../bin/dev.js', import.meta.url));

function crashTest(clusters: () => Clusters) {
  it('after kt mirror run is killed with SIGKILL under load and restarted, verify passes and lists the re-copies as duplicates', async () => {
    const c = clusters();
    const topic = `crash-${randomBytes(3).toString('hex')}`;
    const alias = `crash${randomBytes(2).toString('hex')}`;
    await createTopics(c.source, { names: [topic], partitions: 2 });
    let producing = true;
    let produced = 0;
    const load = (async () => {
      for (let n = 0; producing && n < 2000; n++) {
        await producePartition(
          c.source,
          topic,
          n % 2,
          records(20, `crash${n}`),
          n % 3 === 0 ? 'lz4' : 'none',
        );
        produced += 20;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const remote = `${alias}.${topic}`;
    const copied = async () => {
      const { topics } = await fetchTopicMetadata(c.target, [remote]);
      return topics.length === 0 ? 0 : (await readPartition(c.target, remote, 0)).records.length;
    };
    const args = ['mirror', 'run', '--source', c.sourceBootstrap, '--target', c.targetBootstrap];
    const mirror = () =>
      spawn(
        process.execPath,
        ['--import', 'tsx', KT_DEV, ...args, '--source-alias', alias, '--topics', topic],
        {
          stdio: 'ignore',
        },
      );
    try {
      for (let round = 0; round < 2; round++) {
        const child = mirror();
        const closed = new Promise((resolve) => child.on('close', resolve));
        const before = await copied();
        await waitFor('this run copying', async () => (await copied()) > before, 60_000);
        await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 600)));
        child.kill('SIGKILL');
        await closed;
      }
    } finally {
      producing = false;
      await load;
    }
    const child = mirror();
    const closed = new Promise((resolve) => child.on('close', resolve));
    try {
      await waitFor(
        'the restarted mirror to copy everything',
        async () => {
          const report = await verifyMirror({
            source: c.source,
            target: c.target,
            sourceAlias: alias,
            targetAlias: 'target',
            rename: 'prefix',
            topics: topic,
          });
          return report.ok;
        },
        60_000,
      );
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    const report = await verifyMirror({
      source: c.source,
      target: c.target,
      sourceAlias: alias,
      targetAlias: 'target',
      rename: 'prefix',
      topics: topic,
    });
    const t = report.totals;
    expect(t).toMatchObject({
      sourceRecords: produced,
      matched: produced,
      missing: 0,
      diverging: 0,
      unexpected: 0,
    });
    // Whatever was copied twice is accounted for as duplicates, in contiguous ranges.
    expect(t.duplicated).toBe(t.targetRecords - t.sourceRecords);
    for (const p of report.partitions) {
      expect(p.duplicatedRanges.reduce((sum, r) => sum + r.count, 0)).toBe(p.duplicated);
    }
    const strict = await verifyMirror({
      source: c.source,
      target: c.target,
      sourceAlias: alias,
      targetAlias: 'target',
      rename: 'prefix',
      topics: topic,
      failOnDuplicates: true,
    });
    expect(strict.ok).toBe(t.duplicated === 0);
  }, 240_000);
}

function cliTests(clusters: () => Clusters) {
  let c: Clusters;
  let topic: string;
  beforeAll(async () => {
    c = clusters();
    // A topic of its own, mirrored by hand (identity names) without its last record.
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
    expect(failed.stderr).toMatch(/Mirror verification failed: 1 of 1 partition differs \(1 missing\)/);
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
  }, 120_000);
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
