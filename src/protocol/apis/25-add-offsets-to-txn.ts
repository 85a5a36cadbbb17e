/**
 * AddOffsetsToTxn (API key 25): Adds the consumer group's offsets partition to the transaction, before TxnOffsetCommit.
 */
import { defineApi } from '../schema/spec.js';

export const addOffsetsToTxnApi = defineApi({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  validVersions: [0, 4],
  flexibleVersions: 3,
  broker: [0, 3],
  request: {
    doc: `Adds the consumer group's offsets partition to the transaction, before TxnOffsetCommit.

Version notes:
- Version 1 is the same as version 0.
- Version 2 adds the support for new error code PRODUCER_FENCED.
- Version 3 enables flexible versions.
- Version 4 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).`,
    fields: [
      {
        name: 'transactionalId',
        type: 'string',
        versions: '0+',
        doc: 'The transactional id corresponding to the transaction.',
      },
      {
        name: 'producerId',
        type: 'int64',
        versions: '0+',
        doc: 'Current producer id in use by the transactional id.',
      },
      {
        name: 'producerEpoch',
        type: 'int16',
        versions: '0+',
        doc: 'Current epoch associated with the producer id.',
      },
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The unique group identifier.' },
    ],
  },
  response: {
    doc: `Response to AddOffsetsToTxn.

Version notes:
- Starting in version 1, on quota violation brokers send out responses before throttling.
- Version 2 adds the support for new error code PRODUCER_FENCED.
- Version 3 enables flexible versions.
- Version 4 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).`,
    errors: {
      NOT_COORDINATOR: 'this broker is not the transaction coordinator',
      COORDINATOR_NOT_AVAILABLE: 'the transaction coordinator is not ready',
      CONCURRENT_TRANSACTIONS: 'the previous transaction is still completing; retry',
      INVALID_PRODUCER_ID_MAPPING: 'the producer id does not belong to the transactional id',
      INVALID_PRODUCER_EPOCH: 'the producer epoch is stale',
      PRODUCER_FENCED: 'a newer producer instance took over',
      INVALID_TXN_STATE: 'no transaction is ongoing',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not use the transactional id',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0+',
        doc: 'The response error code, or 0 if there was no error.',
      },
    ],
  },
});
