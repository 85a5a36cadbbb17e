/**
 * FindCoordinator: v0-4
 *
 * Behavior:
 * - One node: this broker coordinates every group (key type 0), so it answers with itself — never with
 *   another node, whatever the group id.
 * - Key type 1 (transactional id): COORDINATOR_NOT_AVAILABLE until transactions exist (retriable, the
 *   same answer InitProducerId gives); any other key type is INVALID_REQUEST, as in Kafka.
 * - v0-3 answer one key in the top-level fields; v4 (KIP-699) answers each of the batched keys.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';

const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;

export const findCoordinatorHandler = defineHandler({
  apiKey: 10,
  handle(request, { broker, version }) {
    const keyType = version >= 1 ? request.keyType : KEY_TYPE_GROUP;
    const answer = (key: string) => {
      const found = { key, nodeId: broker.nodeId, host: broker.advertisedHost, port: broker.port };
      if (keyType === KEY_TYPE_GROUP) return { ...found, errorCode: ErrorCode.NONE, errorMessage: null };
      const errorCode =
        keyType === KEY_TYPE_TRANSACTION ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.INVALID_REQUEST;
      const errorMessage =
        keyType === KEY_TYPE_TRANSACTION
          ? 'The coordinator is not available.'
          : `Unknown coordinator key type ${keyType}`;
      return { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage };
    };
    if (version >= 4) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        nodeId: -1,
        host: '',
        port: -1,
        coordinators: request.coordinatorKeys.map(answer),
      };
    }
    const { key: _key, ...one } = answer(request.key);
    return { throttleTimeMs: 0, ...one, coordinators: [] };
  },
});
