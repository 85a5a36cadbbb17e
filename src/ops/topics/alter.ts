/**
 * `kt topics alter NAME`: add partitions (CreatePartitions) and set or delete topic configs
 * (IncrementalAlterConfigs, so other overrides stay). Both are validated by the broker (validateOnly)
 * before either is applied; --dry-run stops there.
 *
 * JSON shape (stable):
 *   { "dryRun": boolean, "topic": string,
 *     "partitions": { "before": number, "after": number } | null,
 *     "configs": [ { "name": string, "op": "set"|"delete", "before": string|null, "after": string|null } ] }
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError, usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';
import { alterConfigs, type ConfigChange } from '../configs/alter.js';
import { checkTopicNames } from './input.js';
import { selectTopics, waitForMetadata } from './metadata.js';

export interface AlterTopicInput {
  name: string;
  partitions?: number;
  /** Broker ids per new partition (kafka-topics.sh --replica-assignment for the added partitions). */
  replicaAssignment?: number[][];
  setConfigs?: Record<string, string>;
  deleteConfigs?: readonly string[];
  dryRun?: boolean;
  /** A missing topic is not an error: nothing is altered (kafka-topics.sh --alter --if-exists). */
  ifExists?: boolean;
}

export interface AlterTopicResult {
  dryRun: boolean;
  topic: string;
  partitions: { before: number; after: number } | null;
  configs: Array<{ name: string; op: 'set' | 'delete'; before: string | null; after: string | null }>;
}

export async function alterTopic(client: ClusterClient, input: AlterTopicInput): Promise<AlterTopicResult> {
  checkTopicNames([input.name], 'alter topic');
  const sets = Object.entries(input.setConfigs ?? {});
  const deletes = input.deleteConfigs ?? [];
  if (input.partitions === undefined && sets.length === 0 && deletes.length === 0) {
    throw usageError('Nothing to alter: give --partitions, --config or --delete-config');
  }
  const [topic] = await selectTopics(client, { names: [input.name], ifExists: input.ifExists ?? false });
  if (!topic) return { dryRun: input.dryRun === true, topic: input.name, partitions: null, configs: [] };
  const before = topic.partitions.length;
  if (input.partitions !== undefined) {
    if (!Number.isInteger(input.partitions) || input.partitions < 1) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Cannot alter topic "${input.name}": partition count must be >= 1: current value is ${input.partitions}`,
      );
    }
    if (input.partitions <= before) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Cannot alter topic "${input.name}": partitions can only be added: it has ${before}, asked for ${input.partitions}`,
      );
    }
  }
  const changes: ConfigChange[] = [
    ...sets.map(([name, value]) => ({ name, op: 'set' as const, value })),
    ...deletes.map((name) => ({ name, op: 'delete' as const, value: null })),
  ];
  const createPartitions = (validateOnly: boolean) =>
    client.send('controller', 37, {
      topics: [
        {
          name: input.name,
          count: input.partitions!,
          assignments: input.replicaAssignment
            ? input.replicaAssignment.map((brokerIds) => ({ brokerIds }))
            : null,
        },
      ],
      timeoutMs: 30_000,
      validateOnly,
    });
  const checkPartitions = (response: Awaited<ReturnType<typeof createPartitions>>) => {
    const r = response.results[0];
    if (r && r.errorCode !== ErrorCode.NONE)
      throw kafkaError(r.errorCode, r.errorMessage, `Cannot alter topic "${input.name}"`);
  };
  // Validate both halves before applying either.
  if (input.partitions !== undefined) checkPartitions(await createPartitions(true));
  const resource = { type: 'topic' as const, name: input.name };
  let configResult =
    changes.length > 0 ? await alterConfigs(client, { resource, changes, dryRun: true }) : undefined;
  if (!input.dryRun) {
    if (input.partitions !== undefined) {
      checkPartitions(await createPartitions(false));
      await waitForMetadata(
        client,
        [input.name],
        (topics) => (topics[0]?.partitions.length ?? 0) >= input.partitions!,
      );
    }
    if (changes.length > 0) configResult = await alterConfigs(client, { resource, changes, dryRun: false });
  }
  return {
    dryRun: input.dryRun === true,
    topic: input.name,
    partitions: input.partitions === undefined ? null : { before, after: input.partitions },
    configs: (configResult?.changes ?? []).map((c) => ({
      name: c.name,
      op: c.op as 'set' | 'delete',
      before: c.before,
      after: c.after,
    })),
  };
}
