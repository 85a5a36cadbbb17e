/**
 * InitProducerId (API key 22): Gives a producer an id and epoch (idempotence) or, with a transactional id, fences older instances and bumps the epoch.
 */
import { defineApi } from '../schema/spec.js';

export const initProducerIdApi = defineApi({
  apiKey: 22,
  name: 'InitProducerId',
  validVersions: [0, 6],
  flexibleVersions: 2,
  broker: [0, 4],
  request: {
    doc: `Gives a producer an id and epoch (idempotence) or, with a transactional id, fences older instances and bumps the epoch.

Version notes:
- Version 1 is the same as version 0.
- Version 2 is the first flexible version.
- Version 3 adds ProducerId and ProducerEpoch, allowing producers to try to resume after an INVALID_PRODUCER_EPOCH error
- Version 4 adds the support for new error code PRODUCER_FENCED.
- Verison 5 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 6 adds support for 2PC (KIP-939).`,
    fields: [
      {
        name: 'transactionalId',
        type: 'string',
        versions: '0+',
        nullableVersions: '0+',
        doc: 'The transactional id, or null if the producer is not transactional.',
      },
      {
        name: 'transactionTimeoutMs',
        type: 'int32',
        versions: '0+',
        doc: 'The time in ms to wait before aborting idle transactions sent by this producer. This is only relevant if a TransactionalId has been defined.',
      },
      {
        name: 'producerId',
        type: 'int64',
        versions: '3+',
        default: -1n,
        doc: 'The producer id. This is used to disambiguate requests if a transactional id is reused following its expiration.',
      },
      {
        name: 'producerEpoch',
        type: 'int16',
        versions: '3+',
        default: -1,
        doc: "The producer's current epoch. This will be checked against the producer epoch on the broker, and the request will return an error if they do not match.",
      },
      {
        name: 'enable2Pc',
        type: 'bool',
        versions: '6+',
        default: false,
        doc: 'True if the client wants to enable two-phase commit (2PC) protocol for transactions.',
      },
      {
        name: 'keepPreparedTxn',
        type: 'bool',
        versions: '6+',
        default: false,
        doc: 'True if the client wants to keep the currently ongoing transaction instead of aborting it.',
      },
    ],
  },
  response: {
    doc: `Response to InitProducerId.

Version notes:
- Starting in version 1, on quota violation, brokers send out responses before throttling.
- Version 2 is the first flexible version.
- Version 3 is the same as version 2.
- Version 4 adds the support for new error code PRODUCER_FENCED.
- Version 5 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 6 adds support for 2PC (KIP-939).`,
    errors: {
      COORDINATOR_NOT_AVAILABLE: 'the transaction coordinator is not ready',
      NOT_COORDINATOR: 'this broker is not the coordinator for the transactional id',
      COORDINATOR_LOAD_IN_PROGRESS: 'transaction state is still loading',
      CONCURRENT_TRANSACTIONS: 'the previous transaction of this id is still completing; retry',
      INVALID_PRODUCER_EPOCH: 'v3+: the given producer id/epoch is not the current one',
      PRODUCER_FENCED: 'a newer producer instance took over the transactional id',
      INVALID_TRANSACTION_TIMEOUT: 'the timeout exceeds transaction.max.timeout.ms',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not use the transactional id',
      CLUSTER_AUTHORIZATION_FAILED: 'idempotent write is not allowed for the principal',
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
      { name: 'producerId', type: 'int64', versions: '0+', default: -1n, doc: 'The current producer id.' },
      {
        name: 'producerEpoch',
        type: 'int16',
        versions: '0+',
        doc: 'The current epoch associated with the producer id.',
      },
      {
        name: 'ongoingTxnProducerId',
        type: 'int64',
        versions: '6+',
        default: -1n,
        doc: 'The producer id for ongoing transaction when KeepPreparedTxn is used, -1 if there is no transaction ongoing.',
      },
      {
        name: 'ongoingTxnProducerEpoch',
        type: 'int16',
        versions: '6+',
        default: -1,
        doc: 'The epoch associated with the  producer id for ongoing transaction when KeepPreparedTxn is used, -1 if there is no transaction ongoing.',
      },
    ],
  },
});
