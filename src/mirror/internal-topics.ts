/**
 * The mirror's single-partition compacted topics (offset syncs on the source, progress on the target):
 * creation, appending a batch of key/value records to partition 0, and reading partition 0 to its end.
 */
import { KtError } from '../cli/errors.js';
import { createTopics } from '../ops/topics/create.js';
import { fetchTopicMetadata } from '../ops/topics/metadata.js';
import { readBatchHeader } from '../protocol/batch-header.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import { errorForCode } from '../protocol/errors.js';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  isControlBatch,
  iterateBatches,
  type RecordInput,
} from '../protocol/record-batch.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
/** v13+ address topics by id. */
const VERSION_MAX_BY_NAME = 12;
const LATEST = -1n;
const EARLIEST = -2n;
const READ_BYTES_MAX = 4 * 1024 * 1024;

/** Creates `topic` (1 partition, compacted, broker-default replication) unless it exists. */
export async function ensureCompactedTopic(
  client: ClusterClient,
  topic: string,
  configs: Record<string, string> = {},
): Promise<void> {
  const { topics } = await fetchTopicMetadata(client, [topic]);
  if (topics.length > 0) return;
  await createTopics(client, {
    names: [topic],
    partitions: 1,
    configs: { 'cleanup.policy': 'compact', ...configs },
    ifNotExists: true,
  });
}

/** Appends records to partition 0 (acks=all); returns the base offset assigned. */
export async function appendRecords(
  client: ClusterClient,
  topic: string,
  records: readonly RecordInput[],
  timeoutMs = 30_000,
): Promise<bigint> {
  const batch = encodeRecordBatch(records);
  const leader = await client.partitionLeader(topic, 0);
  const conn = await client.connection({ nodeId: leader });
  const response = await conn.send(
    PRODUCE,
    {
      transactionalId: null,
      acks: -1,
      timeoutMs,
      topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
    },
    { version: Math.min(conn.versionFor(PRODUCE), VERSION_MAX_BY_NAME), timeoutMs: timeoutMs + 5_000 },
  );
  const r = response?.responses[0]?.partitionResponses[0];
  if (!r) throw new KtError('KT_KAFKA', `Produce to ${topic}: no answer for partition 0`);
  if (r.errorCode !== 0) {
    if (errorForCode(r.errorCode).retriable) client.invalidateLeaders(topic);
    const e = errorForCode(r.errorCode);
    throw new KtError('KT_KAFKA', `Produce to ${topic}: ${e.name}: ${e.message}`, { kafkaCode: r.errorCode });
  }
  return r.baseOffset;
}

/** Attempts of a ListOffsets that fails with a retriable error (a just-created topic has no leader yet). */
const LIST_OFFSETS_ATTEMPTS_MAX = 30;
const LIST_OFFSETS_BACKOFF_MS_MAX = 1_000;

/**
 * Earliest or latest offset of a partition (read_uncommitted). Retriable errors (NOT_LEADER_OR_FOLLOWER,
 * LEADER_NOT_AVAILABLE right after the topic was created) are retried with a bounded backoff.
 */
export async function partitionOffset(
  client: ClusterClient,
  topic: string,
  partition: number,
  which: 'earliest' | 'latest',
): Promise<bigint> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await partitionOffsetOnce(client, topic, partition, which);
    } catch (error) {
      const code = error instanceof KtError ? error.kafkaCode : undefined;
      const retriable = code !== undefined && errorForCode(code).retriable;
      if (!retriable || attempt >= LIST_OFFSETS_ATTEMPTS_MAX) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(50 * 2 ** attempt, LIST_OFFSETS_BACKOFF_MS_MAX)),
      );
    }
  }
}

async function partitionOffsetOnce(
  client: ClusterClient,
  topic: string,
  partition: number,
  which: 'earliest' | 'latest',
): Promise<bigint> {
  const response = await client.sendToLeader(topic, partition, LIST_OFFSETS, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [
      {
        name: topic,
        partitions: [
          {
            partitionIndex: partition,
            currentLeaderEpoch: -1,
            timestamp: which === 'earliest' ? EARLIEST : LATEST,
          },
        ],
      },
    ],
  });
  const p = response.topics[0]?.partitions[0];
  if (!p) throw new KtError('KT_KAFKA', `ListOffsets ${topic}-${partition}: no answer`);
  if (p.errorCode !== 0) {
    if (errorForCode(p.errorCode).retriable) client.invalidateLeaders(topic);
    const e = errorForCode(p.errorCode);
    throw new KtError('KT_KAFKA', `ListOffsets ${topic}-${partition}: ${e.name}: ${e.message}`, {
      kafkaCode: p.errorCode,
    });
  }
  return p.offset;
}

/**
 * Reads partition `partition` of `topic` from its start to the end it had when the read began, calling
 * `onRecord` for every data record in offset order.
 */
export async function readToEnd(
  client: ClusterClient,
  topic: string,
  onRecord: (key: Uint8Array | null, value: Uint8Array | null, offset: bigint) => void,
  partition = 0,
): Promise<void> {
  const end = await partitionOffset(client, topic, partition, 'latest');
  let next = await partitionOffset(client, topic, partition, 'earliest');
  while (next < end) {
    const leader = await client.partitionLeader(topic, partition);
    const conn = await client.connection({ nodeId: leader });
    const response = await conn.send(
      FETCH,
      {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: READ_BYTES_MAX,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic,
            partitions: [
              {
                partition,
                currentLeaderEpoch: -1,
                fetchOffset: next,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: READ_BYTES_MAX,
              },
            ],
          },
        ],
      },
      { version: Math.min(conn.versionFor(FETCH), VERSION_MAX_BY_NAME) },
    );
    const p = response.responses[0]?.partitions[0];
    if (!p) throw new KtError('KT_KAFKA', `Fetch ${topic}-${partition}: no answer`);
    if (p.errorCode !== 0) {
      const e = errorForCode(p.errorCode);
      throw new KtError('KT_KAFKA', `Fetch ${topic}-${partition}: ${e.name}: ${e.message}`, {
        kafkaCode: p.errorCode,
      });
    }
    const before = next;
    for (const batch of iterateBatches(p.records ?? new Uint8Array(0))) {
      const header = readBatchHeader(batch);
      const last = header.baseOffset + BigInt(header.lastOffsetDelta);
      if (last < next) continue;
      if (!isControlBatch(header)) {
        for (const r of decodeRecordBatch(batch).records) {
          if (r.offset >= next && r.offset < end) onRecord(r.key, r.value, r.offset);
        }
      }
      next = last + 1n;
    }
    if (next === before) {
      throw new KtError('KT_KAFKA', `Fetch ${topic}-${partition} at ${next}: no progress below end ${end}`);
    }
  }
}
