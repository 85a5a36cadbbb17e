/**
 * TxnOffsetCommit (API key 28): Commits consumer offsets as part of a transaction (sent to the group coordinator); they become visible when the transaction commits.
 */
import { defineApi } from '../schema/spec.js';

export const txnOffsetCommitApi = defineApi({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  validVersions: [0, 5],
  flexibleVersions: 3,
  broker: [0, 3],
  request: {
    doc: `Commits consumer offsets as part of a transaction (sent to the group coordinator); they become visible when the transaction commits.

Version notes:
- Version 1 is the same as version 0.
- Version 2 adds the committed leader epoch.
- Version 3 adds the member.id, group.instance.id and generation.id.
- Version 4 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 5 is the same as version 4 (KIP-890). Note when TxnOffsetCommit requests are used in transaction, if transaction V2 (KIP_890 part 2) is enabled, the TxnOffsetCommit request will also include the function for a AddOffsetsToTxn call. If V2 is disabled, the client can't use TxnOffsetCommit request version higher than 4 within a transaction.`,
    fields: [
      { name: 'transactionalId', type: 'string', versions: '0+', doc: 'The ID of the transaction.' },
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The ID of the group.' },
      {
        name: 'producerId',
        type: 'int64',
        versions: '0+',
        doc: 'The current producer ID in use by the transactional ID.',
      },
      {
        name: 'producerEpoch',
        type: 'int16',
        versions: '0+',
        doc: 'The current epoch associated with the producer ID.',
      },
      {
        name: 'generationId',
        type: 'int32',
        versions: '3+',
        default: -1,
        doc: 'The generation of the consumer.',
      },
      {
        name: 'memberId',
        type: 'string',
        versions: '3+',
        default: '',
        doc: 'The member ID assigned by the group coordinator.',
      },
      {
        name: 'groupInstanceId',
        type: 'string',
        versions: '3+',
        nullableVersions: '3+',
        default: null,
        doc: 'The unique identifier of the consumer instance provided by end user.',
      },
      {
        name: 'topics',
        type: '[]TxnOffsetCommitRequestTopic',
        versions: '0+',
        doc: 'Each topic that we want to commit offsets for.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]TxnOffsetCommitRequestPartition',
            versions: '0+',
            doc: 'The partitions inside the topic that we want to commit offsets for.',
            fields: [
              {
                name: 'partitionIndex',
                type: 'int32',
                versions: '0+',
                doc: 'The index of the partition within the topic.',
              },
              {
                name: 'committedOffset',
                type: 'int64',
                versions: '0+',
                doc: 'The message offset to be committed.',
              },
              {
                name: 'committedLeaderEpoch',
                type: 'int32',
                versions: '2+',
                default: -1,
                doc: 'The leader epoch of the last consumed record.',
              },
              {
                name: 'committedMetadata',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'Any associated metadata the client wants to keep.',
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    doc: `Response to TxnOffsetCommit.

Version notes:
- Starting in version 1, on quota violation, brokers send out responses before throttling.
- Version 2 is the same as version 1.
- Version 3 adds illegal generation, fenced instance id, and unknown member id errors.
- Version 4 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 5 is the same with version 3 (KIP-890).`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      INVALID_PRODUCER_EPOCH: 'the producer epoch is stale',
      PRODUCER_FENCED: 'a newer producer instance took over',
      UNKNOWN_MEMBER_ID: 'v3+: the member is not part of the group',
      ILLEGAL_GENERATION: 'v3+: the generation id is stale',
      FENCED_INSTANCE_ID: 'v3+: another member holds the static instance id',
      UNKNOWN_TOPIC_OR_PARTITION: 'the partition does not exist',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not read the topic',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not use the transactional id',
      CONCURRENT_TRANSACTIONS: 'the previous transaction is still completing',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'topics',
        type: '[]TxnOffsetCommitResponseTopic',
        versions: '0+',
        doc: 'The responses for each topic.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]TxnOffsetCommitResponsePartition',
            versions: '0+',
            doc: 'The responses for each partition in the topic.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The error code, or 0 if there was no error.',
              },
            ],
          },
        ],
      },
    ],
  },
});
