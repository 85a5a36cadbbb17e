/**
 * EndTxn (API key 26): Commits or aborts the producer's transaction; the coordinator then writes markers to every partition in it.
 */
import { defineApi } from '../schema/spec.js';

export const endTxnApi = defineApi({
  apiKey: 26,
  name: 'EndTxn',
  validVersions: [0, 5],
  flexibleVersions: 3,
  broker: [0, 3],
  request: {
    doc: `Commits or aborts the producer's transaction; the coordinator then writes markers to every partition in it.

Version notes:
- Version 1 is the same as version 0.
- Version 2 adds the support for new error code PRODUCER_FENCED.
- Version 3 enables flexible versions.
- Version 4 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 5 enables bumping epoch on every transaction (KIP-890 Part 2)`,
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+', doc: 'The ID of the transaction to end.' },
      { name: 'producerId', type: 'int64', versions: '0+', doc: 'The producer ID.' },
      {
        name: 'producerEpoch',
        type: 'int16',
        versions: '0+',
        doc: 'The current epoch associated with the producer.',
      },
      {
        name: 'committed',
        type: 'bool',
        versions: '0+',
        doc: 'True if the transaction was committed, false if it was aborted.',
      },
    ],
  },
  response: {
    doc: `Response to EndTxn.

Version notes:
- Starting in version 1, on quota violation, brokers send out responses before throttling.
- Version 2 adds the support for new error code PRODUCER_FENCED.
- Version 3 enables flexible versions.
- Version 4 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 5 enables bumping epoch on every transaction (KIP-890 Part 2), so producer ID and epoch are included in the response.`,
    errors: {
      NOT_COORDINATOR: 'this broker is not the transaction coordinator',
      COORDINATOR_NOT_AVAILABLE: 'the transaction coordinator is not ready',
      CONCURRENT_TRANSACTIONS: 'the previous transaction is still completing; retry',
      INVALID_PRODUCER_ID_MAPPING: 'the producer id does not belong to the transactional id',
      INVALID_PRODUCER_EPOCH: 'the producer epoch is stale',
      PRODUCER_FENCED: 'a newer producer instance took over',
      INVALID_TXN_STATE: 'commit/abort does not fit the transaction state',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not use the transactional id',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0+',
        doc: 'The error code, or 0 if there was no error.',
      },
      { name: 'producerId', type: 'int64', versions: '5+', default: -1n, doc: 'The producer ID.' },
      {
        name: 'producerEpoch',
        type: 'int16',
        versions: '5+',
        default: -1,
        doc: 'The current epoch associated with the producer.',
      },
    ],
  },
});
