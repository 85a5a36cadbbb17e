// `kt mirror run` as a process: profiles/bootstrap resolution, live log lines, SIGTERM flushes and exits 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import { producePartition, readPartition, waitFor } from '../mirror/helpers.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../support/embedded.js';

const KT_DEV = fileURLToPath(new URL('../../bin/dev.js', import.meta.url));

let brokers: EmbeddedBroker[] = [];
let source: ClusterClient;
let target: ClusterClient;

beforeAll(async () => {
  brokers = [await startEmbeddedBroker(), await startEmbeddedBroker()];
  source = new ClusterClient({ bootstrapServers: [brokers[0]!.bootstrap] });
  target = new ClusterClient({ bootstrapServers: [brokers[1]!.bootstrap] });
  await source.connect();
  await target.connect();
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  for (const b of brokers) await b.close();
});

describe('kt mirror run (process) [embedded → embedded]', () => {
  it('copies, logs progress on stderr, and on SIGTERM flushes and prints a JSON summary', async () => {
    await createTopics(source, { names: ['cli-topic'], partitions: 2 });
    await producePartition(
      source,
      'cli-topic',
      1,
      [{ key: Buffer.from('k'), value: Buffer.from('v') }],
      'gzip',
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        KT_DEV,
        'mirror',
        'run',
        '--source',
        brokers[0]!.bootstrap,
        '--target',
        brokers[1]!.bootstrap,
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
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor(
        'cli-topic on the target',
        async () => {
          const { topics } = await fetchTopicMetadata(target, ['cli-topic']);
          if (topics.length === 0) return false;
          return (await readPartition(target, 'cli-topic', 1)).records.length === 1;
        },
        30_000,
      );
      await waitFor('a progress line', async () => /records\/s/.test(stderr), 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await closed).toBe(0);
    const summary = JSON.parse(stdout) as {
      records: number;
      topicsCreated: string[];
      partitions: { position: string }[];
    };
    expect(summary.records).toBe(1);
    expect(summary.topicsCreated).toEqual(['cli-topic']);
    expect(summary.partitions.map((p) => p.position).sort()).toEqual(['0', '1']);
    expect(stderr).toMatch(/stopping/);
  }, 60_000);

  it('rejects a --source that is neither a profile nor host:port with a usage error', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', KT_DEV, 'mirror', 'run', '--source', 'no-such-profile', '--target', '127.0.0.1:1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', KT_CONFIG: '/nonexistent/kt-config.yaml' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--source "no-such-profile" is neither a profile nor host:port/);
  }, 30_000);
});
