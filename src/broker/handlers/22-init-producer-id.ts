/**
 * InitProducerId: v0-4
 *
 * Behavior:
 * - No transactional id (idempotent producer): a new producer id with epoch 0, every time — Kafka's
 *   transaction coordinator does the same for a null transactional id, also when v3+ passes the current
 *   id and epoch (KIP-360 bump after an error). Ids come from blocks persisted in the data directory
 *   (producer-state.ts), so they are never reused across restarts.
 * - A transactional id: this broker has no transaction coordinator yet, so it answers as Kafka does when
 *   the coordinator for the id is unavailable: COORDINATOR_NOT_AVAILABLE (retriable: a Java producer
 *   retries until max.block.ms and then fails initTransactions() with a timeout; nothing hangs on the
 *   broker side). Not TRANSACTIONAL_ID_AUTHORIZATION_FAILED, which would claim an ACL problem. An empty
 *   transactional id is INVALID_REQUEST, as in Kafka.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';
import { producerIdAllocator } from '../producer-state.js';

export const initProducerIdHandler = defineHandler({
  apiKey: 22,
  handle(request, { broker }) {
    const answer = (errorCode: number, producerId = -1n, producerEpoch = -1) => ({
      throttleTimeMs: 0,
      errorCode,
      producerId,
      producerEpoch,
      ongoingTxnProducerId: -1n,
      ongoingTxnProducerEpoch: -1,
    });
    if (request.transactionalId !== null) {
      return answer(
        request.transactionalId === '' ? ErrorCode.INVALID_REQUEST : ErrorCode.COORDINATOR_NOT_AVAILABLE,
      );
    }
    return answer(ErrorCode.NONE, producerIdAllocator(broker.topics).allocate(), 0);
  },
});
