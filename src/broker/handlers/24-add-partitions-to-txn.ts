/**
 * AddPartitionsToTxn: v0-3
 *
 * kt has no transaction coordinator yet (issue 5 lets transactions come later). Every partition is answered with COORDINATOR_NOT_AVAILABLE: what
 * Kafka answers when the transaction coordinator for the transactional id is unavailable, and the same
 * code InitProducerId gives a transactional id here (see 22-init-producer-id.ts), so a client sees one
 * consistent story. It is retriable; a client that got this far times out on its own schedule. The
 * request is always answered, never dropped.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';

export const addPartitionsToTxnHandler = defineHandler({
  apiKey: 24,
  handle(request) {
    const error = ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const topicResults = (topics: typeof request.v3AndBelowTopics) =>
      topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex) => ({
          partitionIndex,
          partitionErrorCode: error,
        })),
      }));
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: request.transactions.map((t) => ({
        transactionalId: t.transactionalId,
        topicResults: topicResults(t.topics),
      })),
      resultsByTopicV3AndBelow: topicResults(request.v3AndBelowTopics),
    };
  },
});
