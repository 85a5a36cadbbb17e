/**
 * `kt topics create`: all-or-nothing creation of one or more topics. Names, partition counts and
 * replication factors are checked locally, then the whole set is sent with validateOnly (the broker checks
 * configs, assignments and its own limits); only when every topic passes is the real CreateTopics sent.
 * Afterwards it waits (bounded) until every new partition has a leader, so the next command can use them.
 *
 * JSON shape (stable):
 *   { "dryRun": boolean,
 *     "topics": [ { "name": string, "partitions": number|null, "replicationFactor": number|null,
 *                   "configs": { [name]: string },
 *                   "status": "created"|"validated"|"exists" } ] }
 * "validated": --dry-run passed; "exists": --if-not-exists and the topic was already there. partitions and
 * replicationFactor are null when the broker default applies and the broker did not say (CreateTopics < v5).
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError, usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';
import { checkTopicNames } from './input.js';
import { waitForMetadata } from './metadata.js';

export interface CreateTopicsInput {
  names: readonly string[];
  /** Omitted: the broker's num.partitions (or the assignment's length). */
  partitions?: number;
  /** Omitted: the broker's default.replication.factor. */
  replicationFactor?: number;
  configs?: Record<string, string>;
  /** Partition i -> broker ids; excludes partitions/replicationFactor. */
  replicaAssignment?: number[][];
  ifNotExists?: boolean;
  dryRun?: boolean;
  timeoutMs?: number;
}

export type CreateStatus = 'created' | 'validated' | 'exists';

export interface CreatedTopic {
  name: string;
  partitions: number | null;
  replicationFactor: number | null;
  configs: Record<string, string>;
  status: CreateStatus;
}

export function checkCreateInput(input: CreateTopicsInput, brokerCount: number): void {
  if (input.names.length === 0) throw usageError('Name at least one topic to create');
  const dup = input.names.find((n, i) => input.names.indexOf(n) !== i);
  if (dup !== undefined) throw usageError(`Topic "${dup}" is named twice`);
  checkTopicNames(input.names, 'create topic');
  if (input.replicaAssignment && (input.partitions !== undefined || input.replicationFactor !== undefined)) {
    throw usageError(
      '--replica-assignment replaces --partitions and --replication-factor: give one or the other',
    );
  }
  if (input.partitions !== undefined && (!Number.isInteger(input.partitions) || input.partitions < 1)) {
    throw new KtError(
      'KT_INVALID_INPUT',
      `Cannot create topics: partition count must be >= 1: current value is ${input.partitions}`,
    );
  }
  const rf = input.replicationFactor;
  if (rf !== undefined) {
    if (!Number.isInteger(rf) || rf < 1 || rf > 32767) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Cannot create topics: replication factor must be between 1 and 32767: current value is ${rf}`,
      );
    }
    if (brokerCount > 0 && rf > brokerCount) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Cannot create topics: replication factor ${rf} is larger than the ${brokerCount} available broker${brokerCount === 1 ? '' : 's'}`,
      );
    }
  }
}

export async function createTopics(
  client: ClusterClient,
  input: CreateTopicsInput,
): Promise<{ dryRun: boolean; topics: CreatedTopic[] }> {
  checkCreateInput(input, client.brokers.size);
  const configs = input.configs ?? {};
  const request = (names: readonly string[], validateOnly: boolean) => ({
    topics: names.map((name) => ({
      name,
      numPartitions: input.replicaAssignment ? -1 : (input.partitions ?? -1),
      replicationFactor: input.replicaAssignment ? -1 : (input.replicationFactor ?? -1),
      assignments: (input.replicaAssignment ?? []).map((brokerIds, partitionIndex) => ({
        partitionIndex,
        brokerIds,
      })),
      configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
    })),
    timeoutMs: input.timeoutMs ?? 30_000,
    validateOnly,
  });

  // Pass 1: validate the whole set; any failure creates nothing.
  const validation = await client.send('controller', 19, request(input.names, true));
  const existing = new Set<string>();
  const failures: string[] = [];
  let firstCode = 0;
  const shape = new Map<string, { partitions: number | null; replicationFactor: number | null }>();
  for (const r of validation.topics) {
    if (r.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS && input.ifNotExists) {
      existing.add(r.name);
      continue;
    }
    if (r.errorCode !== ErrorCode.NONE) {
      if (firstCode === 0) firstCode = r.errorCode;
      failures.push(kafkaError(r.errorCode, r.errorMessage, `"${r.name}"`).message);
      continue;
    }
    shape.set(r.name, {
      partitions:
        r.numPartitions >= 0
          ? r.numPartitions
          : (input.replicaAssignment?.length ?? input.partitions ?? null),
      replicationFactor:
        r.replicationFactor >= 0
          ? r.replicationFactor
          : (input.replicaAssignment?.[0]?.length ?? input.replicationFactor ?? null),
    });
  }
  if (failures.length > 0) {
    const error = kafkaError(firstCode, null, 'x');
    throw new KtError(error.code, `Cannot create topics (nothing was created): ${failures.join('; ')}`, {
      kafkaCode: firstCode,
    });
  }
  const toCreate = input.names.filter((n) => !existing.has(n));
  const result = (name: string, status: CreateStatus): CreatedTopic => ({
    name,
    partitions: shape.get(name)?.partitions ?? null,
    replicationFactor: shape.get(name)?.replicationFactor ?? null,
    configs: { ...configs },
    status,
  });
  if (input.dryRun) {
    return {
      dryRun: true,
      topics: input.names.map((n) =>
        existing.has(n) ? { ...result(n, 'exists'), configs: {} } : result(n, 'validated'),
      ),
    };
  }

  // Pass 2: create. A topic created concurrently since pass 1 is reported, not silently skipped.
  if (toCreate.length > 0) {
    const created = await client.send('controller', 19, request(toCreate, false));
    const errors = created.topics.filter(
      (r) =>
        r.errorCode !== ErrorCode.NONE &&
        !(r.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS && input.ifNotExists),
    );
    if (errors.length > 0) {
      const e = errors[0]!;
      throw new KtError(
        kafkaError(e.errorCode, null, 'x').code,
        `Cannot create topics: ${errors.map((r) => kafkaError(r.errorCode, r.errorMessage, `"${r.name}"`).message).join('; ')}`,
        { kafkaCode: e.errorCode },
      );
    }
    await waitForMetadata(
      client,
      toCreate,
      (topics, missing) =>
        missing.length === 0 &&
        topics.length === toCreate.length &&
        topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)),
    );
  }
  return {
    dryRun: false,
    topics: input.names.map((n) =>
      existing.has(n) ? { ...result(n, 'exists'), configs: {} } : result(n, 'created'),
    ),
  };
}
