/**
 * DescribeConfigs: v1-4
 *
 * Behavior:
 * - Topics (resource type 2): every topic config with its effective value and source (configs.ts);
 *   unknown topic → UNKNOWN_TOPIC_OR_PARTITION.
 * - Brokers (type 4): name "1" (this node) or "" (cluster default); another id → INVALID_REQUEST.
 * - Other resource types (broker loggers, client metrics, groups) → INVALID_REQUEST.
 * - configurationKeys null = all; otherwise only those keys (unknown ones are omitted, like Kafka).
 * - includeSynonyms (v1+) adds the synonym chain; includeDocumentation (v3+) the doc text.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import {
  type ConfigEntry,
  describeBrokerConfigs,
  describeTopicConfigs,
  RESOURCE_BROKER,
  RESOURCE_TOPIC,
} from '../configs.js';
import { defineHandler } from '../handler.js';

export const describeConfigsHandler = defineHandler({
  apiKey: 32,
  handle(request, { broker }) {
    const results = request.resources.map((resource) => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      let entries: ConfigEntry[];
      if (resource.resourceType === RESOURCE_TOPIC) {
        const topic = broker.topics.get(resource.resourceName);
        if (!topic)
          return {
            ...base,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `Topic ${resource.resourceName} does not exist.`,
            configs: [],
          };
        entries = describeTopicConfigs(topic.configs, broker.configState);
      } else if (resource.resourceType === RESOURCE_BROKER) {
        if (resource.resourceName !== '' && resource.resourceName !== String(broker.nodeId)) {
          return {
            ...base,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Broker ${resource.resourceName} does not exist; this is broker ${broker.nodeId}.`,
            configs: [],
          };
        }
        entries = describeBrokerConfigs(broker.configState);
      } else {
        return {
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Unsupported resource type ${resource.resourceType}`,
          configs: [],
        };
      }
      const keys = resource.configurationKeys;
      const selected = keys === null ? entries : entries.filter((e) => keys.includes(e.name));
      return {
        ...base,
        errorCode: 0,
        errorMessage: null,
        configs: selected.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          configSource: e.source,
          isSensitive: e.isSensitive,
          synonyms: request.includeSynonyms ? e.synonyms : [],
          configType: e.type,
          documentation: request.includeDocumentation ? e.documentation : null,
        })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
});
