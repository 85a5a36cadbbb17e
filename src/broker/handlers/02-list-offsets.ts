/**
 * ListOffsets: v1-7
 *
 * Behavior (Kafka's Partition.fetchOffsetForTimestamp / UnifiedLog.fetchOffsetByTimestamp):
 * - timestamp -2 (earliest): the log start offset, timestamp -1.
 * - timestamp -1 (latest): the high watermark (read_uncommitted) or the last stable offset
 *   (read_committed; equal without transactions), timestamp -1.
 * - timestamp -3 (max timestamp, v7): the first record carrying the largest timestamp in the log, with
 *   that timestamp; offset -1 / timestamp -1 on an empty log.
 * - timestamp >= 0: the first offset (>= log start) whose timestamp is >= it, via the log's time index,
 *   limited to offsets below the high watermark; offset -1 / timestamp -1 when none.
 * - leaderEpoch (v4+) is the partition's current epoch (one node: every batch carries it).
 * - Errors per partition: UNKNOWN_TOPIC_OR_PARTITION; ErrorCode.FENCED_LEADER_EPOCH / ErrorCode.UNKNOWN_LEADER_EPOCH for a
 *   currentLeaderEpoch older / newer than ours; another negative timestamp → INVALID_REQUEST (Kafka's
 *   broker does not know it either).
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { DecodeError } from '../../protocol/decode-error.js';
import { decodeRecordBatch } from '../../protocol/record-batch.js';
import { defineHandler } from '../handler.js';
import { logErrorCode, type Partition } from '../partition.js';

export const EARLIEST_TIMESTAMP = -2n;
export const LATEST_TIMESTAMP = -1n;
export const MAX_TIMESTAMP = -3n;

interface OffsetAnswer {
  partitionIndex: number;
  errorCode: number;
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

export const listOffsetsHandler = defineHandler({
  apiKey: 2,
  handle(request, { broker }) {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p): OffsetAnswer => {
          const partition = broker.topics.partition(topic.name, p.partitionIndex);
          if (partition === undefined) return failed(p.partitionIndex, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch !== partition.leaderEpoch) {
            return failed(
              p.partitionIndex,
              p.currentLeaderEpoch < partition.leaderEpoch
                ? ErrorCode.FENCED_LEADER_EPOCH
                : ErrorCode.UNKNOWN_LEADER_EPOCH,
            );
          }
          try {
            const found = lookUp(partition, p.timestamp);
            if (typeof found === 'number') return failed(p.partitionIndex, found);
            return {
              partitionIndex: p.partitionIndex,
              errorCode: 0,
              timestamp: found?.timestampMs ?? -1n,
              offset: found?.offset ?? -1n,
              leaderEpoch: found === undefined ? -1 : partition.leaderEpoch,
            };
          } catch (error) {
            const code = logErrorCode(error);
            if (code === undefined) throw error;
            return failed(p.partitionIndex, code);
          }
        }),
      })),
    };
  },
});

function lookUp(
  partition: Partition,
  timestamp: bigint,
): { offset: bigint; timestampMs: bigint } | undefined | number {
  switch (timestamp) {
    case EARLIEST_TIMESTAMP:
      return { offset: partition.logStartOffset, timestampMs: -1n };
    case LATEST_TIMESTAMP:
      return { offset: partition.highWatermark, timestampMs: -1n };
    case MAX_TIMESTAMP:
      return maxTimestamp(partition);
    default: {
      if (timestamp < 0n) return ErrorCode.INVALID_REQUEST;
      const found = partition.log.offsetForTimestamp(timestamp);
      return found !== undefined && found.offset < partition.highWatermark ? found : undefined;
    }
  }
}

/** The first record with the log's largest timestamp (KIP-734; Kafka 3.8+ finds the record, not the batch end). */
function maxTimestamp(partition: Partition): { offset: bigint; timestampMs: bigint } | undefined {
  const log = partition.log;
  let best: (typeof log.segments)[number] | undefined;
  for (const segment of log.segments) {
    if (segment.nextOffset <= log.logStartOffset || segment.maxTimestampMs < 0) continue;
    if (best === undefined || segment.maxTimestampMs > best.maxTimestampMs) best = segment;
  }
  if (best === undefined) return undefined;
  const target = BigInt(best.maxTimestampMs);
  // The batch holding the max timestamp ends at baseOffset + offsetOfMaxTimestamp; read from there.
  const batchEnd = best.baseOffset + BigInt(best.offsetOfMaxTimestamp);
  const from = batchEnd < log.logStartOffset ? log.logStartOffset : batchEnd;
  const records = log.read(from, 1).records;
  if (records.length === 0) return undefined;
  let record: { offset: bigint } | undefined;
  try {
    record = decodeRecordBatch(records).records.find(
      (r) => r.timestamp === target && r.offset >= log.logStartOffset,
    );
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    // An undecodable stored batch (not ours to repair here): answer with the batch's end, as Kafka < 3.8.
  }
  return record === undefined
    ? { offset: batchEnd, timestampMs: target }
    : { offset: record.offset, timestampMs: target };
}

function failed(partitionIndex: number, code: number): OffsetAnswer {
  return { partitionIndex, errorCode: code, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
}
