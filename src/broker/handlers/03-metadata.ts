/**
 * Metadata: v0-12
 *
 * Behavior:
 * - One broker (this one) is every partition's leader, sole replica and ISR; it is also the controller.
 * - Topics: v0 empty list = all topics; v1+ null = all, empty = none.
 * - Unknown topics are auto-created with the broker defaults when auto.create.topics.enable is true and
 *   the request allows it (v4+ allowAutoTopicCreation; always for v0-3); otherwise
 *   UNKNOWN_TOPIC_OR_PARTITION. An invalid name is INVALID_TOPIC_EXCEPTION, never created.
 * - Topic ids (v10+) are real; the leader epoch (v7+) is the partition's.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { ZERO_UUID } from '../../protocol/reader.js';
import { defineHandler } from '../handler.js';
import type { Topic } from '../topics.js';

const ALL_OPERATIONS_UNSET = -2147483648;

export const metadataHandler = defineHandler({
  apiKey: 3,
  handle(request, { broker, version }) {
    const requested = request.topics;
    const all = requested === null || (version === 0 && requested.length === 0);
    const topics = [];
    if (all) {
      for (const topic of broker.topics.list()) topics.push(describe(topic, broker.nodeId));
    } else {
      const allowCreate = version < 4 || request.allowAutoTopicCreation;
      for (const { name } of requested) {
        if (name === null) {
          topics.push(missing(null, ErrorCode.UNKNOWN_TOPIC_ID));
          continue;
        }
        let topic = broker.topics.get(name);
        if (!topic && allowCreate && broker.settings['auto.create.topics.enable']) {
          try {
            topic = broker.topics.create({ name, numPartitions: -1, replicationFactor: -1, configs: {} });
            broker.log(`auto-created topic ${name} with ${topic.partitions.length} partition(s)`);
          } catch (error) {
            topics.push(
              missing(name, error instanceof ProtocolError ? error.code : ErrorCode.UNKNOWN_SERVER_ERROR),
            );
            continue;
          }
        }
        topics.push(
          topic ? describe(topic, broker.nodeId) : missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
        );
      }
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: broker.nodeId, host: broker.advertisedHost, port: broker.port, rack: null }],
      clusterId: broker.clusterId,
      controllerId: broker.nodeId,
      topics,
      clusterAuthorizedOperations: ALL_OPERATIONS_UNSET,
      errorCode: 0,
    };
  },
});

function describe(topic: Topic, nodeId: number) {
  return {
    errorCode: 0,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.internal,
    partitions: topic.partitions.map((p) => ({
      errorCode: 0,
      partitionIndex: p.index,
      leaderId: nodeId,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: ALL_OPERATIONS_UNSET,
  };
}

function missing(name: string | null, errorCode: number) {
  return {
    errorCode,
    name,
    topicId: ZERO_UUID,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: ALL_OPERATIONS_UNSET,
  };
}
