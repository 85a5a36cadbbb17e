/**
 * CreatePartitions: v0-3
 *
 * Behavior:
 * - Grows a topic to `count` partitions; fewer or equal than now is INVALID_PARTITIONS, an unknown topic
 *   UNKNOWN_TOPIC_OR_PARTITION, assignments naming other brokers INVALID_REPLICA_ASSIGNMENT.
 * - validateOnly checks without adding. A topic named twice: INVALID_REQUEST.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { defineHandler } from '../handler.js';

export const createPartitionsHandler = defineHandler({
  apiKey: 37,
  handle(request, { broker }) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = request.topics.map((t) => {
      try {
        if ((counts.get(t.name) ?? 0) > 1)
          throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Duplicate topic in request: ${t.name}`);
        const current = broker.topics.get(t.name)?.partitions.length ?? 0;
        if (t.assignments !== null) {
          if (t.assignments.length !== t.count - current) {
            throw new ProtocolError(
              ErrorCode.INVALID_REPLICA_ASSIGNMENT,
              `Increasing the number of partitions by ${t.count - current} but ${t.assignments.length} assignments provided.`,
            );
          }
          for (const a of t.assignments) {
            if (a.brokerIds.length === 0 || a.brokerIds.some((id) => id !== broker.nodeId)) {
              throw new ProtocolError(
                ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                `Unknown broker(s) in replica assignment ${JSON.stringify(a.brokerIds)}`,
              );
            }
          }
        }
        broker.topics.addPartitions(t.name, t.count, request.validateOnly);
        if (!request.validateOnly) broker.log(`topic ${t.name} now has ${t.count} partitions`);
        return { name: t.name, errorCode: 0, errorMessage: null };
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return { name: t.name, errorCode: error.code, errorMessage: error.message };
      }
    });
    return { throttleTimeMs: 0, results };
  },
});
