/**
 * The mirror's single-partition compacted topics (offset syncs on the source, progress on the target):
 * creation, appending a batch of key/value records to partition 0, and reading partition 0 to its end
 * (raw or through a decoder).
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { errorForCode } from '../errors/kafka.js';
import { KtError } from '../errors/kt-error.js';
import { createTopics } from '../ops/topics/create.js';
import { fetchTopicMetadata } from '../ops/topics/metadata.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import { DecodeError } from '../protocol/decode-error.js';
import { encodeRecordBatch, type RecordInput } from '../protocol/record-batch.js';
import { listOffset, readRecords } from './record-reader.js';

const PRODUCE = 0;
/** v13+ address topics by id. */
const VERSION_MAX_BY_NAME = 12;

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
  if (r.errorCode !== ErrorCode.NONE) {
    if (errorForCode(r.errorCode).retriable) client.invalidateLeaders(topic);
    const e = errorForCode(r.errorCode);
    throw new KtError('KT_KAFKA', `Produce to ${topic}: ${e.name}: ${e.message}`, { kafkaCode: r.errorCode });
  }
  return r.baseOffset;
}

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
  const offset = await listOffset(client, topic, partition, which);
  // Only a timestamp lookup may find no offset; a broker answering -1 here is broken.
  if (offset === null) throw new KtError('KT_KAFKA', `ListOffsets ${topic}-${partition}: no ${which} offset`);
  return offset;
}

/**
 * Reads partition `partition` of `topic` (read_uncommitted, control batches skipped) from its start to
 * the end it had when the read began, calling `onRecord` for every data record in offset order (with its
 * timestamp, ms: checkpoint and progress ages need it). The
 * whole range must be read: a read that stops short is an error, not a partial state.
 */
export async function readToEnd(
  client: ClusterClient,
  topic: string,
  onRecord: (key: Uint8Array | null, value: Uint8Array | null, offset: bigint, timestamp: bigint) => void,
  partition = 0,
): Promise<void> {
  const endOffset = await partitionOffset(client, topic, partition, 'latest');
  const fromOffset = await partitionOffset(client, topic, partition, 'earliest');
  const { nextOffset } = await readRecords(
    client,
    topic,
    partition,
    { fromOffset, endOffset, isolation: 'read_uncommitted' },
    (r) => onRecord(r.key, r.value, r.offset, r.timestamp),
  );
  if (nextOffset < endOffset) {
    throw new KtError(
      'KT_KAFKA',
      `Fetch ${topic}-${partition} at ${nextOffset}: no progress below end ${endOffset}`,
    );
  }
}

/**
 * readToEnd of an internal topic through `decode`: every record it parses, with its timestamp (ms), in
 * log order. Returns how many did not parse (a DecodeError: a record of another layout, skipped and
 * counted as MM2's readers skip them); any other error is thrown.
 */
export async function readDecoded<T>(
  client: ClusterClient,
  topic: string,
  decode: (key: Uint8Array | null, value: Uint8Array | null) => T,
  onItem: (item: T, timestampMs: number) => void,
): Promise<number> {
  let unreadable = 0;
  await readToEnd(client, topic, (k, v, _offset, timestamp) => {
    let item: T;
    try {
      item = decode(k, v);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      unreadable++;
      return;
    }
    onItem(item, Number(timestamp));
  });
  return unreadable;
}
