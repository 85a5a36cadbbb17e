/**
 * DeleteRecords: v0-2
 *
 * Behavior (Kafka's ReplicaManager.deleteRecords / Partition.deleteRecordsOnLeader):
 * - Moves the partition's log start offset up to the requested offset; -1 means the high watermark.
 *   Reads below the new start fail with OFFSET_OUT_OF_RANGE at once; whole segments below it are removed
 *   by the log's next retention pass. The answer's lowWatermark is the new log start offset.
 * - An offset above the high watermark, or a negative one other than -1 → OFFSET_OUT_OF_RANGE.
 * - A topic whose cleanup.policy is compact only → POLICY_VIOLATION (Kafka: records of a compacted log
 *   cannot be deleted).
 * - Unknown topic or partition → UNKNOWN_TOPIC_OR_PARTITION. lowWatermark is -1 on every error.
 * - Idempotent producers whose batches are all below the new start are forgotten (Kafka's truncateHead).
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';
import { logErrorCode } from '../partition.js';

export const HIGH_WATERMARK = -1n;

export const deleteRecordsHandler = defineHandler({
  apiKey: 21,
  handle(request, { broker }) {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p) => {
          const failed = (errorCode: number) => ({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode,
          });
          const partition = broker.topics.partition(topic.name, p.partitionIndex);
          if (partition === undefined) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (partition.log.config.cleanupPolicy === 'compact') return failed(ErrorCode.POLICY_VIOLATION);
          const offset = p.offset === HIGH_WATERMARK ? partition.highWatermark : p.offset;
          if (offset < 0n || offset > partition.highWatermark) return failed(ErrorCode.OFFSET_OUT_OF_RANGE);
          try {
            const lowWatermark = partition.deleteRecordsBefore(offset);
            return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: 0 };
          } catch (error) {
            const code = logErrorCode(error);
            if (code === undefined) throw error;
            return failed(code);
          }
        }),
      })),
    };
  },
});
