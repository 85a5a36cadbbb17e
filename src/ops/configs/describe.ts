/**
 * DescribeConfigs through the protocol client, for a topic, a broker or the cluster-wide broker defaults,
 * with each config's source and synonyms (where a value comes from: a topic override, a dynamic broker
 * value, the cluster default, server.properties or the built-in default).
 *
 * JSON shape of one resource (stable; `kt configs describe` prints `{ "resources": [this] }`):
 *   { "type": "topic"|"broker"|"broker-defaults", "name": string,
 *     "configs": [ { "name": string, "value": string|null, "source": ConfigSourceName,
 *                    "readOnly": boolean, "sensitive": boolean,
 *                    "synonyms": [ { "name": string, "value": string|null, "source": ConfigSourceName } ] } ] }
 * Sensitive values are null. Configs are sorted by name.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';

export type ResourceKind = 'topic' | 'broker' | 'broker-defaults';

export interface ConfigResource {
  type: ResourceKind;
  /** Topic name, broker id, or '' for the broker defaults. */
  name: string;
}

/** Kafka's ConfigResource.Type codes. */
export const RESOURCE_TYPE: Record<ResourceKind, number> = { topic: 2, broker: 4, 'broker-defaults': 4 };

export const CONFIG_SOURCES = [
  'unknown',
  'dynamic-topic',
  'dynamic-broker',
  'dynamic-broker-default',
  'static-broker',
  'default',
  'dynamic-broker-logger',
  'client-metrics',
  'group',
] as const;
export type ConfigSourceName = (typeof CONFIG_SOURCES)[number];

export function sourceName(code: number): ConfigSourceName {
  return CONFIG_SOURCES[code] ?? 'unknown';
}

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: ConfigSourceName;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: ConfigSourceName;
  readOnly: boolean;
  sensitive: boolean;
  synonyms: ConfigSynonym[];
}

export interface DescribedResource extends ConfigResource {
  configs: ConfigEntry[];
}

/** Where a resource's DescribeConfigs must go: broker configs to that broker, the rest to any broker. */
function target(resource: ConfigResource): { nodeId: number } | 'any' {
  return resource.type === 'broker' ? { nodeId: Number(resource.name) } : 'any';
}

export function resourceLabel(resource: ConfigResource): string {
  if (resource.type === 'broker-defaults') return 'the broker defaults';
  return `${resource.type} "${resource.name}"`;
}

/** Describes one resource's configs (all of them, with synonyms). */
export async function describeResourceConfigs(
  client: ClusterClient,
  resource: ConfigResource,
  keys: readonly string[] | null = null,
): Promise<DescribedResource> {
  const response = await client.send(target(resource), 32, {
    resources: [
      {
        resourceType: RESOURCE_TYPE[resource.type],
        resourceName: resource.name,
        configurationKeys: keys === null ? null : [...keys],
      },
    ],
    includeSynonyms: true,
    includeDocumentation: false,
  });
  const result = response.results[0];
  if (!result) throw kafkaError(-1, 'no result in the DescribeConfigs response', resourceLabel(resource));
  if (result.errorCode !== ErrorCode.NONE)
    throw kafkaError(result.errorCode, result.errorMessage, resourceLabel(resource));
  const configs = result.configs
    .map((c) => ({
      name: c.name,
      value: c.isSensitive ? null : c.value,
      source: sourceName(c.configSource),
      readOnly: c.readOnly,
      sensitive: c.isSensitive,
      synonyms: c.synonyms.map((s) => ({
        name: s.name,
        value: c.isSensitive ? null : s.value,
        source: sourceName(s.source),
      })),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...resource, configs };
}

/** Topic configs whose source is not the built-in default (what kafka-topics.sh --describe prints). */
export async function topicOverrides(
  client: ClusterClient,
  topics: readonly string[],
): Promise<Map<string, Record<string, string | null>>> {
  const out = new Map<string, Record<string, string | null>>();
  if (topics.length === 0) return out;
  const response = await client.send('any', 32, {
    resources: topics.map((name) => ({ resourceType: 2, resourceName: name, configurationKeys: null })),
    includeSynonyms: false,
    includeDocumentation: false,
  });
  for (const result of response.results) {
    if (result.errorCode !== ErrorCode.NONE)
      throw kafkaError(result.errorCode, result.errorMessage, `topic "${result.resourceName}"`);
    const configs: Record<string, string | null> = {};
    const entries = result.configs
      .filter((c) => c.configSource !== 5 && c.configSource !== -1)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of entries) configs[c.name] = c.isSensitive ? null : c.value;
    out.set(result.resourceName, configs);
  }
  return out;
}
