/**
 * Fetch (API key 1): Reads record batches from topic partitions starting at given offsets, waiting up to maxWaitMs for minBytes; also used by followers to replicate.
 */
import { defineApi } from '../schema/spec.js';

export const fetchApi = defineApi({
  apiKey: 1,
  name: 'Fetch',
  validVersions: [4, 18],
  flexibleVersions: 12,
  broker: [4, 12],
  request: {
    doc: `Reads record batches from topic partitions starting at given offsets, waiting up to maxWaitMs for minBytes; also used by followers to replicate.

Version notes:
- Versions 0-3 were removed in Apache Kafka 4.0, Version 4 is the new baseline.
- Version 1 is the same as version 0. Starting in Version 2, the requester must be able to handle Kafka Log Message format version 1. Version 3 adds MaxBytes.  Starting in version 3, the partition ordering in the request is now relevant.  Partitions will be processed in the order they appear in the request.
- Version 4 adds IsolationLevel.  Starting in version 4, the reqestor must be able to handle Kafka log message format version 2.
- Version 5 adds LogStartOffset to indicate the earliest available offset of partition data that can be consumed.
- Version 6 is the same as version 5.
- Version 7 adds incremental fetch request support.
- Version 8 is the same as version 7.
- Version 9 adds CurrentLeaderEpoch, as described in KIP-320.
- Version 10 indicates that we can use the ZStd compression algorithm, as described in KIP-110. Version 12 adds flexible versions support as well as epoch validation through the \`LastFetchedEpoch\` field
- Version 13 replaces topic names with topic IDs (KIP-516). May return UNKNOWN_TOPIC_ID error code.
- Version 14 is the same as version 13 but it also receives a new error called OffsetMovedToTieredStorageException(KIP-405)
- Version 15 adds the ReplicaState which includes new field ReplicaEpoch and the ReplicaId. Also, deprecate the old ReplicaId field and set its default value to -1. (KIP-903)
- Version 16 is the same as version 15 (KIP-951).
- Version 17 adds directory id support from KIP-853
- Version 18 adds high-watermark from KIP-1166`,
    fields: [
      {
        name: 'clusterId',
        type: 'string',
        versions: '12+',
        nullableVersions: '12+',
        tag: 0,
        taggedVersions: '12+',
        default: null,
        doc: 'The clusterId if known. This is used to validate metadata fetches prior to broker registration.',
      },
      {
        name: 'replicaId',
        type: 'int32',
        versions: '0-14',
        default: -1,
        doc: 'The broker ID of the follower, of -1 if this request is from a consumer.',
      },
      {
        name: 'replicaState',
        type: 'FetchRequestReplicaState',
        versions: '15+',
        tag: 1,
        taggedVersions: '15+',
        doc: 'The state of the replica in the follower.',
        fields: [
          {
            name: 'replicaId',
            type: 'int32',
            versions: '15+',
            default: -1,
            doc: 'The replica ID of the follower, or -1 if this request is from a consumer.',
          },
          {
            name: 'replicaEpoch',
            type: 'int64',
            versions: '15+',
            default: -1n,
            doc: 'The epoch of this follower, or -1 if not available.',
          },
        ],
      },
      {
        name: 'maxWaitMs',
        type: 'int32',
        versions: '0+',
        doc: 'The maximum time in milliseconds to wait for the response.',
      },
      {
        name: 'minBytes',
        type: 'int32',
        versions: '0+',
        doc: 'The minimum bytes to accumulate in the response.',
      },
      {
        name: 'maxBytes',
        type: 'int32',
        versions: '3+',
        default: 2147483647,
        doc: 'The maximum bytes to fetch.  See KIP-74 for cases where this limit may not be honored.',
      },
      {
        name: 'isolationLevel',
        type: 'int8',
        versions: '4+',
        default: 0,
        doc: 'This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in the result, which allows consumers to discard ABORTED transactional records.',
      },
      { name: 'sessionId', type: 'int32', versions: '7+', default: 0, doc: 'The fetch session ID.' },
      {
        name: 'sessionEpoch',
        type: 'int32',
        versions: '7+',
        default: -1,
        doc: 'The fetch session epoch, which is used for ordering requests in a session.',
      },
      {
        name: 'topics',
        type: '[]FetchRequestFetchTopic',
        versions: '0+',
        doc: 'The topics to fetch.',
        fields: [
          { name: 'topic', type: 'string', versions: '0-12', doc: 'The name of the topic to fetch.' },
          { name: 'topicId', type: 'uuid', versions: '13+', doc: 'The unique topic ID.' },
          {
            name: 'partitions',
            type: '[]FetchRequestFetchPartition',
            versions: '0+',
            doc: 'The partitions to fetch.',
            fields: [
              { name: 'partition', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'currentLeaderEpoch',
                type: 'int32',
                versions: '9+',
                default: -1,
                doc: 'The current leader epoch of the partition.',
              },
              { name: 'fetchOffset', type: 'int64', versions: '0+', doc: 'The message offset.' },
              {
                name: 'lastFetchedEpoch',
                type: 'int32',
                versions: '12+',
                default: -1,
                doc: 'The epoch of the last fetched record or -1 if there is none.',
              },
              {
                name: 'logStartOffset',
                type: 'int64',
                versions: '5+',
                default: -1n,
                doc: 'The earliest available offset of the follower replica.  The field is only used when the request is sent by the follower.',
              },
              {
                name: 'partitionMaxBytes',
                type: 'int32',
                versions: '0+',
                doc: 'The maximum bytes to fetch from this partition.  See KIP-74 for cases where this limit may not be honored.',
              },
              {
                name: 'replicaDirectoryId',
                type: 'uuid',
                versions: '17+',
                tag: 0,
                taggedVersions: '17+',
                doc: 'The directory id of the follower fetching.',
              },
              {
                name: 'highWatermark',
                type: 'int64',
                versions: '18+',
                tag: 1,
                taggedVersions: '18+',
                default: 9223372036854775807n,
                doc: 'The high-watermark known by the replica. -1 if the high-watermark is not known and 9223372036854775807 if the feature is not supported.',
              },
            ],
          },
        ],
      },
      {
        name: 'forgottenTopicsData',
        type: '[]FetchRequestForgottenTopic',
        versions: '7+',
        doc: 'In an incremental fetch request, the partitions to remove.',
        fields: [
          { name: 'topic', type: 'string', versions: '7-12', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '13+', doc: 'The unique topic ID.' },
          { name: 'partitions', type: '[]int32', versions: '7+', doc: 'The partitions indexes to forget.' },
        ],
      },
      {
        name: 'rackId',
        type: 'string',
        versions: '11+',
        default: '',
        doc: 'Rack ID of the consumer making this request.',
      },
    ],
  },
  response: {
    doc: `Response to Fetch.

Version notes:
- Versions 0-3 were removed in Apache Kafka 4.0, Version 4 is the new baseline.
- Version 1 adds throttle time. Version 2 and 3 are the same as version 1.
- Version 4 adds features for transactional consumption.
- Version 5 adds LogStartOffset to indicate the earliest available offset of partition data that can be consumed.
- Starting in version 6, we may return KAFKA_STORAGE_ERROR as an error code.
- Version 7 adds incremental fetch request support.
- Starting in version 8, on quota violation, brokers send out responses before throttling.
- Version 9 is the same as version 8.
- Version 10 indicates that the response data can use the ZStd compression algorithm, as described in KIP-110. Version 12 adds support for flexible versions, epoch detection through the \`TruncationOffset\` field, and leader discovery through the \`CurrentLeader\` field
- Version 13 replaces the topic name field with topic ID (KIP-516).
- Version 14 is the same as version 13 but it also receives a new error called OffsetMovedToTieredStorageException (KIP-405)
- Version 15 is the same as version 14 (KIP-903).
- Version 16 adds the 'NodeEndpoints' field (KIP-951).
- Version 17 no changes to the response (KIP-853).
- Version 18 no changes to the response (KIP-1166)`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic or partition does not exist on this broker',
      UNKNOWN_TOPIC_ID: 'v13+: the topic id is unknown',
      NOT_LEADER_OR_FOLLOWER: 'this broker neither leads nor follows the partition; refresh metadata',
      OFFSET_OUT_OF_RANGE: 'the fetch offset is below the log start or above the log end',
      FENCED_LEADER_EPOCH: 'the request carries an older leader epoch than the broker knows',
      UNKNOWN_LEADER_EPOCH: 'the request carries a newer leader epoch than the broker knows',
      FETCH_SESSION_ID_NOT_FOUND: 'top level: the incremental fetch session expired or never existed',
      INVALID_FETCH_SESSION_EPOCH: 'top level: the fetch session epoch is out of sequence',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not read the topic',
      KAFKA_STORAGE_ERROR: 'the log directory holding the partition is offline',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '1+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      { name: 'errorCode', type: 'int16', versions: '7+', doc: 'The top level response error code.' },
      {
        name: 'sessionId',
        type: 'int32',
        versions: '7+',
        default: 0,
        doc: 'The fetch session ID, or 0 if this is not part of a fetch session.',
      },
      {
        name: 'responses',
        type: '[]FetchResponseFetchableTopicResponse',
        versions: '0+',
        doc: 'The response topics.',
        fields: [
          { name: 'topic', type: 'string', versions: '0-12', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '13+', doc: 'The unique topic ID.' },
          {
            name: 'partitions',
            type: '[]FetchResponsePartitionData',
            versions: '0+',
            doc: 'The topic partitions.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The error code, or 0 if there was no fetch error.',
              },
              { name: 'highWatermark', type: 'int64', versions: '0+', doc: 'The current high water mark.' },
              {
                name: 'lastStableOffset',
                type: 'int64',
                versions: '4+',
                default: -1n,
                doc: 'The last stable offset (or LSO) of the partition. This is the last offset such that the state of all transactional records prior to this offset have been decided (ABORTED or COMMITTED).',
              },
              {
                name: 'logStartOffset',
                type: 'int64',
                versions: '5+',
                default: -1n,
                doc: 'The current log start offset.',
              },
              {
                name: 'divergingEpoch',
                type: 'FetchResponseEpochEndOffset',
                versions: '12+',
                tag: 0,
                taggedVersions: '12+',
                doc: 'In case divergence is detected based on the `LastFetchedEpoch` and `FetchOffset` in the request, this field indicates the largest epoch and its end offset such that subsequent records are known to diverge.',
                fields: [
                  { name: 'epoch', type: 'int32', versions: '12+', default: -1, doc: 'The largest epoch.' },
                  {
                    name: 'endOffset',
                    type: 'int64',
                    versions: '12+',
                    default: -1n,
                    doc: 'The end offset of the epoch.',
                  },
                ],
              },
              {
                name: 'currentLeader',
                type: 'FetchResponseLeaderIdAndEpoch',
                versions: '12+',
                tag: 1,
                taggedVersions: '12+',
                doc: 'The current leader of the partition.',
                fields: [
                  {
                    name: 'leaderId',
                    type: 'int32',
                    versions: '12+',
                    default: -1,
                    doc: 'The ID of the current leader or -1 if the leader is unknown.',
                  },
                  {
                    name: 'leaderEpoch',
                    type: 'int32',
                    versions: '12+',
                    default: -1,
                    doc: 'The latest known leader epoch.',
                  },
                ],
              },
              {
                name: 'snapshotId',
                type: 'FetchResponseSnapshotId',
                versions: '12+',
                tag: 2,
                taggedVersions: '12+',
                doc: 'In the case of fetching an offset less than the LogStartOffset, this is the end offset and epoch that should be used in the FetchSnapshot request.',
                fields: [
                  {
                    name: 'endOffset',
                    type: 'int64',
                    versions: '0+',
                    default: -1n,
                    doc: 'The end offset of the epoch.',
                  },
                  { name: 'epoch', type: 'int32', versions: '0+', default: -1, doc: 'The largest epoch.' },
                ],
              },
              {
                name: 'abortedTransactions',
                type: '[]FetchResponseAbortedTransaction',
                versions: '4+',
                nullableVersions: '4+',
                doc: 'The aborted transactions.',
                fields: [
                  {
                    name: 'producerId',
                    type: 'int64',
                    versions: '4+',
                    doc: 'The producer id associated with the aborted transaction.',
                  },
                  {
                    name: 'firstOffset',
                    type: 'int64',
                    versions: '4+',
                    doc: 'The first offset in the aborted transaction.',
                  },
                ],
              },
              {
                name: 'preferredReadReplica',
                type: 'int32',
                versions: '11+',
                default: -1,
                doc: 'The preferred read replica for the consumer to use on its next fetch request.',
              },
              {
                name: 'records',
                type: 'records',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'The record data.',
              },
            ],
          },
        ],
      },
      {
        name: 'nodeEndpoints',
        type: '[]FetchResponseNodeEndpoint',
        versions: '16+',
        tag: 0,
        taggedVersions: '16+',
        doc: 'Endpoints for all current-leaders enumerated in PartitionData, with errors NOT_LEADER_OR_FOLLOWER & FENCED_LEADER_EPOCH.',
        fields: [
          { name: 'nodeId', type: 'int32', versions: '16+', doc: 'The ID of the associated node.' },
          { name: 'host', type: 'string', versions: '16+', doc: "The node's hostname." },
          { name: 'port', type: 'int32', versions: '16+', doc: "The node's port." },
          {
            name: 'rack',
            type: 'string',
            versions: '16+',
            nullableVersions: '16+',
            default: null,
            doc: 'The rack of the node, or null if it has not been assigned to a rack.',
          },
        ],
      },
    ],
  },
});
