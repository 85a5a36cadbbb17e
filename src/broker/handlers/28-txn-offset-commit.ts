/**
 * TxnOffsetCommit: v0-3
 *
 * kt has no transaction coordinator yet (issue 5 lets transactions come later). Kafka's group coordinator first verifies the producer's
 * transaction with the transaction coordinator; when that coordinator is unavailable the verification
 * fails and the group coordinator normalizes the failure to COORDINATOR_NOT_AVAILABLE for every
 * partition (GroupCoordinatorService.commitTransactionalOffsets). kt answers the same, consistent with
 * InitProducerId (22-init-producer-id.ts). Retriable; always answered, never dropped.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';

export const txnOffsetCommitHandler = defineHandler({
  apiKey: 28,
  handle(request) {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        })),
      })),
    };
  },
});
