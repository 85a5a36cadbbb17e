/**
 * Fetch: v4-12
 *
 * Behavior (Kafka's ReplicaManager.fetchMessages/readFromLocalLog and DelayedFetch):
 * - Partitions are read in request order. Each gets min(partitionMaxBytes, what is left of maxBytes);
 *   only whole batches are returned, and the first partition with data gets at least one whole batch even
 *   when it is larger than both limits (KIP-74); later partitions get nothing rather than an oversized
 *   batch.
 * - Consumers read up to the high watermark; read_committed up to the last stable offset, which equals
 *   the high watermark without transactions. abortedTransactions is null for read_uncommitted and an
 *   empty list for read_committed, as Kafka sends them.
 * - Long polling: the answer is immediate when maxWaitMs <= 0, minBytes is reached, or any partition has
 *   an error; otherwise the request parks (fetch-wait.ts) until a requested partition gets data (then it
 *   re-reads and re-checks minBytes) or maxWaitMs passes. Other connections are served meanwhile; a
 *   closing broker wakes parked fetches.
 * - Errors per partition: UNKNOWN_TOPIC_OR_PARTITION; OFFSET_OUT_OF_RANGE outside [logStart, logEnd];
 *   ErrorCode.FENCED_LEADER_EPOCH / ErrorCode.UNKNOWN_LEADER_EPOCH for a currentLeaderEpoch (v9+) older / newer than ours.
 *   An error partition reports -1 for its offsets, like Kafka.
 * - Incremental fetch sessions (KIP-227) are declined: sessionId 0 and full responses every time; a
 *   request that is incremental (session epoch > 0) gets ErrorCode.FETCH_SESSION_ID_NOT_FOUND (we never hand one out).
 * - preferredReadReplica (v11+) is -1: read from the leader.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import type { FetchResponsePartitionData } from '../../protocol/apis/types.generated.js';
import { waitForData } from '../fetch-wait.js';
import { defineHandler } from '../handler.js';
import { logErrorCode, type Partition } from '../partition.js';

const READ_COMMITTED = 1;
const EMPTY = new Uint8Array(0);

interface Wanted {
  topic: string;
  partitionIndex: number;
  partition: Partition | undefined;
  fetchOffset: bigint;
  currentLeaderEpoch: number;
  partitionMaxBytes: number;
}

interface ReadPass {
  partitions: FetchResponsePartitionData[];
  bytes: number;
  anyError: boolean;
}

export const fetchHandler = defineHandler({
  apiKey: 1,
  async handle(request, { broker }) {
    // Epoch 0 (new session) and -1 (sessionless / closing one) are full fetches whatever the id says;
    // only an incremental fetch (epoch > 0) needs the session, which we never created (FetchManager).
    if (request.sessionId !== 0 && request.sessionEpoch > 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
        nodeEndpoints: [],
      };
    }
    const committed = request.isolationLevel === READ_COMMITTED;
    const wanted: Wanted[] = [];
    for (const topic of request.topics) {
      for (const p of topic.partitions) {
        wanted.push({
          topic: topic.topic,
          partitionIndex: p.partition,
          partition: undefined,
          fetchOffset: p.fetchOffset,
          currentLeaderEpoch: p.currentLeaderEpoch,
          partitionMaxBytes: p.partitionMaxBytes,
        });
      }
    }
    const deadline = Date.now() + request.maxWaitMs;
    let pass: ReadPass;
    for (;;) {
      // Partitions are looked up on every pass: a topic may be created or deleted while the fetch waits.
      pass = readAll(wanted, request.maxBytes, committed, (w) =>
        broker.topics.partition(w.topic, w.partitionIndex),
      );
      const remainingMs = deadline - Date.now();
      if (
        request.maxWaitMs <= 0 ||
        wanted.length === 0 ||
        pass.bytes >= request.minBytes ||
        pass.anyError ||
        remainingMs <= 0
      ) {
        break;
      }
      const partitions = wanted.map((w) => w.partition).filter((p): p is Partition => p !== undefined);
      if (partitions.some((p) => p.isClosed)) break;
      await waitForData(partitions, remainingMs);
    }
    // Group the partitions back under their topics, in request order.
    const responses: { topic: string; topicId: string; partitions: FetchResponsePartitionData[] }[] = [];
    let i = 0;
    for (const topic of request.topics) {
      responses.push({
        topic: topic.topic,
        topicId: topic.topicId,
        partitions: pass.partitions.slice(i, i + topic.partitions.length),
      });
      i += topic.partitions.length;
    }
    return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses, nodeEndpoints: [] };
  },
});

function readAll(
  wanted: readonly Wanted[],
  requestMaxBytes: number,
  committed: boolean,
  lookUp: (w: Wanted) => Partition | undefined,
): ReadPass {
  let limitBytes = Math.max(0, requestMaxBytes);
  let minOneBatch = true;
  let bytes = 0;
  let anyError = false;
  const partitions = wanted.map((w) => {
    w.partition = lookUp(w);
    const data = readOne(w, Math.min(Math.max(0, w.partitionMaxBytes), limitBytes), minOneBatch, committed);
    const size = data.records?.length ?? 0;
    if (size > 0) minOneBatch = false;
    limitBytes = Math.max(0, limitBytes - size);
    bytes += size;
    if (data.errorCode !== ErrorCode.NONE) anyError = true;
    return data;
  });
  return { partitions, bytes, anyError };
}

function readOne(
  w: Wanted,
  maxBytes: number,
  minOneBatch: boolean,
  committed: boolean,
): FetchResponsePartitionData {
  const partition = w.partition;
  if (partition === undefined) return failed(w.partitionIndex, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (w.currentLeaderEpoch >= 0 && w.currentLeaderEpoch !== partition.leaderEpoch) {
    return failed(
      w.partitionIndex,
      w.currentLeaderEpoch < partition.leaderEpoch
        ? ErrorCode.FENCED_LEADER_EPOCH
        : ErrorCode.UNKNOWN_LEADER_EPOCH,
    );
  }
  let records: Uint8Array = EMPTY;
  try {
    if (maxBytes > 0 || minOneBatch) {
      records = partition.read(w.fetchOffset, maxBytes).records;
      // Log.read always returns one whole batch; only the first partition with data may exceed its limit.
      if (!minOneBatch && records.length > maxBytes) records = EMPTY;
    } else if (w.fetchOffset < partition.logStartOffset || w.fetchOffset > partition.logEndOffset) {
      return failed(w.partitionIndex, ErrorCode.OFFSET_OUT_OF_RANGE);
    }
  } catch (error) {
    const code = logErrorCode(error);
    if (code === undefined) throw error;
    return failed(w.partitionIndex, code);
  }
  const highWatermark = partition.highWatermark;
  return {
    partitionIndex: w.partitionIndex,
    errorCode: 0,
    highWatermark,
    lastStableOffset: highWatermark,
    logStartOffset: partition.logStartOffset,
    divergingEpoch: { epoch: -1, endOffset: -1n },
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
    snapshotId: { endOffset: -1n, epoch: -1 },
    abortedTransactions: committed ? [] : null,
    preferredReadReplica: -1,
    records,
  };
}

function failed(partitionIndex: number, code: number): FetchResponsePartitionData {
  return {
    partitionIndex,
    errorCode: code,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    divergingEpoch: { epoch: -1, endOffset: -1n },
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
    snapshotId: { endOffset: -1n, epoch: -1 },
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
}
