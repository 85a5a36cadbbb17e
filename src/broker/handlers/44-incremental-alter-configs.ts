/**
 * IncrementalAlterConfigs: v0-1
 *
 * Behavior:
 * - Per resource, operations SET (0), DELETE (1), APPEND (2) and SUBTRACT (3) change only the named
 *   configs; APPEND/SUBTRACT work on list configs only (INVALID_CONFIG otherwise).
 * - Topics and brokers ("" or "1") as in AlterConfigs; the result is validated as a whole before anything
 *   changes. validateOnly changes nothing.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { applyIncremental, isTopicListConfig, RESOURCE_BROKER, RESOURCE_TOPIC } from '../configs.js';
import { defineHandler } from '../handler.js';
import { topicConfigDefault } from '../topic-configs.js';
import { applyConfigs } from './33-alter-configs.js';

export const incrementalAlterConfigsHandler = defineHandler({
  apiKey: 44,
  handle(request, { broker }) {
    const responses = request.resources.map((resource) => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      try {
        let current: Record<string, string>;
        if (resource.resourceType === RESOURCE_TOPIC) {
          const topic = broker.topics.get(resource.resourceName);
          if (!topic)
            throw new ProtocolError(
              ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              `Topic ${resource.resourceName} does not exist.`,
            );
          current = topic.configs;
        } else if (resource.resourceType === RESOURCE_BROKER) {
          current = broker.dynamicConfigs;
        } else {
          throw new ProtocolError(
            ErrorCode.INVALID_REQUEST,
            `Unsupported resource type ${resource.resourceType}`,
          );
        }
        const isList = (name: string) =>
          resource.resourceType === RESOURCE_TOPIC ? isTopicListConfig(name) : name === 'log.cleanup.policy';
        const next = applyIncremental(current, resource.configs, isList, (name) =>
          resource.resourceType === RESOURCE_TOPIC
            ? topicConfigDefault(name, broker.settings)
            : String(broker.settings[name as keyof typeof broker.settings] ?? ''),
        );
        applyConfigs(broker, resource.resourceType, resource.resourceName, next, request.validateOnly);
        return { ...base, errorCode: 0, errorMessage: null };
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return { ...base, errorCode: error.code, errorMessage: error.message };
      }
    });
    return { throttleTimeMs: 0, responses };
  },
});
