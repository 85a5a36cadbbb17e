/**
 * ElectLeaders: v0-2
 *
 * Behavior: on one node every partition's leader is already its preferred (and only) replica, so each
 * named partition answers ELECTION_NOT_NEEDED; unknown ones UNKNOWN_TOPIC_OR_PARTITION. With
 * topicPartitions null (all partitions) nothing needs electing and the result list is empty, as Kafka
 * answers when no election happened. electionType (v1+) 0 = preferred, 1 = unclean: same answer.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';

export const electLeadersHandler = defineHandler({
  apiKey: 43,
  handle(request, { broker }) {
    const replicaElectionResults = (request.topicPartitions ?? []).map(({ topic, partitions }) => ({
      topic,
      partitionResult: partitions.map((partitionId) => {
        const exists = broker.topics.partition(topic, partitionId) !== undefined;
        return exists
          ? {
              partitionId,
              errorCode: ErrorCode.ELECTION_NOT_NEEDED,
              errorMessage: 'Leader election not needed for topic partition.',
            }
          : {
              partitionId,
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              errorMessage: `The partition ${topic}-${partitionId} does not exist.`,
            };
      }),
    }));
    return { throttleTimeMs: 0, errorCode: 0, replicaElectionResults };
  },
});
