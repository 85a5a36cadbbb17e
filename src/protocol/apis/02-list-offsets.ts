/**
 * ListOffsets (API key 2): Looks up offsets by timestamp per partition: -2 earliest, -1 latest, -3 max timestamp (v7+), -4 earliest local (v8+), -5 latest tiered (v9+).
 */
import { defineApi } from '../schema/spec.js';

export const listOffsetsApi = defineApi({
  apiKey: 2,
  name: 'ListOffsets',
  validVersions: [1, 10],
  flexibleVersions: 6,
  broker: [1, 7],
  request: {
    doc: `Looks up offsets by timestamp per partition: -2 earliest, -1 latest, -3 max timestamp (v7+), -4 earliest local (v8+), -5 latest tiered (v9+).

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline.
- Version 1 removes MaxNumOffsets.  From this version forward, only a single offset can be returned.
- Version 2 adds the isolation level, which is used for transactional reads.
- Version 3 is the same as version 2.
- Version 4 adds the current leader epoch, which is used for fencing.
- Version 5 is the same as version 4.
- Version 6 enables flexible versions.
- Version 7 enables listing offsets by max timestamp (KIP-734).
- Version 8 enables listing offsets by local log start offset (KIP-405).
- Version 9 enables listing offsets by last tiered offset (KIP-1005).
- Version 10 enables async remote list offsets support (KIP-1075)`,
    fields: [
      {
        name: 'replicaId',
        type: 'int32',
        versions: '0+',
        doc: 'The broker ID of the requester, or -1 if this request is being made by a normal consumer.',
      },
      {
        name: 'isolationLevel',
        type: 'int8',
        versions: '2+',
        doc: 'This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in the result, which allows consumers to discard ABORTED transactional records.',
      },
      {
        name: 'topics',
        type: '[]ListOffsetsRequestListOffsetsTopic',
        versions: '0+',
        doc: 'Each topic in the request.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]ListOffsetsRequestListOffsetsPartition',
            versions: '0+',
            doc: 'Each partition in the request.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'currentLeaderEpoch',
                type: 'int32',
                versions: '4+',
                default: -1,
                doc: 'The current leader epoch.',
              },
              { name: 'timestamp', type: 'int64', versions: '0+', doc: 'The current timestamp.' },
            ],
          },
        ],
      },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '10+',
        doc: 'The timeout to await a response in milliseconds for requests that require reading from remote storage for topics enabled with tiered storage.',
      },
    ],
  },
  response: {
    doc: `Response to ListOffsets.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline.
- Version 1 removes the offsets array in favor of returning a single offset. Version 1 also adds the timestamp associated with the returned offset.
- Version 2 adds the throttle time.
- Starting in version 3, on quota violation, brokers send out responses before throttling.
- Version 4 adds the leader epoch, which is used for fencing.
- Version 5 adds a new error code, OFFSET_NOT_AVAILABLE.
- Version 6 enables flexible versions.
- Version 7 is the same as version 6 (KIP-734).
- Version 8 enables listing offsets by local log start offset. This is the earliest log start offset in the local log. (KIP-405).
- Version 9 enables listing offsets by last tiered offset (KIP-1005).
- Version 10 enables async remote list offsets support (KIP-1075)`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic or partition does not exist',
      NOT_LEADER_OR_FOLLOWER: 'this broker does not lead the partition',
      FENCED_LEADER_EPOCH: 'the request carries an older leader epoch',
      UNKNOWN_LEADER_EPOCH: 'the request carries a newer leader epoch',
      OFFSET_NOT_AVAILABLE: 'the offset is not yet known (leader change in progress, read_committed)',
      UNSUPPORTED_FOR_MESSAGE_FORMAT: 'timestamp lookup on a message format without timestamps',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not describe the topic',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '2+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'topics',
        type: '[]ListOffsetsResponseListOffsetsTopicResponse',
        versions: '0+',
        doc: 'Each topic in the response.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]ListOffsetsResponseListOffsetsPartitionResponse',
            versions: '0+',
            doc: 'Each partition in the response.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The partition error code, or 0 if there was no error.',
              },
              {
                name: 'timestamp',
                type: 'int64',
                versions: '1+',
                default: -1n,
                doc: 'The timestamp associated with the returned offset.',
              },
              { name: 'offset', type: 'int64', versions: '1+', default: -1n, doc: 'The returned offset.' },
              {
                name: 'leaderEpoch',
                type: 'int32',
                versions: '4+',
                default: -1,
                doc: 'The leader epoch associated with the returned offset.',
              },
            ],
          },
        ],
      },
    ],
  },
});
