// kt mirror verify as a process (exit codes, --output json, usage errors), after kt mirror run was
// killed with SIGKILL under load (at-least-once re-copies are duplicates, not failures), and on a
// compacted source; embedded → embedded.
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { verifyMirror } from '../../src/mirror/verify.js';
import { createTopics } from '../../src/ops/topics/create.js';
import {
  produceCompactionGaps,
  producePartition,
  recordCount,
  records,
  spawnKtDev,
} from '../mirror/flows.js';
import { readPartition, waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs, type MirrorPair } from '../mirror/pairs.js';
import { asInput, kt } from '../mirror/verify-fixtures.js';

describeMirrorPairs(
  'kt mirror verify (process)',
  (pair) => {
    cliTests(pair);
    crashTest(pair);
  },
  { kinds: ['embedded'] },
);

function crashTest(pair: () => MirrorPair) {
  it('after kt mirror run is killed with SIGKILL under load and restarted, verify passes and lists the re-copies as duplicates', async () => {
    const c = pair();
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
    const options = {
      source: c.source,
      target: c.target,
      sourceAlias: alias,
      targetAlias: 'target',
      rename: 'prefix' as const,
      topics: topic,
    };
    const copied = () => recordCount(c.target, remote, 0);
    const args = ['mirror', 'run', '--source', c.sourceBootstrap, '--target', c.targetBootstrap];
    const mirror = () => spawnKtDev([...args, '--source-alias', alias, '--topics', topic], { quiet: true });
    try {
      for (let round = 0; round < 2; round++) {
        const { child, closed } = mirror();
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
    const { child, closed } = mirror();
    try {
      await waitFor(
        'the restarted mirror to copy everything',
        async () => {
          const report = await verifyMirror(options);
          return report.ok;
        },
        60_000,
      );
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    const report = await verifyMirror(options);
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
    const strict = await verifyMirror({ ...options, failOnDuplicates: true });
    expect(strict.ok).toBe(t.duplicated === 0);
  }, 240_000);
}

function cliTests(pair: () => MirrorPair) {
  let c: MirrorPair;
  let topic: string;
  beforeAll(async () => {
    c = pair();
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

describeMirrorPairs(
  'kt mirror verify, compacted source',
  (pair) => {
    it('compares across compaction gaps and reports true source offsets', async () => {
      const { source, target } = pair();
      const topic = `compacted-${randomBytes(3).toString('hex')}`;
      // Settled: the log stops changing before it is copied.
      const src = await produceCompactionGaps(source, topic, { settle: true });
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
  { kinds: ['embedded'], compactingSource: true },
);
