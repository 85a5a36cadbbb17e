// Seeing the mirror work: runMirror with the metrics collector, the Prometheus endpoint, the live view
// and heartbeats, then `kt mirror status` as a process. embedded → embedded and real → real (two Apache
// Kafka instances from the harness; skipped without Java), the same scenario on both.
import { request } from 'node:http';
import { expect, it } from 'vitest';
import { errorForCode } from '../../src/errors/kafka.js';
import { KtError } from '../../src/errors/kt-error.js';
import { checkpointExtension } from '../../src/mirror/checkpoints.js';
import { decodeHeartbeat, HEARTBEATS_TOPIC } from '../../src/mirror/formats.js';
import { heartbeatExtension } from '../../src/mirror/heartbeats.js';
import { readToEnd } from '../../src/mirror/internal-topics.js';
import { LiveView, type LiveViewStream } from '../../src/mirror/live-view.js';
import { MirrorMetrics } from '../../src/mirror/metrics.js';
import { startMetricsServer } from '../../src/mirror/prometheus.js';
import { listOffset } from '../../src/mirror/record-reader.js';
import { type MirrorSummary, runMirror } from '../../src/mirror/run.js';
import { mirroredConfigs } from '../../src/mirror/topics.js';
import { commitOffsets } from '../../src/ops/groups/coordinator.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { runKt } from '../cli/run-kt.js';
import { producePartition, records } from '../mirror/flows.js';
import { waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs, type MirrorPair, uniqueNames } from '../mirror/pairs.js';
import { parsePrometheusText, sampleValue } from '../mirror/prometheus-text.js';
import { shapeOf } from './topics-shapes.js';

/** `kt mirror status` as a process (the built binary; npm test builds first). */
function ktStatus(args: string[]) {
  return runKt(['mirror', 'status', ...args], { env: { KT_CONFIG: '/nonexistent/kt-config.yaml' } });
}

function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString('utf8'))
          : reject(new Error(`GET ${url}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

class CapturedTty implements LiveViewStream {
  readonly isTTY = true;
  readonly columns = 200;
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

const COUNTS = [30, 20, 7];

/** Runs `fn` again (30 times at most, 200 ms apart) while it fails with a retriable Kafka error. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = error instanceof KtError ? error.kafkaCode : undefined;
      if (attempt >= 30 || code === undefined || !errorForCode(code).retriable) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function scenario(c: MirrorPair): Promise<void> {
  const { id, east, west, name } = uniqueNames();
  const topic = name('observed');
  await createTopics(c.source, { names: [topic], partitions: COUNTS.length });
  for (const [p, n] of COUNTS.entries()) {
    await producePartition(c.source, topic, p, records(n, `p${p}`), p === 1 ? 'gzip' : 'none');
  }

  // A source group with a committed offset: the checkpoint extension translates it while the mirror runs.
  const group = `observer-${id}`;
  // A freshly started real Kafka may answer NOT_COORDINATOR for a while (offsets topic loading).
  await retrying(() => commitOffsets(c.source, group, [{ topic, partition: 0, offset: 10n }]));

  const stop = new AbortController();
  const metrics = new MirrorMetrics();
  const server = await startMetricsServer(metrics, { port: 0, signal: stop.signal });
  const tty = new CapturedTty();
  const live = new LiveView(metrics, tty, { intervalMs: 100, env: { NO_COLOR: '1' } });
  let failure: unknown;
  const run: Promise<MirrorSummary> = runMirror({
    source: c.source,
    target: c.target,
    sourceAlias: east,
    targetAlias: west,
    rename: 'prefix',
    topics: topic,
    signal: stop.signal,
    fetchWaitMs: 100,
    progressIntervalMs: 100,
    refreshIntervalMs: 500,
    log: (line) => live.log(line),
    extensions: [
      metrics.extension,
      metrics.withCheckpoints(
        checkpointExtension({ groups: group, intervalMs: 200, syncGroupOffsets: false }),
      ),
      heartbeatExtension({ intervalMs: 200 }),
      live.extension,
    ],
  });
  run.catch((error: unknown) => {
    failure = error;
  });

  // Scrape until every record is counted and no partition lags.
  const labels = (p: number) => ({ source: east, target: west, topic, partition: String(p) });
  let families = parsePrometheusText(await scrape(server.url));
  await waitFor(
    'copied counts and zero lag on /metrics',
    async () => {
      if (failure) throw failure;
      families = parsePrometheusText(await scrape(server.url));
      return (
        COUNTS.every(
          (n, p) =>
            sampleValue(families, 'kt_mirror_copied_records_total', labels(p)) === n &&
            sampleValue(families, 'kt_mirror_lag_records', labels(p)) === 0,
        ) &&
        // A checkpoint tick after the copy: the group's offset 10 translates with nothing ahead.
        sampleValue(families, 'kt_mirror_checkpoint_ahead_records', { ...labels(0), group }) === 0
      );
    },
    40_000,
  );
  for (const [n, p] of COUNTS.map((n, p) => [n, p] as const)) {
    expect(sampleValue(families, 'kt_mirror_lag_seconds', labels(p))).toBe(0);
    expect(sampleValue(families, 'kt_mirror_source_position_offset', labels(p))).toBe(n);
    expect(sampleValue(families, 'kt_mirror_copied_bytes_total', labels(p))).toBeGreaterThan(0);
    // Records created a minute ago: the latency summary saw them, and counts acknowledgements.
    expect(sampleValue(families, 'kt_mirror_replication_latency_seconds_count', labels(p))).toBeGreaterThan(
      0,
    );
    expect(
      sampleValue(families, 'kt_mirror_replication_latency_seconds', { ...labels(p), quantile: '0.99' }),
    ).toBeGreaterThan(0);
  }
  expect(sampleValue(families, 'kt_mirror_partitions', { source: east, target: west })).toBe(COUNTS.length);
  // Only partition 0 has a group offset, so only it has a checkpoint age.
  expect(sampleValue(families, 'kt_mirror_checkpoint_age_seconds', labels(0))).toBeGreaterThanOrEqual(0);
  expect(sampleValue(families, 'kt_mirror_checkpoint_age_seconds', labels(1))).toBeUndefined();

  // Heartbeats on the target: MM2 format, the flow's aliases, advancing timestamps.
  const beats = async () => {
    const out: bigint[] = [];
    await readToEnd(c.target, HEARTBEATS_TOPIC, (k, v) => {
      const h = decodeHeartbeat(k, v);
      if (h.sourceClusterAlias === east && h.targetClusterAlias === west) out.push(h.timestampMs);
    });
    return out;
  };
  await waitFor('three heartbeats', async () => (await beats()).length >= 3, 20_000);
  const seen = await beats();
  for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  const meta = (await fetchTopicMetadata(c.target, [HEARTBEATS_TOPIC])).topics[0];
  expect(meta?.partitions.length).toBe(1);
  expect((await mirroredConfigs(c.target, HEARTBEATS_TOPIC))['cleanup.policy']).toBe('compact');

  stop.abort();
  const summary = await run;
  expect(summary.records).toBe(COUNTS.reduce((a, b) => a + b, 0));
  // The metrics server closed with the mirror.
  await expect(scrape(server.url)).rejects.toThrow(/ECONNREFUSED/);
  // The live view drew the partitions (its last table stays on the terminal).
  const lastTable = tty.text.slice(tty.text.lastIndexOf(`${east} → ${west}: `));
  expect(lastTable).toMatch(new RegExp(`^${east} → ${west}: ${COUNTS.length} partitions, lag 0 \\(0\\), `));
  for (const p of COUNTS.keys()) expect(lastTable).toMatch(new RegExp(`\\n${topic}-${p} +0 +0 `));

  // kt mirror status as a process: positions equal the source ends, lag 0, the newest heartbeat.
  const result = await ktStatus([
    '--target',
    c.targetBootstrap,
    '--source',
    c.sourceBootstrap,
    '--source-alias',
    east,
    '-o',
    'json',
  ]);
  // Data on stdout only; stderr is shown when the exit code is wrong (a runtime warning there is no failure).
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/error/i);
  const status = JSON.parse(result.stdout);
  expect(status.source).toEqual({ checked: true, reachable: true, error: null });
  expect(status.totals).toMatchObject({
    partitions: COUNTS.length,
    lagRecords: 0,
    skippedRecords: 0,
    checkpoints: 1,
  });
  // The checkpoint as MM2 keys it (target topic), source offset 10 → target offset 10 (a fresh target).
  expect(status.checkpoints).toEqual([
    {
      group,
      topic: `${east}.${topic}`,
      partition: 0,
      upstreamOffset: 10,
      downstreamOffset: 10,
      atMs: expect.any(Number),
      ageSeconds: expect.any(Number),
    },
  ]);
  for (const [p, n] of COUNTS.entries()) {
    const end = await listOffset(c.source, topic, p, 'latest');
    expect(status.partitions[p]).toMatchObject({
      topic,
      partition: p,
      position: Number(end),
      sourceEnd: n,
      lagRecords: 0,
    });
  }
  const newest = (await beats()).reduce((a, b) => (b > a ? b : a));
  expect(status.heartbeats).toEqual([
    { sourceAlias: east, targetAlias: west, timestampMs: Number(newest), ageSeconds: expect.any(Number) },
  ]);
  expect(shapeOf(status)).toEqual({
    sourceAlias: 'string',
    atMs: 'number',
    topics: { progress: 'string', checkpoints: 'string', heartbeats: 'string' },
    source: { checked: 'boolean', reachable: 'boolean', error: 'null' },
    totals: {
      partitions: 'number',
      lagRecords: 'number',
      progressAgeSecondsMax: 'number',
      newestHeartbeatAgeSeconds: 'number',
      checkpoints: 'number',
      skippedRecords: 'number',
    },
    partitions: [
      {
        topic: 'string',
        partition: 'number',
        position: 'number',
        progressAtMs: 'number',
        progressAgeSeconds: 'number',
        sourceEnd: 'number',
        lagRecords: 'number',
      },
    ],
    checkpoints: [
      {
        group: 'string',
        topic: 'string',
        partition: 'number',
        upstreamOffset: 'number',
        downstreamOffset: 'number',
        atMs: 'number',
        ageSeconds: 'number',
      },
    ],
    heartbeats: [
      { sourceAlias: 'string', targetAlias: 'string', timestampMs: 'number', ageSeconds: 'number' },
    ],
  });

  // An unreachable source is reported, not fatal; the text form says so.
  const down = await ktStatus([
    '--target',
    c.targetBootstrap,
    '--source',
    '127.0.0.1:1',
    '--source-timeout',
    '2',
    '--source-alias',
    east,
  ]);
  expect(down.code, down.stderr).toBe(0);
  expect(down.stdout).toMatch(
    new RegExp(`^Mirror from ${east}: ${COUNTS.length} partitions, source unreachable: `),
  );
  expect(down.stdout).toMatch(new RegExp(`\\n${topic} +0 +30 +- +- `));
  expect(down.stdout).toMatch(new RegExp(`\\n${group} +${east}\\.${topic} +0 +10 +10 `));

  // A source alias that never ran: a KT_NOT_FOUND error, exit 1.
  const none = await ktStatus(['--target', c.targetBootstrap, '--source-alias', `nobody${id}`]);
  expect(none.code).toBe(1);
  expect(none.stderr).toMatch(/no mirror from source alias/);
}

describeMirrorPairs(
  'kt mirror observability',
  (pair, kind) => {
    it(
      'metrics, Prometheus scrape, live view, heartbeats and kt mirror status agree with what was copied',
      () => scenario(pair()),
      kind === 'real' ? 120_000 : 90_000,
    );
  },
  { kinds: ['embedded', 'real'] },
);
