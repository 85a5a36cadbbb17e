/**
 * AlterConfigs: v0-2 (the legacy, whole-set form; kafkajs uses it)
 *
 * Behavior:
 * - Topics: the given configs REPLACE all of the topic's overrides (anything not listed goes back to its
 *   default) — that is Kafka's semantics and why kt's own commands use IncrementalAlterConfigs instead.
 * - Brokers: "" (cluster default) or "1" replaces the dynamic broker configs; only Kafka's dynamically
 *   alterable log settings are accepted.
 * - validateOnly checks without changing. Errors per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG,
 *   INVALID_REQUEST.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { checkBrokerConfigs, checkTopicConfigs, RESOURCE_BROKER, RESOURCE_TOPIC } from '../configs.js';
import type { BrokerCore } from '../core.js';
import { defineHandler } from '../handler.js';

export const alterConfigsHandler = defineHandler({
  apiKey: 33,
  handle(request, { broker }) {
    const responses = request.resources.map((resource) => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      try {
        const values: Record<string, string> = {};
        for (const c of resource.configs) {
          if (c.value === null)
            throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Null value not supported for ${c.name}`);
          values[c.name] = c.value;
        }
        applyConfigs(broker, resource.resourceType, resource.resourceName, values, request.validateOnly);
        return { ...base, errorCode: 0, errorMessage: null };
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return { ...base, errorCode: error.code, errorMessage: error.message };
      }
    });
    return { throttleTimeMs: 0, responses };
  },
});

/** Replaces a resource's configs with `values` (shared with IncrementalAlterConfigs). */
export function applyConfigs(
  broker: BrokerCore,
  resourceType: number,
  resourceName: string,
  values: Record<string, string>,
  validateOnly: boolean,
): void {
  if (resourceType === RESOURCE_TOPIC) {
    if (!broker.topics.get(resourceName))
      throw new ProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${resourceName} does not exist.`);
    checkTopicConfigs(values);
    broker.topics.setConfigs(resourceName, values, validateOnly);
    if (!validateOnly) broker.log(`altered configs of topic ${resourceName}`);
    return;
  }
  if (resourceType === RESOURCE_BROKER) {
    if (resourceName !== '' && resourceName !== String(broker.nodeId)) {
      throw new ProtocolError(
        ErrorCode.INVALID_REQUEST,
        `Broker ${resourceName} does not exist; this is broker ${broker.nodeId}.`,
      );
    }
    const settings = checkBrokerConfigs(broker.settings, values);
    if (!validateOnly) {
      broker.setDynamicConfigs(values, settings);
      broker.log(`altered dynamic broker configs: ${Object.keys(values).join(', ') || '(none)'}`);
    }
    return;
  }
  throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resourceType}`);
}
