/**
 * CreateTopics: v2-7
 *
 * Behavior:
 * - Every topic is validated first (name rules, partitions >= 1, replication factor <= 1 broker, known
 *   configs with valid values, assignments naming this broker only); errors are per topic with Kafka's
 *   codes and messages: INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
 *   INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG, INVALID_REQUEST.
 * - validateOnly creates nothing and answers as if it had.
 * - A name twice in one request: INVALID_REQUEST for both, like Kafka.
 * - v5+: the response carries the created topic's partition count, replication factor and configs.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { ZERO_UUID } from '../../protocol/reader.js';
import { describeTopicConfigs } from '../configs.js';
import { defineHandler } from '../handler.js';
import type { CreateTopicSpec } from '../topics.js';

export const createTopicsHandler = defineHandler({
  apiKey: 19,
  handle(request, { broker, version }) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics = request.topics.map((t) => {
      const base = {
        name: t.name,
        topicId: ZERO_UUID,
        topicConfigErrorCode: 0,
        numPartitions: -1,
        replicationFactor: -1,
        configs: null,
      };
      if ((counts.get(t.name) ?? 0) > 1) {
        return {
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Create topics request from client contains multiple topics with the name ${t.name}`,
        };
      }
      const spec: CreateTopicSpec = {
        name: t.name,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        configs: Object.fromEntries(t.configs.map((c) => [c.name, c.value])),
        ...(t.assignments.length > 0
          ? {
              assignments: [...t.assignments]
                .sort((a, b) => a.partitionIndex - b.partitionIndex)
                .map((a) => a.brokerIds),
            }
          : {}),
      };
      try {
        broker.topics.checkCreate(spec);
        const partitions =
          spec.assignments?.length ??
          (spec.numPartitions === -1 ? broker.settings['num.partitions'] : spec.numPartitions);
        const overrides = Object.fromEntries(
          Object.entries(spec.configs).filter((e): e is [string, string] => e[1] !== null),
        );
        const topicId = request.validateOnly ? ZERO_UUID : broker.topics.create(spec).topicId;
        if (!request.validateOnly) broker.log(`created topic ${t.name} with ${partitions} partition(s)`);
        return {
          ...base,
          topicId,
          errorCode: 0,
          errorMessage: null,
          numPartitions: partitions,
          replicationFactor: 1,
          configs:
            version >= 5
              ? describeTopicConfigs(overrides, broker.configState).map((c) => ({
                  name: c.name,
                  value: c.value,
                  readOnly: c.readOnly,
                  configSource: c.source,
                  isSensitive: c.isSensitive,
                }))
              : null,
        };
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return { ...base, errorCode: error.code, errorMessage: error.message };
      }
    });
    return { throttleTimeMs: 0, topics };
  },
});
