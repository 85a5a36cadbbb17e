// Mirror topic-config sync between two clusters: embedded → embedded and real → real (two harness
// instances; skipped without Java). After creation, changes on the source (set, change, delete an
// override) reach the target through syncTopics; excluded keys are never copied and never removed from
// the target; a second sync with nothing changed changes nothing; partition increases still follow.
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { TopicPolicy } from '../../src/mirror/policy.js';
import { formatConfigSync, mirroredConfigs, syncTopics } from '../../src/mirror/topics.js';
import { alterConfigs } from '../../src/ops/configs/alter.js';
import { describeResourceConfigs } from '../../src/ops/configs/describe.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import { waitFor } from '../mirror/helpers.js';
import { describeMirrorPairs, type MirrorPair, uniqueNames } from '../mirror/pairs.js';

const setConfigs = (client: ClusterClient, topic: string, set: Record<string, string>, del: string[] = []) =>
  alterConfigs(client, {
    resource: { type: 'topic', name: topic },
    changes: [
      ...Object.entries(set).map(([name, value]) => ({ name, op: 'set' as const, value })),
      ...del.map((name) => ({ name, op: 'delete' as const, value: null })),
    ],
  });

/** The topic's own overrides, excluded keys included (mirroredConfigs leaves those out). */
async function ownOverrides(client: ClusterClient, topic: string): Promise<Record<string, string | null>> {
  const { configs } = await describeResourceConfigs(client, { type: 'topic', name: topic });
  return Object.fromEntries(
    configs.filter((c) => c.source === 'dynamic-topic').map((c) => [c.name, c.value]),
  );
}

async function scenario({ source, target }: MirrorPair): Promise<void> {
  const { east, west, name } = uniqueNames();
  const topic = name('cfg');
  const remote = `${east}.${topic}`;
  const policy = new TopicPolicy({ topics: topic, sourceAlias: east, targetAlias: west, rename: 'prefix' });
  await createTopics(source, {
    names: [topic],
    partitions: 1,
    configs: { 'retention.ms': '86400000', 'segment.bytes': '1048576', 'min.insync.replicas': '1' },
  });

  const first = await syncTopics(source, target, policy);
  expect(first.created).toEqual([remote]);
  expect(first.configsSynced).toEqual([]);
  expect(await mirroredConfigs(target, remote)).toEqual({
    'retention.ms': '86400000',
    'segment.bytes': '1048576',
  });
  expect(await ownOverrides(target, remote)).not.toHaveProperty('min.insync.replicas');
  // The target's operators own excluded keys: one set on the target survives every sync, even when
  // the source has no override for it.
  await setConfigs(target, remote, { 'min.insync.replicas': '1' });

  // Change one override, add one, delete two (one excluded); set an excluded key on the source.
  await setConfigs(
    source,
    topic,
    { 'retention.ms': '3600000', 'cleanup.policy': 'compact', 'message.timestamp.type': 'LogAppendTime' },
    ['segment.bytes', 'min.insync.replicas'],
  );
  const second = await syncTopics(source, target, policy);
  expect(second.configErrors).toEqual([]);
  expect(second.configsSynced).toEqual([
    {
      topic: remote,
      set: { 'retention.ms': '3600000', 'cleanup.policy': 'compact' },
      deleted: ['segment.bytes'],
    },
  ]);
  expect(formatConfigSync(second.configsSynced[0]!)).toBe(
    `mirror: synced config of ${remote}: cleanup.policy=compact, retention.ms=3600000, segment.bytes=(default)`,
  );
  const expected = { 'retention.ms': '3600000', 'cleanup.policy': 'compact' };
  // A broker applies an alter once it reaches its metadata, a moment after the response.
  await waitFor('target configs', async () =>
    isDeepStrictEqual(await mirroredConfigs(target, remote), expected),
  );
  const own = await ownOverrides(target, remote);
  expect(own).not.toHaveProperty('message.timestamp.type');
  expect(own).not.toHaveProperty('segment.bytes');
  expect(own['min.insync.replicas']).toBe('1');

  // Nothing changed on the source: nothing to apply.
  const third = await syncTopics(source, target, policy);
  expect(third.configsSynced).toEqual([]);
  expect(third.configErrors).toEqual([]);

  // Partition increases still follow, next to the config sync.
  await source.send('controller', 37, {
    topics: [{ name: topic, count: 3, assignments: null }],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  await waitFor(
    '3 source partitions',
    async () => (await fetchTopicMetadata(source, [topic])).topics[0]?.partitions.length === 3,
  );
  const fourth = await syncTopics(source, target, policy);
  expect(fourth.grown).toEqual([{ topic: remote, from: 1, to: 3 }]);
  expect((await fetchTopicMetadata(target, [remote])).topics[0]?.partitions.length).toBe(3);
  expect(fourth.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);

  // With config sync off, a source change is not applied.
  await setConfigs(source, topic, { 'retention.ms': '7200000' });
  const off = await syncTopics(source, target, policy, { syncConfigs: false });
  expect(off.configsSynced).toEqual([]);
  expect((await mirroredConfigs(target, remote))['retention.ms']).toBe('3600000');
}

describeMirrorPairs(
  'mirror config sync',
  (pair, kind) => {
    it(
      'sets changed and added keys, deletes removed overrides, never touches excluded keys',
      () => scenario(pair()),
      kind === 'real' ? 120_000 : 60_000,
    );
  },
  { kinds: ['embedded', 'real'] },
);
