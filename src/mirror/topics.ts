/**
 * Topic sync: discovers matching source topics, creates their target topics with the source's partition
 * count and topic-level configs (minus CONFIG_EXCLUDE), grows target partition counts (never shrinks),
 * and keeps the configs of existing target topics equal to the source's: keys overridden on the source
 * are SET on the target, keys overridden on the target but default on the source are DELETEd (like MM2's
 * incrementalAlterConfigs sync). Excluded keys are left alone on both paths, so the target's operators own
 * them. Returns every source partition to copy and what changed.
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { errorForCode } from '../errors/kafka.js';
import { KtError } from '../errors/kt-error.js';
import { createTopics } from '../ops/topics/create.js';
import { fetchTopicMetadata, waitForMetadata } from '../ops/topics/metadata.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import { CONFIG_EXCLUDE, type TopicPolicy } from './policy.js';

const DESCRIBE_CONFIGS = 32;
const CREATE_PARTITIONS = 37;
const INCREMENTAL_ALTER_CONFIGS = 44;
const RESOURCE_TOPIC = 2;
/** DescribeConfigs configSource: DYNAMIC_TOPIC_CONFIG (set on the topic itself). */
const SOURCE_TOPIC_CONFIG = 1;
const OP_SET = 0;
const OP_DELETE = 1;
/** Resources per DescribeConfigs/IncrementalAlterConfigs request: keeps responses modest with many topics. */
const RESOURCES_PER_REQUEST_MAX = 100;

export interface SourcePartition {
  topic: string;
  partition: number;
  targetTopic: string;
}

/** One target topic whose configs were brought in line with its source topic. */
export interface ConfigSyncChange {
  /** The target topic. */
  topic: string;
  /** Keys added or changed on the target, with the source's value. */
  set: Record<string, string>;
  /** Keys whose override was removed on the target (the source uses its default for them). */
  deleted: string[];
}

export interface TopicSyncResult {
  partitions: SourcePartition[];
  created: string[];
  grown: { topic: string; from: number; to: number }[];
  /** Config changes applied this refresh (empty when the configs already matched). */
  configsSynced: ConfigSyncChange[];
  /**
   * Target topics whose config sync was refused (e.g. a key the target's Kafka version does not know):
   * the rest of the refresh went on, and the next refresh tries again.
   */
  configErrors: { topic: string; message: string }[];
}

export interface TopicSyncOptions {
  /** Sync configs of existing target topics (default true). Creation always copies them. */
  syncConfigs?: boolean;
}

/** `mirror: synced config of T: k=v, k2=(default)` — the log line for one change, keys sorted. */
export function formatConfigSync(change: ConfigSyncChange): string {
  const parts = [
    ...Object.entries(change.set).map(([k, v]) => `${k}=${v}`),
    ...change.deleted.map((k) => `${k}=(default)`),
  ].sort();
  return `mirror: synced config of ${change.topic}: ${parts.join(', ')}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Described = { configs: Record<string, string> } | { errorCode: number; message: string };

/**
 * The mirrorable topic-level overrides of each topic: set on the topic itself (not inherited), not
 * read-only, not sensitive (their value is not readable) and not in CONFIG_EXCLUDE.
 */
async function describeOverrides(
  client: ClusterClient,
  topics: readonly string[],
): Promise<Map<string, Described>> {
  const out = new Map<string, Described>();
  for (const chunk of chunks(topics, RESOURCES_PER_REQUEST_MAX)) {
    const response = await client.send('any', DESCRIBE_CONFIGS, {
      resources: chunk.map((resourceName) => ({
        resourceType: RESOURCE_TOPIC,
        resourceName,
        configurationKeys: null,
      })),
      includeSynonyms: false,
      includeDocumentation: false,
    });
    for (const resource of response.results) {
      if (resource.errorCode !== ErrorCode.NONE) {
        const e = errorForCode(resource.errorCode);
        out.set(resource.resourceName, {
          errorCode: resource.errorCode,
          message: `${e.name}: ${resource.errorMessage ?? e.message}`,
        });
        continue;
      }
      const configs: Record<string, string> = {};
      for (const c of resource.configs) {
        if (c.configSource !== SOURCE_TOPIC_CONFIG || c.readOnly || c.isSensitive || c.value === null)
          continue;
        if (CONFIG_EXCLUDE.has(c.name)) continue;
        configs[c.name] = c.value;
      }
      out.set(resource.resourceName, { configs });
    }
  }
  return out;
}

/** The topic-level (non-default) configs of `topic` that follow it to the target. */
export async function mirroredConfigs(client: ClusterClient, topic: string): Promise<Record<string, string>> {
  const described = (await describeOverrides(client, [topic])).get(topic);
  return described && 'configs' in described ? described.configs : {};
}

/** What to change on the target so its mirrorable overrides equal the source's. */
export function configDiff(
  source: Readonly<Record<string, string>>,
  target: Readonly<Record<string, string>>,
): { set: Record<string, string>; deleted: string[] } {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (!CONFIG_EXCLUDE.has(k) && target[k] !== v) set[k] = v;
  const deleted = Object.keys(target).filter((k) => !CONFIG_EXCLUDE.has(k) && !(k in source));
  return { set, deleted };
}

/**
 * Brings the configs of existing target topics in line with their source topics. `pairs` maps source
 * topic → target topic. A topic gone on either side since the metadata read is skipped silently (the
 * next refresh sees it); other per-topic refusals are returned, never thrown, so one bad key does not
 * stop the mirror from picking up new topics.
 */
export async function syncTopicConfigs(
  source: ClusterClient,
  target: ClusterClient,
  pairs: ReadonlyMap<string, string>,
): Promise<Pick<TopicSyncResult, 'configsSynced' | 'configErrors'>> {
  const result: Pick<TopicSyncResult, 'configsSynced' | 'configErrors'> = {
    configsSynced: [],
    configErrors: [],
  };
  if (pairs.size === 0) return result;
  const sourceConfigs = await describeOverrides(source, [...pairs.keys()]);
  const targetConfigs = await describeOverrides(target, [...pairs.values()]);
  const pending: ConfigSyncChange[] = [];
  for (const [sourceTopic, targetTopic] of pairs) {
    const s = sourceConfigs.get(sourceTopic);
    const t = targetConfigs.get(targetTopic);
    if (s === undefined || t === undefined) continue;
    for (const [side, d] of [
      ['source', s],
      ['target', t],
    ] as const) {
      if ('errorCode' in d && d.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        result.configErrors.push({
          topic: targetTopic,
          message: `DescribeConfigs on the ${side}: ${d.message}`,
        });
    }
    if (!('configs' in s) || !('configs' in t)) continue;
    const diff = configDiff(s.configs, t.configs);
    if (Object.keys(diff.set).length > 0 || diff.deleted.length > 0)
      pending.push({ topic: targetTopic, ...diff });
  }
  for (const chunk of chunks(pending, RESOURCES_PER_REQUEST_MAX)) {
    const response = await target.send('any', INCREMENTAL_ALTER_CONFIGS, {
      resources: chunk.map((c) => ({
        resourceType: RESOURCE_TOPIC,
        resourceName: c.topic,
        configs: [
          ...Object.entries(c.set).map(([name, value]) => ({ name, configOperation: OP_SET, value })),
          ...c.deleted.map((name) => ({ name, configOperation: OP_DELETE, value: null })),
        ],
      })),
      validateOnly: false,
    });
    const codes = new Map(response.responses.map((r) => [r.resourceName, r]));
    for (const c of chunk) {
      const r = codes.get(c.topic);
      if (r === undefined) {
        result.configErrors.push({
          topic: c.topic,
          message: 'IncrementalAlterConfigs: no result for the topic',
        });
      } else if (r.errorCode === ErrorCode.NONE) {
        result.configsSynced.push(c);
      } else if (r.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
        const e = errorForCode(r.errorCode);
        result.configErrors.push({
          topic: c.topic,
          message: `IncrementalAlterConfigs: ${e.name}: ${r.errorMessage ?? e.message}`,
        });
      }
    }
  }
  return result;
}

export async function syncTopics(
  source: ClusterClient,
  target: ClusterClient,
  policy: TopicPolicy,
  options: TopicSyncOptions = {},
): Promise<TopicSyncResult> {
  const { topics } = await fetchTopicMetadata(source, null);
  const selected = topics.filter((t) => !t.internal && policy.matches(t.name));
  const result: TopicSyncResult = {
    partitions: [],
    created: [],
    grown: [],
    configsSynced: [],
    configErrors: [],
  };
  // Source topic → target topic, for the topics that existed on the target before this refresh.
  const existingPairs = new Map<string, string>();
  if (selected.length === 0) return result;
  const targetNames = selected.map((t) => policy.targetTopic(t.name));
  const existing = new Map((await fetchTopicMetadata(target, targetNames)).topics.map((t) => [t.name, t]));
  for (const t of selected) {
    const targetTopic = policy.targetTopic(t.name);
    const count = t.partitions.length;
    const there = existing.get(targetTopic);
    if (there) existingPairs.set(t.name, targetTopic);
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
      if (r && r.errorCode !== ErrorCode.NONE) {
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
  if (options.syncConfigs !== false) {
    const synced = await syncTopicConfigs(source, target, existingPairs);
    result.configsSynced = synced.configsSynced;
    result.configErrors = synced.configErrors;
  }
  return result;
}
