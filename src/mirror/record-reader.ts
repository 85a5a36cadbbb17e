/**
 * Reads one partition in offset order with Fetch through the protocol client, a chunk at a time (only one
 * fetch response is held): the single Fetch loop behind `kt mirror verify`'s hashing, the internal
 * topics' readToEnd, failover's reads and the tests' readPartition. readBatches hands raw batches,
 * readRecords the data records in them.
 *
 * read_committed skips what the mirror itself never copies: control batches (transaction markers) and
 * the batches of aborted transactions (the Fetch's aborted-transaction list, as a Java consumer does).
 * Offsets: ListOffsets with an isolation level (read_committed: the last stable offset) or a timestamp.
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { errorForCode } from '../errors/kafka.js';
import { KtError } from '../errors/kt-error.js';
import {
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  type BatchHeader,
  readBatchHeader,
} from '../protocol/batch-header.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import {
  type DecodedRecord,
  decodeControlRecord,
  decodeRecordBatch,
  iterateBatches,
} from '../protocol/record-batch.js';

const FETCH = 1;
const LIST_OFFSETS = 2;
/** v13+ address topics by id. */
const FETCH_VERSION_MAX = 12;
const EARLIEST = -2n;
const LATEST = -1n;
/** A just-created topic answers NOT_LEADER_OR_FOLLOWER / LEADER_NOT_AVAILABLE for a while: ~26 s of backoff. */
const ATTEMPTS_MAX = 30;
const BACKOFF_MS_MAX = 1_000;

export type Isolation = 'read_committed' | 'read_uncommitted';

const isolationLevel = (isolation: Isolation): number => (isolation === 'read_committed' ? 1 : 0);

/** A Kafka error from a partition response, as a KtError carrying the code (retriable ones are retried). */
function partitionError(what: string, code: number): KtError {
  const e = errorForCode(code);
  return new KtError('KT_KAFKA', `${what}: ${e.name}: ${e.message}`, { kafkaCode: code });
}

function isRetriable(error: unknown): boolean {
  const code = error instanceof KtError ? error.kafkaCode : (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && errorForCode(code).retriable;
}

/** Runs `attempt` again (bounded, with backoff) while it fails with a retriable Kafka error. */
async function retrying<T>(client: ClusterClient, topic: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetriable(error) || n >= ATTEMPTS_MAX) throw error;
      client.invalidateLeaders(topic);
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** n, BACKOFF_MS_MAX)));
    }
  }
}

/**
 * ListOffsets for one partition: 'earliest', 'latest' (the high watermark, or the last stable offset
 * under read_committed) or a timestamp (the first offset whose timestamp is ≥ it; null when none is).
 */
export async function listOffset(
  client: ClusterClient,
  topic: string,
  partition: number,
  at: 'earliest' | 'latest' | { timestampMs: bigint },
  isolation: Isolation = 'read_uncommitted',
): Promise<bigint | null> {
  const timestamp = at === 'earliest' ? EARLIEST : at === 'latest' ? LATEST : at.timestampMs;
  return retrying(client, topic, async () => {
    const response = await client.sendToLeader(topic, partition, LIST_OFFSETS, {
      replicaId: -1,
      isolationLevel: isolationLevel(isolation),
      timeoutMs: 30_000,
      topics: [
        { name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] },
      ],
    });
    const p = response.topics[0]?.partitions[0];
    if (!p) throw new KtError('KT_KAFKA', `ListOffsets ${topic}-${partition}: no answer`);
    if (p.errorCode !== ErrorCode.NONE)
      throw partitionError(`ListOffsets ${topic}-${partition}`, p.errorCode);
    return p.offset < 0n ? null : p.offset;
  });
}

export interface ReadBatchesOptions {
  /** First offset wanted. */
  fromOffset: bigint;
  /** Offset to stop before (exclusive). */
  endOffset: bigint;
  /** Default read_committed. */
  isolation?: Isolation;
  /** Bytes asked for per Fetch (the chunk size). Default 4 MiB. */
  fetchBytesMax?: number;
  signal?: AbortSignal;
}

/**
 * What a batch is to a reader: 'control' (a transaction marker), 'aborted' (a transactional batch whose
 * transaction the Fetch's aborted-transaction list says was aborted; only under read_committed) or 'data'.
 */
export type BatchKind = 'data' | 'control' | 'aborted';

/** One Fetch of `topic`-`partition` at `offset` (retriable errors retried); the partition's answer. */
async function fetchAt(
  client: ClusterClient,
  topic: string,
  partition: number,
  offset: bigint,
  isolation: Isolation,
  bytesMax: number,
) {
  const what = `Fetch ${topic}-${partition}`;
  return retrying(client, topic, async () => {
    const leader = await client.partitionLeader(topic, partition);
    const conn = await client.connection({ nodeId: leader });
    const response = await conn.send(
      FETCH,
      {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: bytesMax,
        isolationLevel: isolationLevel(isolation),
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic,
            partitions: [
              {
                partition,
                currentLeaderEpoch: -1,
                fetchOffset: offset,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: bytesMax,
              },
            ],
          },
        ],
      },
      { version: Math.min(conn.versionFor(FETCH), FETCH_VERSION_MAX) },
    );
    const answer = response.responses[0]?.partitions[0];
    if (!answer) throw new KtError('KT_KAFKA', `${what}: no answer`);
    if (answer.errorCode !== ErrorCode.NONE) throw partitionError(`${what} at ${offset}`, answer.errorCode);
    return answer;
  });
}

/**
 * The one Fetch loop of the mirror: hands every batch that holds an offset in [fromOffset, endOffset) to
 * `onBatch`, in offset order, a Fetch response at a time (only one is held). A batch may begin before
 * fromOffset or end after endOffset: filter records by offset. Batches are views into the response.
 * Returns the offset after the last batch handed; it is below endOffset when the partition had nothing
 * more to give there (a read_committed read at an open transaction, or a log that shrank).
 */
export async function readBatches(
  client: ClusterClient,
  topic: string,
  partition: number,
  options: ReadBatchesOptions,
  onBatch: (batch: Uint8Array, header: BatchHeader, kind: BatchKind) => void,
): Promise<bigint> {
  const isolation = options.isolation ?? 'read_committed';
  const bytesMax = options.fetchBytesMax ?? 4 * 1024 * 1024;
  let nextOffset = options.fromOffset;
  /** Producers whose aborted transaction started at or before the current batch (read_committed). */
  const abortedProducers = new Set<bigint>();
  while (nextOffset < options.endOffset) {
    if (options.signal?.aborted) throw new KtError('KT_IO', `Fetch ${topic}-${partition}: stopped`);
    const at = nextOffset;
    const p = await fetchAt(client, topic, partition, at, isolation, bytesMax);
    const pending = [...(p.abortedTransactions ?? [])].sort((a, b) =>
      a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
    );
    for (const batch of iterateBatches(p.records ?? new Uint8Array(0))) {
      const header = readBatchHeader(batch);
      const last = header.baseOffset + BigInt(header.lastOffsetDelta);
      if (last < nextOffset) continue;
      while (pending.length > 0 && pending[0]!.firstOffset <= last) {
        abortedProducers.add(pending.shift()!.producerId);
      }
      if ((header.attributes & ATTR_CONTROL) !== 0) {
        // An abort marker ends its producer's aborted transaction.
        if (abortedProducers.has(header.producerId)) {
          const first = decodeRecordBatch(batch).records[0];
          if (first && decodeControlRecord(first).type === 'abort')
            abortedProducers.delete(header.producerId);
        }
        onBatch(batch, header, 'control');
      } else if ((header.attributes & ATTR_TRANSACTIONAL) !== 0 && abortedProducers.has(header.producerId)) {
        onBatch(batch, header, 'aborted');
      } else {
        onBatch(batch, header, 'data');
      }
      nextOffset = last + 1n;
      if (nextOffset >= options.endOffset) break;
    }
    // Nothing readable at `at` below the end: an open transaction (read_committed stops at the last
    // stable offset) or a log that shrank; the caller sees where the read stopped.
    if (nextOffset === at) break;
  }
  return nextOffset;
}

export type ReadRecordsOptions = ReadBatchesOptions;

export interface ReadRecordsResult {
  records: number;
  /** The offset after the last one looked at (below endOffset when the read stopped early). */
  nextOffset: bigint;
  skippedControl: number;
  skippedAborted: number;
}

/**
 * Calls `onRecord` for every data record with fromOffset ≤ offset < endOffset, in offset order, skipping
 * control batches and (read_committed, the default) aborted ones. Records passed are views into the
 * fetch response: hash or copy them inside the callback. Stops early (no error) when the partition has
 * nothing more below endOffset to give (see readBatches); `nextOffset` says where.
 */
export async function readRecords(
  client: ClusterClient,
  topic: string,
  partition: number,
  options: ReadRecordsOptions,
  onRecord: (record: DecodedRecord) => void,
): Promise<ReadRecordsResult> {
  const result: ReadRecordsResult = {
    records: 0,
    nextOffset: options.fromOffset,
    skippedControl: 0,
    skippedAborted: 0,
  };
  result.nextOffset = await readBatches(client, topic, partition, options, (batch, header, kind) => {
    if (kind === 'control') result.skippedControl++;
    else if (kind === 'aborted') result.skippedAborted += header.recordCount;
    else if (header.recordCount > 0) {
      for (const r of decodeRecordBatch(batch).records) {
        if (r.offset < options.fromOffset || r.offset >= options.endOffset) continue;
        onRecord(r);
        result.records++;
      }
    }
  });
  return result;
}
