// kt mirror run, embedded → embedded: two startBroker instances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MirrorSummary, runMirror } from '../../src/mirror/run.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import type { RecordInput } from '../../src/protocol/record-batch.js';
import { producePartition, readOffsetSyncs, readPartition, translate, waitFor } from '../mirror/helpers.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../support/embedded.js';

let sourceBroker: EmbeddedBroker;
let targetBroker: EmbeddedBroker;
let source: ClusterClient;
let target: ClusterClient;

beforeAll(async () => {
  sourceBroker = await startEmbeddedBroker();
  targetBroker = await startEmbeddedBroker();
  source = new ClusterClient({ bootstrapServers: [sourceBroker.bootstrap] });
  target = new ClusterClient({ bootstrapServers: [targetBroker.bootstrap] });
  await source.connect();
  await target.connect();
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  await sourceBroker?.close();
  await targetBroker?.close();
});

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
      timestamp: 1_600_000_000_000n + BigInt(i) * 1000n,
    };
  });
}

/** A failure of a running mirror, surfaced by the next wait instead of as an unhandled rejection. */
let runFailure: unknown;

function start(signal: AbortSignal, lines: string[]): Promise<MirrorSummary> {
  const run = runMirror({
    source,
    target,
    sourceAlias: 'east',
    targetAlias: 'west',
    rename: 'prefix',
    topics: 'orders|payments',
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

async function expectMirrored(topic: string, partitions: number): Promise<void> {
  for (let p = 0; p < partitions; p++) {
    const src = await readPartition(source, topic, p);
    await waitFor(`east.${topic}-${p}`, async () => {
      if (runFailure) throw runFailure;
      return (await readPartition(target, `east.${topic}`, p)).records.length >= src.records.length;
    });
    const dst = await readPartition(target, `east.${topic}`, p);
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

describe('kt mirror run [embedded → embedded]', () => {
  it('copies records byte for byte, follows new topics and partitions, resumes after a restart, writes exact offset syncs', async () => {
    await createTopics(source, { names: ['orders'], partitions: 3, configs: { 'retention.ms': '86400000' } });
    await createTopics(source, { names: ['ignored'], partitions: 1 });
    await producePartition(source, 'orders', 0, records(5, 'gz'), 'gzip');
    await producePartition(source, 'orders', 0, records(3, 'plain'));
    await producePartition(source, 'orders', 1, records(4, 'lz4'), 'lz4');
    await producePartition(source, 'orders', 2, records(2, 'zstd'), 'zstd');
    await producePartition(source, 'ignored', 0, records(1, 'x'));

    const lines: string[] = [];
    const first = new AbortController();
    const running = start(first.signal, lines);
    await expectMirrored('orders', 3);
    const targetTopics = (await fetchTopicMetadata(target, null)).topics.map((t) => t.name);
    expect(targetTopics).toContain('east.orders');
    expect(targetTopics).not.toContain('east.ignored');
    expect(targetTopics).not.toContain('ignored');

    // A new topic and a partition increase on the source are picked up by the refresh.
    await createTopics(source, { names: ['payments'], partitions: 2 });
    await producePartition(source, 'payments', 1, records(3, 'pay'), 'snappy');
    await source.send('controller', 37, {
      topics: [{ name: 'orders', count: 4, assignments: null }],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    await waitFor(
      'orders-3 on the source',
      async () => (await fetchTopicMetadata(source, ['orders'])).topics[0]?.partitions.length === 4,
    );
    await producePartition(source, 'orders', 3, records(2, 'new-partition'));
    await expectMirrored('payments', 2);
    await waitFor(
      'east.orders has 4 partitions',
      async () => (await fetchTopicMetadata(target, ['east.orders'])).topics[0]?.partitions.length === 4,
    );
    await expectMirrored('orders', 4);
    first.abort();
    const summary = await running;
    expect(summary.records).toBe(5 + 3 + 4 + 2 + 3 + 2);
    expect(summary.batches.rebuilt).toBe(0);
    expect(summary.topicsCreated).toEqual(['east.orders', 'east.payments']);
    expect(lines.some((l) => /records\/s/.test(l))).toBe(true);

    // Restart: records produced while stopped arrive once, nothing is copied twice.
    await producePartition(source, 'orders', 0, records(4, 'after-restart'), 'gzip');
    await producePartition(source, 'payments', 0, records(2, 'after-restart'));
    const second = new AbortController();
    const again = start(second.signal, []);
    await expectMirrored('orders', 4);
    await expectMirrored('payments', 2);
    second.abort();
    const summary2 = await again;
    expect(summary2.records).toBe(6);
    expect(summary2.topicsCreated).toEqual([]);

    // Offset syncs: MM2 format on the source; every source record translates to its copy on the target.
    const syncs = await readOffsetSyncs(source, 'west');
    expect(syncs.length).toBeGreaterThan(0);
    for (const [topic, partitions] of [
      ['orders', 4],
      ['payments', 2],
    ] as const) {
      for (let p = 0; p < partitions; p++) {
        const src = await readPartition(source, topic, p);
        const dst = await readPartition(target, `east.${topic}`, p);
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
        .filter((s) => s.topic === 'orders' && s.partition === 0)
        .map((s) => [s.upstreamOffset, s.downstreamOffset]),
    ).toEqual([
      [0n, 0n],
      [8n, 8n],
    ]);
  }, 60_000);
});
