// The heartbeat extension against an embedded target: creates `heartbeats` (1 partition, compacted) on
// the first tick and writes one MM2 Heartbeat per tick, keyed by the flow, timestamped by the clock.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeHeartbeat, HEARTBEATS_TOPIC } from '../../src/mirror/formats.js';
import { heartbeatExtension } from '../../src/mirror/heartbeats.js';
import { readToEnd } from '../../src/mirror/internal-topics.js';
import { mirroredConfigs } from '../../src/mirror/topics.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import { ClusterClient } from '../../src/protocol/client/cluster.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../support/embedded.js';

let broker: EmbeddedBroker;
let target: ClusterClient;

beforeAll(async () => {
  broker = await startEmbeddedBroker();
  target = new ClusterClient({ bootstrapServers: [broker.bootstrap] });
  await target.connect();
});

afterAll(async () => {
  await target?.close();
  await broker?.close();
});

it('writes decodable, advancing heartbeats of the flow to a compacted 1-partition topic', async () => {
  let nowMs = 1_700_000_000_000;
  const ext = heartbeatExtension({ intervalMs: 250, now: () => nowMs })({
    target,
    sourceAlias: 'east',
    targetAlias: 'west',
  });
  expect(ext.name).toBe('heartbeats');
  expect(ext.intervalMs).toBe(250);
  expect(heartbeatExtension()({ target, sourceAlias: 'a', targetAlias: 'b' }).intervalMs).toBe(1_000);
  for (let i = 0; i < 3; i++) {
    await ext.tick();
    nowMs += 1_000;
  }
  const beats: { source: string; target: string; timestampMs: bigint }[] = [];
  await readToEnd(target, HEARTBEATS_TOPIC, (k, v) => {
    const h = decodeHeartbeat(k, v);
    beats.push({ source: h.sourceClusterAlias, target: h.targetClusterAlias, timestampMs: h.timestampMs });
  });
  expect(beats).toEqual(
    [0, 1, 2].map((i) => ({
      source: 'east',
      target: 'west',
      timestampMs: 1_700_000_000_000n + BigInt(i * 1000),
    })),
  );
  const meta = (await fetchTopicMetadata(target, [HEARTBEATS_TOPIC])).topics[0];
  expect(meta?.partitions.length).toBe(1);
  expect((await mirroredConfigs(target, HEARTBEATS_TOPIC))['cleanup.policy']).toBe('compact');
});
