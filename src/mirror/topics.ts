/**
 * Topic sync: discovers matching source topics, creates their target topics with the source's partition
 * count and topic-level configs (minus CONFIG_EXCLUDE), and grows target partition counts (never
 * shrinks). Returns every source partition to copy.
 */
import { KtError } from '../cli/errors.js';
import { createTopics } from '../ops/topics/create.js';
import { fetchTopicMetadata, waitForMetadata } from '../ops/topics/metadata.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import { errorForCode } from '../protocol/errors.js';
import { CONFIG_EXCLUDE, type TopicPolicy } from './policy.js';

const DESCRIBE_CONFIGS = 32;
const CREATE_PARTITIONS = 37;
const RESOURCE_TOPIC = 2;
/** DescribeConfigs configSource: DYNAMIC_TOPIC_CONFIG (set on the topic itself). */
const SOURCE_TOPIC_CONFIG = 1;

export interface SourcePartition {
  topic: string;
  partition: number;
  targetTopic: string;
}

export interface TopicSyncResult {
  partitions: SourcePartition[];
  created: string[];
  grown: { topic: string; from: number; to: number }[];
}

/** The topic-level (non-default) configs of `topic` that follow it to the target. */
export async function mirroredConfigs(client: ClusterClient, topic: string): Promise<Record<string, string>> {
  const response = await client.send('any', DESCRIBE_CONFIGS, {
    resources: [{ resourceType: RESOURCE_TOPIC, resourceName: topic, configurationKeys: null }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const resource = response.results[0];
  if (resource?.errorCode !== 0) return {};
  const configs: Record<string, string> = {};
  for (const c of resource.configs) {
    if (c.configSource !== SOURCE_TOPIC_CONFIG || c.readOnly || c.isSensitive || c.value === null) continue;
    if (CONFIG_EXCLUDE.has(c.name)) continue;
    configs[c.name] = c.value;
  }
  return configs;
}

export async function syncTopics(
  source: ClusterClient,
  target: ClusterClient,
  policy: TopicPolicy,
): Promise<TopicSyncResult> {
  const { topics } = await fetchTopicMetadata(source, null);
  const selected = topics.filter((t) => !t.internal && policy.matches(t.name));
  const result: TopicSyncResult = { partitions: [], created: [], grown: [] };
  if (selected.length === 0) return result;
  const targetNames = selected.map((t) => policy.targetTopic(t.name));
  const existing = new Map((await fetchTopicMetadata(target, targetNames)).topics.map((t) => [t.name, t]));
  for (const t of selected) {
    const targetTopic = policy.targetTopic(t.name);
    const count = t.partitions.length;
    const there = existing.get(targetTopic);
    if (!there) {
      await createTopics(target, {
        names: [targetTopic],
        partitions: count,
        configs: await mirroredConfigs(source, t.name),
        ifNotExists: true,
      });
      result.created.push(targetTopic);
    } else if (there.partitions.length < count) {
      const response = await target.send('controller', CREATE_PARTITIONS, {
        topics: [{ name: targetTopic, count, assignments: null }],
        timeoutMs: 30_000,
        validateOnly: false,
      });
      const r = response.results[0];
      if (r && r.errorCode !== 0) {
        const e = errorForCode(r.errorCode);
        throw new KtError(
          'KT_KAFKA',
          `CreatePartitions ${targetTopic} to ${count}: ${e.name}: ${r.errorMessage ?? e.message}`,
        );
      }
      await waitForMetadata(target, [targetTopic], (ts) =>
        ts.some(
          (x) =>
            x.name === targetTopic &&
            x.partitions.length >= count &&
            x.partitions.every((q) => q.leader >= 0),
        ),
      );
      result.grown.push({ topic: targetTopic, from: there.partitions.length, to: count });
    }
    for (const p of t.partitions)
      result.partitions.push({ topic: t.name, partition: p.partition, targetTopic });
  }
  return result;
}
