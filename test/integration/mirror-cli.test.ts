// `kt mirror run` as a process: profiles/bootstrap resolution, live log lines, SIGTERM flushes and exits 0.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { decodeHeartbeat, HEARTBEATS_TOPIC, type Heartbeat } from '../../src/mirror/formats.js';
import { readToEnd } from '../../src/mirror/internal-topics.js';
import { commitOffsets } from '../../src/ops/groups/coordinator.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import { producePartition, readCheckpoints, recordCount, spawnKtDev } from '../mirror/flows.js';
import { readPartition, waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs } from '../mirror/pairs.js';
import { expectShape } from './topics-shapes.js';

describeMirrorPairs(
  'kt mirror run (process)',
  (pair) => {
    let source: ClusterClient;
    let target: ClusterClient;
    let sourceBootstrap: string;
    let targetBootstrap: string;
    beforeAll(() => {
      ({ source, target, sourceBootstrap, targetBootstrap } = pair());
    });
    /** `kt mirror run` from this pair's source to its target. */
    const runArgs = () => ['mirror', 'run', '--source', sourceBootstrap, '--target', targetBootstrap];

    it('copies, logs progress on stderr, and on SIGTERM flushes and prints a JSON summary', async () => {
      await createTopics(source, { names: ['cli-topic'], partitions: 2 });
      await producePartition(
        source,
        'cli-topic',
        1,
        [{ key: Buffer.from('k'), value: Buffer.from('v') }],
        'gzip',
      );
      // A source group that consumed the record: the mirror checkpoints it (MM2 format) on the target.
      await commitOffsets(source, 'cli-group', [{ topic: 'cli-topic', partition: 1, offset: 1n }]);
      const kt = spawnKtDev([
        ...runArgs(),
        '--source-alias',
        'dc1',
        '--target-alias',
        'dc2',
        '--rename',
        'identity',
        '-o',
        'json',
        '--stats-interval',
        '1',
        '--metrics-port',
        '0',
      ]);
      try {
        await waitFor(
          'cli-topic on the target',
          async () => (await recordCount(target, 'cli-topic', 1)) === 1,
          30_000,
        );
        await waitFor('a progress line', async () => /records\/s/.test(kt.stderr), 10_000);
        // --metrics-port 0 picks a free port; the log line says which. The scrape sees the copy.
        const url = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(kt.stderr)?.[1];
        expect(url, kt.stderr).toBeDefined();
        const scrape = await (await fetch(url!)).text();
        expect(scrape).toMatch(
          /^kt_mirror_copied_records_total\{source="dc1",target="dc2",topic="cli-topic",partition="1"\} 1$/m,
        );
        await waitFor(
          `a heartbeat (${kt.stderr})`,
          async () => (await fetchTopicMetadata(target, [HEARTBEATS_TOPIC])).topics.length > 0,
          10_000,
        );
      } finally {
        kt.child.kill('SIGTERM');
      }
      expect(await kt.closed).toBe(0);
      // The last checkpoint tick runs on stop: the group's offset translates to the target end (1).
      const checkpoints = await readCheckpoints(target, 'dc1');
      expect(checkpoints.at(-1)).toMatchObject({
        group: 'cli-group',
        topic: 'cli-topic',
        partition: 1,
        upstreamOffset: 1n,
        downstreamOffset: 1n,
      });
      const beats: Heartbeat[] = [];
      await readToEnd(target, HEARTBEATS_TOPIC, (k, v) => beats.push(decodeHeartbeat(k, v)));
      expect(beats[0]).toMatchObject({ sourceClusterAlias: 'dc1', targetClusterAlias: 'dc2' });
      const summary = JSON.parse(kt.stdout) as {
        records: number;
        topicsCreated: string[];
        partitions: { position: string }[];
      };
      expect(summary.records).toBe(1);
      expect(summary.topicsCreated).toEqual(['cli-topic']);
      expect(summary.partitions.map((p) => p.position).sort()).toEqual(['0', '1']);
      expectShape('mirror-run', summary);
      expect(kt.stderr).toMatch(/stopping/);
    }, 60_000);

    it('after kill -9 at random moments under load, restarts lose nothing; duplicates are re-copies of a contiguous range', async () => {
      const topic = 'crash-topic';
      await createTopics(source, { names: [topic], partitions: 2 });
      const produced = [0, 0];
      let producing = true;
      const load = (async () => {
        for (let n = 0; producing && n < 5000; n++) {
          const p = n % 2;
          const batch = Array.from({ length: 20 }, (_, i) => ({
            key: null,
            value: Buffer.from(`${p}:${produced[p]! + i}`),
          }));
          await producePartition(source, topic, p, batch, n % 3 === 0 ? 'lz4' : 'none');
          produced[p]! += 20;
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const args = [...runArgs(), '--source-alias', 'crash', '--topics', topic];
      for (let round = 0; round < 3; round++) {
        const { child, closed } = spawnKtDev(args, { quiet: true });
        // Let this run copy something first (the count grows past where the last run left it), then kill
        // it somewhere in the middle of its work.
        const copied = () => recordCount(target, `crash.${topic}`, 0);
        const before = await copied();
        await waitFor('this run copying', async () => (await copied()) > before, 30_000);
        await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 800)));
        child.kill('SIGKILL');
        await closed;
      }
      producing = false;
      await load;
      const { child, closed } = spawnKtDev(args, { quiet: true });
      try {
        for (const p of [0, 1]) {
          await waitFor(
            `crash.${topic}-${p} complete`,
            async () => {
              const values = new Set(
                (await readPartition(target, `crash.${topic}`, p)).records.map((r) => r.value),
              );
              return values.size === produced[p];
            },
            60_000,
          );
        }
      } finally {
        child.kill('SIGTERM');
        await closed;
      }
      for (const p of [0, 1]) {
        const values = (await readPartition(target, `crash.${topic}`, p)).records.map((r) =>
          Number(r.value!.split(':')[1]),
        );
        // Every source record is there; each duplicate run re-copies an earlier contiguous range, so the
        // sequence only ever steps +1 or jumps back (never skips forward).
        expect(new Set(values).size).toBe(produced[p]);
        for (let i = 1; i < values.length; i++) {
          if (values[i]! > values[i - 1]!) expect(values[i]).toBe(values[i - 1]! + 1);
        }
        expect(values[0]).toBe(0);
      }
    }, 180_000);

    it('--config FILE runs two flows (a→b and b→a, prefix renaming) in one process without a cycle', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kt-mirror-config-'));
      const file = join(dir, 'mirror.yaml');
      await writeFile(
        file,
        [
          'clusters:',
          `  alpha: { bootstrap: "${sourceBootstrap}" }`,
          `  beta: { bootstrap: "${targetBootstrap}" }`,
          'flows:',
          '  - { source: alpha, target: beta, topics: "ring-.*" }',
          "  - { source: beta, target: alpha, topics: 'ring-.*|alpha\\.ring-.*' }",
          'settings: { refreshIntervalS: 1, statsIntervalS: 1 }',
          '',
        ].join('\n'),
      );
      await createTopics(source, { names: ['ring-a'], partitions: 1 });
      await createTopics(target, { names: ['ring-b'], partitions: 1 });
      await producePartition(source, 'ring-a', 0, [{ key: null, value: Buffer.from('from-alpha') }]);
      await producePartition(target, 'ring-b', 0, [{ key: null, value: Buffer.from('from-beta') }]);
      const kt = spawnKtDev(['mirror', 'run', '--config', file, '-o', 'json']);
      const has = async (client: ClusterClient, topic: string) => (await recordCount(client, topic, 0)) === 1;
      try {
        await waitFor('alpha.ring-a on beta', () => has(target, 'alpha.ring-a'), 30_000).catch((error) => {
          throw new Error(`${(error as Error).message}; kt mirror run said: ${kt.stderr}`);
        });
        await waitFor('beta.ring-b on alpha', () => has(source, 'beta.ring-b'), 30_000);
        // Two more refreshes: the copies must not travel back (beta.alpha.ring-a would be a cycle).
        await waitFor(
          'two refreshes',
          async () => (kt.stderr.match(/\[beta->alpha\].*records\/s/g) ?? []).length >= 2,
        );
      } finally {
        kt.child.kill('SIGTERM');
      }
      expect(await kt.closed).toBe(0);
      expect((await fetchTopicMetadata(source, null)).topics.map((t) => t.name)).not.toContain(
        'alpha.beta.ring-b',
      );
      expect((await fetchTopicMetadata(source, null)).topics.map((t) => t.name)).not.toContain(
        'beta.alpha.ring-a',
      );
      const out = JSON.parse(kt.stdout) as { flows: { source: string; target: string; records: number }[] };
      expect(out.flows.map((f) => [f.source, f.target, f.records])).toEqual([
        ['alpha', 'beta', 1],
        ['beta', 'alpha', 1],
      ]);
      expectShape('mirror-run-flows', out);
      await rm(dir, { recursive: true, force: true });
    }, 60_000);

    it('rejects a --source that is neither a profile nor host:port with a usage error', async () => {
      const kt = spawnKtDev(['mirror', 'run', '--source', 'no-such-profile', '--target', '127.0.0.1:1'], {
        env: { KT_CONFIG: '/nonexistent/kt-config.yaml' },
      });
      expect(await kt.closed).toBe(2);
      expect(kt.stderr).toMatch(/--source "no-such-profile" is neither a profile nor host:port/);
    }, 30_000);
  },
  { kinds: ['embedded'] },
);
