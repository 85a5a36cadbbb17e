/**
 * AddOffsetsToTxn: v0-3
 *
 * kt has no transaction coordinator yet (issue 5 lets transactions come later): answered with COORDINATOR_NOT_AVAILABLE, what Kafka's transaction
 * coordinator path gives when the coordinator for the transactional id is unavailable (consistent with
 * InitProducerId here; see 22-init-producer-id.ts). Retriable; always answered, never dropped.
 */
import { ErrorCode } from '../../errors/codes.generated.js';
import { defineHandler } from '../handler.js';

export const addOffsetsToTxnHandler = defineHandler({
  apiKey: 25,
  handle() {
    return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  },
});
