/**
 * DeleteTopics: v1-6
 *
 * Behavior:
 * - v1-5 name topics in `topicNames`; v6 in `topics` by name or by topic id.
 * - Unknown name: UNKNOWN_TOPIC_OR_PARTITION; unknown id: UNKNOWN_TOPIC_ID. Internal topics
 *   (__consumer_offsets) cannot be deleted: TOPIC_AUTHORIZATION_FAILED like Kafka's default authorizer
 *   would not say — Kafka answers INVALID_REQUEST? No: Kafka refuses with TOPIC_AUTHORIZATION_FAILED only
 *   under ACLs; without them it deletes. kt keeps its group state safe and answers INVALID_REQUEST.
 * - Deletion closes the partitions' logs and removes their directories at once.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { ZERO_UUID } from '../../protocol/reader.js';
import { defineHandler } from '../handler.js';

export const deleteTopicsHandler = defineHandler({
  apiKey: 20,
  handle(request, { broker, version }) {
    const wanted =
      version >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const responses = wanted.map(({ name, topicId }) => {
      const topic =
        name !== null ? broker.topics.get(name) : broker.topics.list().find((t) => t.topicId === topicId);
      if (!topic) {
        const byId = name === null;
        return {
          name,
          topicId,
          errorCode: byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: byId ? `Topic id ${topicId} does not exist.` : `Topic ${name} does not exist.`,
        };
      }
      if (topic.internal) {
        return {
          name: topic.name,
          topicId: topic.topicId,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Topic ${topic.name} is internal to kt's broker and cannot be deleted.`,
        };
      }
      try {
        broker.topics.delete(topic.name);
        broker.log(`deleted topic ${topic.name}`);
        return { name: topic.name, topicId: topic.topicId, errorCode: 0, errorMessage: null };
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return {
          name: topic.name,
          topicId: topic.topicId,
          errorCode: error.code,
          errorMessage: error.message,
        };
      }
    });
    return { throttleTimeMs: 0, responses };
  },
});
