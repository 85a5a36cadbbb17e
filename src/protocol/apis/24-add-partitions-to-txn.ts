/**
 * AddPartitionsToTxn (API key 24): Adds partitions to the producer's ongoing transaction before it writes to them; v4+ are broker-to-coordinator batched/verify requests.
 */
import { defineApi } from '../schema/spec.js';

export const addPartitionsToTxnApi = defineApi({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  validVersions: [0, 5],
  flexibleVersions: 3,
  broker: [0, 3],
  request: {
    doc: `Adds partitions to the producer's ongoing transaction before it writes to them; v4+ are broker-to-coordinator batched/verify requests.

Version notes:
- Version 1 is the same as version 0.
- Version 2 adds the support for new error code PRODUCER_FENCED.
- Version 3 enables flexible versions.
- Version 4 adds VerifyOnly field to check if partitions are already in transaction and adds support to batch multiple transactions.
- Version 5 adds support for new error code TRANSACTION_ABORTABLE (KIP-890). Versions 3 and below will be exclusively used by clients and versions 4 and above will be used by brokers.`,
    fields: [
      {
        name: 'transactions',
        type: '[]AddPartitionsToTxnRequestAddPartitionsToTxnTransaction',
        versions: '4+',
        doc: 'List of transactions to add partitions to.',
        fields: [
          {
            name: 'transactionalId',
            type: 'string',
            versions: '4+',
            doc: 'The transactional id corresponding to the transaction.',
          },
          {
            name: 'producerId',
            type: 'int64',
            versions: '4+',
            doc: 'Current producer id in use by the transactional id.',
          },
          {
            name: 'producerEpoch',
            type: 'int16',
            versions: '4+',
            doc: 'Current epoch associated with the producer id.',
          },
          {
            name: 'verifyOnly',
            type: 'bool',
            versions: '4+',
            default: false,
            doc: 'Boolean to signify if we want to check if the partition is in the transaction rather than add it.',
          },
          {
            name: 'topics',
            type: '[]AddPartitionsToTxnRequestAddPartitionsToTxnTopic',
            versions: '4+',
            doc: 'The partitions to add to the transaction.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The name of the topic.' },
              {
                name: 'partitions',
                type: '[]int32',
                versions: '0+',
                doc: 'The partition indexes to add to the transaction.',
              },
            ],
          },
        ],
      },
      {
        name: 'v3AndBelowTransactionalId',
        type: 'string',
        versions: '0-3',
        doc: 'The transactional id corresponding to the transaction.',
      },
      {
        name: 'v3AndBelowProducerId',
        type: 'int64',
        versions: '0-3',
        doc: 'Current producer id in use by the transactional id.',
      },
      {
        name: 'v3AndBelowProducerEpoch',
        type: 'int16',
        versions: '0-3',
        doc: 'Current epoch associated with the producer id.',
      },
      {
        name: 'v3AndBelowTopics',
        type: '[]AddPartitionsToTxnRequestAddPartitionsToTxnTopic',
        versions: '0-3',
        doc: 'The partitions to add to the transaction.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The name of the topic.' },
          {
            name: 'partitions',
            type: '[]int32',
            versions: '0+',
            doc: 'The partition indexes to add to the transaction.',
          },
        ],
      },
    ],
  },
  response: {
    doc: `Response to AddPartitionsToTxn.

Version notes:
- Starting in version 1, on quota violation brokers send out responses before throttling.
- Version 2 adds the support for new error code PRODUCER_FENCED.
- Version 3 enables flexible versions.
- Version 4 adds support to batch multiple transactions and a top level error code.
- Version 5 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).`,
    errors: {
      NOT_COORDINATOR: 'this broker is not the transaction coordinator',
      COORDINATOR_NOT_AVAILABLE: 'the transaction coordinator is not ready',
      COORDINATOR_LOAD_IN_PROGRESS: 'transaction state is still loading',
      CONCURRENT_TRANSACTIONS: 'the previous transaction is still completing; retry',
      INVALID_PRODUCER_ID_MAPPING: 'the producer id does not belong to the transactional id',
      INVALID_PRODUCER_EPOCH: 'the producer epoch is stale',
      PRODUCER_FENCED: 'a newer producer instance took over',
      INVALID_TXN_STATE: 'the transaction is not in a state that accepts partitions',
      OPERATION_NOT_ATTEMPTED: 'another partition of the request failed, this one was not tried',
      UNKNOWN_TOPIC_OR_PARTITION: 'the partition does not exist',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not write to the topic',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not use the transactional id',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      { name: 'errorCode', type: 'int16', versions: '4+', doc: 'The response top level error code.' },
      {
        name: 'resultsByTransaction',
        type: '[]AddPartitionsToTxnResponseAddPartitionsToTxnResult',
        versions: '4+',
        doc: 'Results categorized by transactional ID.',
        fields: [
          {
            name: 'transactionalId',
            type: 'string',
            versions: '4+',
            doc: 'The transactional id corresponding to the transaction.',
          },
          {
            name: 'topicResults',
            type: '[]AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult',
            versions: '4+',
            doc: 'The results for each topic.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
              {
                name: 'resultsByPartition',
                type: '[]AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult',
                versions: '0+',
                doc: 'The results for each partition.',
                fields: [
                  { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition indexes.' },
                  {
                    name: 'partitionErrorCode',
                    type: 'int16',
                    versions: '0+',
                    doc: 'The response error code.',
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        name: 'resultsByTopicV3AndBelow',
        type: '[]AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult',
        versions: '0-3',
        doc: 'The results for each topic.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'resultsByPartition',
            type: '[]AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult',
            versions: '0+',
            doc: 'The results for each partition.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition indexes.' },
              { name: 'partitionErrorCode', type: 'int16', versions: '0+', doc: 'The response error code.' },
            ],
          },
        ],
      },
    ],
  },
});
