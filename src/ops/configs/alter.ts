/**
 * `kt configs alter`: incremental config changes (IncrementalAlterConfigs, KIP-339) of a topic, a broker
 * or the broker defaults: set, delete (back to the inherited value), append to and subtract from list
 * configs. Unlike the whole-set AlterConfigs kafkajs offers, other overrides are left alone.
 *
 * The broker validates first (validateOnly) and --dry-run stops there, reporting before → after as
 * predicted from the current configs and their synonyms. Otherwise the change is applied and `after` is
 * read back (waiting, bounded, for the change to show in the broker's metadata).
 *
 * JSON shape (stable):
 *   { "dryRun": boolean, "resource": { "type": "topic"|"broker"|"broker-defaults", "name": string },
 *     "changes": [ { "name": string, "op": "set"|"delete"|"append"|"subtract", "value": string|null,
 *                    "before": string|null, "after": string|null } ] }
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { delay, kafkaError } from '../cluster/connect.js';
import {
  type ConfigEntry,
  type ConfigResource,
  type ConfigSourceName,
  describeResourceConfigs,
  RESOURCE_TYPE,
  resourceLabel,
} from './describe.js';

export type ConfigOp = 'set' | 'delete' | 'append' | 'subtract';
const OP_CODE: Record<ConfigOp, number> = { set: 0, delete: 1, append: 2, subtract: 3 };

export interface ConfigChange {
  name: string;
  op: ConfigOp;
  /** null for delete. For append/subtract: one value or several joined by ",". */
  value: string | null;
}

export interface ConfigChangeResult extends ConfigChange {
  before: string | null;
  after: string | null;
}

export interface AlterConfigsInput {
  resource: ConfigResource;
  changes: readonly ConfigChange[];
  dryRun?: boolean;
}

export interface AlterConfigsResult {
  dryRun: boolean;
  resource: ConfigResource;
  changes: ConfigChangeResult[];
}

/** The source a resource's own (overriding) value has; a delete falls back to the next synonym. */
const OWN_SOURCE: Record<ConfigResource['type'], ConfigSourceName> = {
  topic: 'dynamic-topic',
  broker: 'dynamic-broker',
  'broker-defaults': 'dynamic-broker-default',
};

function splitList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The value a change leads to, from the entry as described now. */
export function predictAfter(
  entry: ConfigEntry | undefined,
  change: ConfigChange,
  own: ConfigSourceName,
): string | null {
  const current = entry?.value ?? null;
  switch (change.op) {
    case 'set':
      return change.value;
    case 'delete': {
      if (entry && entry.source !== own) return current; // nothing to delete: the value stays
      const inherited = entry?.synonyms.find((s) => s.source !== own);
      return inherited ? inSameUnit(change.name, inherited.name, inherited.value) : null;
    }
    case 'append': {
      const list = splitList(current);
      for (const v of splitList(change.value)) if (!list.includes(v)) list.push(v);
      return list.join(',');
    }
    case 'subtract': {
      const drop = new Set(splitList(change.value));
      return splitList(current)
        .filter((v) => !drop.has(v))
        .join(',');
    }
  }
}

/**
 * A synonym's value in the unit of the config it stands in for: topic time configs (retention.ms) inherit
 * from broker configs in hours or minutes (log.retention.hours).
 */
function inSameUnit(name: string, synonym: string, value: string | null): string | null {
  if (value === null || !name.endsWith('.ms') || !/^-?\d+$/.test(value)) return value;
  const n = BigInt(value);
  if (n < 0n) return value;
  if (synonym.endsWith('.hours')) return String(n * 3_600_000n);
  if (synonym.endsWith('.minutes')) return String(n * 60_000n);
  return value;
}

function target(resource: ConfigResource): { nodeId: number } | 'any' {
  return resource.type === 'broker' ? { nodeId: Number(resource.name) } : 'any';
}

export async function alterConfigs(
  client: ClusterClient,
  input: AlterConfigsInput,
): Promise<AlterConfigsResult> {
  const { resource, changes } = input;
  if (changes.length === 0)
    throw usageError('Nothing to alter: give --set, --delete, --append or --subtract');
  const seen = new Set<string>();
  for (const c of changes) {
    if (seen.has(c.name)) throw usageError(`Config ${c.name} is changed twice in one call`);
    seen.add(c.name);
  }
  const label = resourceLabel(resource);
  const current = await describeResourceConfigs(client, resource);
  const byName = new Map(current.configs.map((c) => [c.name, c]));
  const own = OWN_SOURCE[resource.type];
  const send = async (validateOnly: boolean) => {
    const response = await client.send(target(resource), 44, {
      resources: [
        {
          resourceType: RESOURCE_TYPE[resource.type],
          resourceName: resource.name,
          configs: changes.map((c) => ({ name: c.name, configOperation: OP_CODE[c.op], value: c.value })),
        },
      ],
      validateOnly,
    });
    const r = response.responses[0];
    if (r && r.errorCode !== ErrorCode.NONE)
      throw kafkaError(r.errorCode, r.errorMessage, `Cannot alter configs of ${label}`);
  };
  await send(true);
  const predicted = changes.map((c) => ({
    ...c,
    before: byName.get(c.name)?.value ?? null,
    after: predictAfter(byName.get(c.name), c, own),
  }));
  if (input.dryRun)
    return { dryRun: true, resource: { type: resource.type, name: resource.name }, changes: predicted };
  await send(false);
  // Read back: brokers apply the change once it reaches their metadata, a moment after the response.
  let after = await describeResourceConfigs(client, resource);
  const deadline = Date.now() + 5_000;
  const matches = (d: typeof after) =>
    predicted.every((p) => (d.configs.find((c) => c.name === p.name)?.value ?? null) === p.after);
  while (!matches(after) && Date.now() < deadline) {
    await delay(100);
    after = await describeResourceConfigs(client, resource);
  }
  return {
    dryRun: false,
    resource: { type: resource.type, name: resource.name },
    changes: predicted.map((p) => ({
      ...p,
      after: after.configs.find((c) => c.name === p.name)?.value ?? p.after,
    })),
  };
}
