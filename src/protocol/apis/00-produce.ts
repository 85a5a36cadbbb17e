/**
 * Produce (API key 0): Appends record batches to topic partitions; the broker answers per partition with the base offset assigned (no response at all when acks=0).
 */
import { defineApi } from '../schema/spec.js';

export const produceApi = defineApi({
  apiKey: 0,
  name: 'Produce',
  validVersions: [0, 13],
  flexibleVersions: 9,
  broker: [0, 9],
  request: {
    doc: `Appends record batches to topic partitions; the broker answers per partition with the base offset assigned (no response at all when acks=0).

Version notes:
- Versions 0-2 were removed from Apache Kafka 4.0 (v3 is its baseline) but must still be advertised: librdkafka before 2.11.1 disables compression unless Produce v0 is listed (KAFKA-18659). This codec speaks 0-2 too: they are v3 without transactionalId (old clients such as kafka-python may send them).
- Version 1 and 2 are the same as version 0.
- Version 3 adds the transactional ID, which is used for authorization when attempting to write transactional data.  Version 3 also adds support for Kafka Message Format v2.
- Version 4 is the same as version 3, but the requester must be prepared to handle a KAFKA_STORAGE_ERROR.
- Version 5 and 6 are the same as version 3.
- Starting in version 7, records can be produced using ZStandard compression.  See KIP-110.
- Starting in Version 8, response has RecordErrors and ErrorMessage. See KIP-467.
- Version 9 enables flexible versions.
- Version 10 is the same as version 9 (KIP-951).
- Version 11 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 12 is the same as version 11 (KIP-890). Note when produce requests are used in transaction, if transaction V2 (KIP_890 part 2) is enabled, the produce request will also include the function for a AddPartitionsToTxn call. If V2 is disabled, the client can't use produce request version higher than 11 within a transaction. Version 13 replaces topic names with topic IDs (KIP-516). May return UNKNOWN_TOPIC_ID error code.`,
    fields: [
      {
        name: 'transactionalId',
        type: 'string',
        versions: '3+',
        nullableVersions: '3+',
        default: null,
        doc: 'The transactional ID, or null if the producer is not transactional.',
      },
      {
        name: 'acks',
        type: 'int16',
        versions: '0+',
        doc: 'The number of acknowledgments the producer requires the leader to have received before considering a request complete. Allowed values: 0 for no acknowledgments, 1 for only the leader and -1 for the full ISR.',
      },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '0+',
        doc: 'The timeout to await a response in milliseconds.',
      },
      {
        name: 'topicData',
        type: '[]ProduceRequestTopicProduceData',
        versions: '0+',
        doc: 'Each topic to produce to.',
        fields: [
          { name: 'name', type: 'string', versions: '0-12', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '13+', doc: 'The unique topic ID' },
          {
            name: 'partitionData',
            type: '[]ProduceRequestPartitionProduceData',
            versions: '0+',
            doc: 'Each partition to produce to.',
            fields: [
              { name: 'index', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'records',
                type: 'records',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'The record data to be produced.',
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    doc: `Response to Produce.

Version notes:
- Versions 0-2 were removed from Apache Kafka 4.0 (v3 is its baseline) but must still be advertised: librdkafka before 2.11.1 disables compression unless Produce v0 is listed (KAFKA-18659). This codec speaks 0-2 too: they are v3 without transactionalId (old clients such as kafka-python may send them).
- Version 1 added the throttle time. Version 2 added the log append time.
- Version 3 is the same as version 2.
- Version 4 added KAFKA_STORAGE_ERROR as a possible error code.
- Version 5 added LogStartOffset to filter out spurious OutOfOrderSequenceExceptions on the client.
- Version 8 added RecordErrors and ErrorMessage to include information about records that cause the whole batch to be dropped.  See KIP-467 for details.
- Version 9 enables flexible versions.
- Version 10 adds 'CurrentLeader' and 'NodeEndpoints' as tagged fields (KIP-951)
- Version 11 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 12 is the same as version 10 (KIP-890). Version 13 replaces topic names with topic IDs (KIP-516). May return UNKNOWN_TOPIC_ID error code.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic or partition does not exist on this broker',
      NOT_LEADER_OR_FOLLOWER:
        'this broker does not lead the partition; refresh metadata (v10+ carries the current leader)',
      CORRUPT_MESSAGE: 'a batch failed its CRC or size check',
      INVALID_RECORD: 'a record violates a topic rule (for example a keyless record on a compacted topic)',
      MESSAGE_TOO_LARGE: 'a batch exceeds max.message.bytes',
      RECORD_LIST_TOO_LARGE: 'the request exceeds the segment size',
      NOT_ENOUGH_REPLICAS: 'acks=all and fewer in-sync replicas than min.insync.replicas',
      INVALID_REQUIRED_ACKS: 'acks is not -1, 0 or 1',
      INVALID_TIMESTAMP: 'a timestamp is outside message.timestamp.*.max.ms',
      UNSUPPORTED_FOR_MESSAGE_FORMAT: 'the batch uses a feature the message format does not support',
      DUPLICATE_SEQUENCE_NUMBER: 'an idempotent producer resent a batch already written',
      OUT_OF_ORDER_SEQUENCE_NUMBER: 'an idempotent producer skipped sequence numbers',
      INVALID_PRODUCER_EPOCH: 'a newer producer with the same id exists',
      INVALID_TXN_STATE: 'a transactional batch arrived for a partition not added to the transaction',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not use the transactional id',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not write to the topic',
      KAFKA_STORAGE_ERROR: 'the log directory holding the partition is offline',
    },
    fields: [
      {
        name: 'responses',
        type: '[]ProduceResponseTopicProduceResponse',
        versions: '0+',
        doc: 'Each produce response.',
        fields: [
          { name: 'name', type: 'string', versions: '0-12', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '13+', doc: 'The unique topic ID' },
          {
            name: 'partitionResponses',
            type: '[]ProduceResponsePartitionProduceResponse',
            versions: '0+',
            doc: 'Each partition that we produced to within the topic.',
            fields: [
              { name: 'index', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The error code, or 0 if there was no error.',
              },
              { name: 'baseOffset', type: 'int64', versions: '0+', doc: 'The base offset.' },
              {
                name: 'logAppendTimeMs',
                type: 'int64',
                versions: '2+',
                default: -1n,
                doc: 'The timestamp returned by broker after appending the messages. If CreateTime is used for the topic, the timestamp will be -1.  If LogAppendTime is used for the topic, the timestamp will be the broker local time when the messages are appended.',
              },
              {
                name: 'logStartOffset',
                type: 'int64',
                versions: '5+',
                default: -1n,
                doc: 'The log start offset.',
              },
              {
                name: 'recordErrors',
                type: '[]ProduceResponseBatchIndexAndErrorMessage',
                versions: '8+',
                doc: 'The batch indices of records that caused the batch to be dropped.',
                fields: [
                  {
                    name: 'batchIndex',
                    type: 'int32',
                    versions: '8+',
                    doc: 'The batch index of the record that caused the batch to be dropped.',
                  },
                  {
                    name: 'batchIndexErrorMessage',
                    type: 'string',
                    versions: '8+',
                    nullableVersions: '8+',
                    default: null,
                    doc: 'The error message of the record that caused the batch to be dropped.',
                  },
                ],
              },
              {
                name: 'errorMessage',
                type: 'string',
                versions: '8+',
                nullableVersions: '8+',
                default: null,
                doc: 'The global error message summarizing the common root cause of the records that caused the batch to be dropped.',
              },
              {
                name: 'currentLeader',
                type: 'ProduceResponseLeaderIdAndEpoch',
                versions: '10+',
                tag: 0,
                taggedVersions: '10+',
                doc: 'The leader broker that the producer should use for future requests.',
                fields: [
                  {
                    name: 'leaderId',
                    type: 'int32',
                    versions: '10+',
                    default: -1,
                    doc: 'The ID of the current leader or -1 if the leader is unknown.',
                  },
                  {
                    name: 'leaderEpoch',
                    type: 'int32',
                    versions: '10+',
                    default: -1,
                    doc: 'The latest known leader epoch.',
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '1+',
        default: 0,
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'nodeEndpoints',
        type: '[]ProduceResponseNodeEndpoint',
        versions: '10+',
        tag: 0,
        taggedVersions: '10+',
        doc: 'Endpoints for all current-leaders enumerated in PartitionProduceResponses, with errors NOT_LEADER_OR_FOLLOWER.',
        fields: [
          { name: 'nodeId', type: 'int32', versions: '10+', doc: 'The ID of the associated node.' },
          { name: 'host', type: 'string', versions: '10+', doc: "The node's hostname." },
          { name: 'port', type: 'int32', versions: '10+', doc: "The node's port." },
          {
            name: 'rack',
            type: 'string',
            versions: '10+',
            nullableVersions: '10+',
            default: null,
            doc: 'The rack of the node, or null if it has not been assigned to a rack.',
          },
        ],
      },
    ],
  },
});
