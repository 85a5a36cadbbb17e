/**
 * OffsetFetch (API key 9): Reads committed offsets of one group (v8+: several groups) for given partitions or all of them.
 */
import { defineApi } from '../schema/spec.js';

export const offsetFetchApi = defineApi({
  apiKey: 9,
  name: 'OffsetFetch',
  validVersions: [1, 10],
  flexibleVersions: 6,
  broker: [1, 8],
  request: {
    doc: `Reads committed offsets of one group (v8+: several groups) for given partitions or all of them.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline.
- In version 0, the request read offsets from ZK.
- Starting in version 1, the broker supports fetching offsets from the internal __consumer_offsets topic.
- Starting in version 2, the request can contain a null topics array to indicate that offsets for all topics should be fetched. It also returns a top level error code for group or coordinator level errors.
- Version 3, 4, and 5 are the same as version 2.
- Version 6 is the first flexible version.
- Version 7 is adding the require stable flag.
- Version 8 is adding support for fetching offsets for multiple groups at a time.
- Version 9 is the first version that can be used with the new consumer group protocol (KIP-848). It adds the MemberId and MemberEpoch fields. Those are filled in and validated when the new consumer protocol is used.
- Version 10 adds support for topic ids and removes support for topic names (KIP-848).`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0-7', doc: 'The group to fetch offsets for.' },
      {
        name: 'topics',
        type: '[]OffsetFetchRequestTopic',
        versions: '0-7',
        nullableVersions: '2-7',
        doc: 'Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.',
        fields: [
          { name: 'name', type: 'string', versions: '0-7', doc: 'The topic name.' },
          {
            name: 'partitionIndexes',
            type: '[]int32',
            versions: '0-7',
            doc: 'The partition indexes we would like to fetch offsets for.',
          },
        ],
      },
      {
        name: 'groups',
        type: '[]OffsetFetchRequestGroup',
        versions: '8+',
        doc: 'Each group we would like to fetch offsets for.',
        fields: [
          { name: 'groupId', type: 'string', versions: '8+', doc: 'The group ID.' },
          {
            name: 'memberId',
            type: 'string',
            versions: '9+',
            nullableVersions: '9+',
            default: null,
            doc: 'The member id.',
          },
          {
            name: 'memberEpoch',
            type: 'int32',
            versions: '9+',
            default: -1,
            doc: 'The member epoch if using the new consumer protocol (KIP-848).',
          },
          {
            name: 'topics',
            type: '[]OffsetFetchRequestTopics',
            versions: '8+',
            nullableVersions: '8+',
            doc: 'Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.',
            fields: [
              { name: 'name', type: 'string', versions: '8-9', doc: 'The topic name.' },
              { name: 'topicId', type: 'uuid', versions: '10+', doc: 'The topic ID.' },
              {
                name: 'partitionIndexes',
                type: '[]int32',
                versions: '8+',
                doc: 'The partition indexes we would like to fetch offsets for.',
              },
            ],
          },
        ],
      },
      {
        name: 'requireStable',
        type: 'bool',
        versions: '7+',
        default: false,
        doc: 'Whether broker should hold on returning unstable offsets but set a retriable error code for the partitions.',
      },
    ],
  },
  response: {
    doc: `Response to OffsetFetch.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline.
- Version 1 is the same as version 0.
- Version 2 adds a top-level error code.
- Version 3 adds the throttle time.
- Starting in version 4, on quota violation, brokers send out responses before throttling.
- Version 5 adds the leader epoch to the committed offset.
- Version 6 is the first flexible version.
- Version 7 adds pending offset commit as new error response on partition level.
- Version 8 is adding support for fetching offsets for multiple groups
- Version 9 is the first version that can be used with the new consumer group protocol (KIP-848). The response is the same as version 8 but can return STALE_MEMBER_EPOCH and UNKNOWN_MEMBER_ID errors when the new consumer group protocol is used.
- Version 10 adds support for topic ids and removes support for topic names (KIP-848). Supported errors: - GROUP_AUTHORIZATION_FAILED (version 0+) - NOT_COORDINATOR (version 0+) - COORDINATOR_NOT_AVAILABLE (version 0+) - COORDINATOR_LOAD_IN_PROGRESS (version 0+) - GROUP_ID_NOT_FOUND (version 0+) - UNSTABLE_OFFSET_COMMIT (version 7+) - UNKNOWN_MEMBER_ID (version 9+) - STALE_MEMBER_EPOCH (version 9+) - UNKNOWN_TOPIC_ID (version 10+)`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      UNKNOWN_TOPIC_OR_PARTITION: 'per partition: the partition does not exist',
      UNSTABLE_OFFSET_COMMIT: 'per partition: a transactional commit is pending and requireStable was set',
      GROUP_ID_NOT_FOUND: 'the group does not exist',
      UNKNOWN_MEMBER_ID: 'v9+: the member is not part of the group',
      STALE_MEMBER_EPOCH: 'v9+: the member epoch is stale',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '3+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'topics',
        type: '[]OffsetFetchResponseTopic',
        versions: '0-7',
        doc: 'The responses per topic.',
        fields: [
          { name: 'name', type: 'string', versions: '0-7', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]OffsetFetchResponsePartition',
            versions: '0-7',
            doc: 'The responses per partition.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0-7', doc: 'The partition index.' },
              {
                name: 'committedOffset',
                type: 'int64',
                versions: '0-7',
                doc: 'The committed message offset.',
              },
              {
                name: 'committedLeaderEpoch',
                type: 'int32',
                versions: '5-7',
                default: -1,
                doc: 'The leader epoch.',
              },
              {
                name: 'metadata',
                type: 'string',
                versions: '0-7',
                nullableVersions: '0-7',
                doc: 'The partition metadata.',
              },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0-7',
                doc: 'The error code, or 0 if there was no error.',
              },
            ],
          },
        ],
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '2-7',
        default: 0,
        doc: 'The top-level error code, or 0 if there was no error.',
      },
      {
        name: 'groups',
        type: '[]OffsetFetchResponseGroup',
        versions: '8+',
        doc: 'The responses per group id.',
        fields: [
          { name: 'groupId', type: 'string', versions: '8+', doc: 'The group ID.' },
          {
            name: 'topics',
            type: '[]OffsetFetchResponseTopics',
            versions: '8+',
            doc: 'The responses per topic.',
            fields: [
              { name: 'name', type: 'string', versions: '8-9', doc: 'The topic name.' },
              { name: 'topicId', type: 'uuid', versions: '10+', doc: 'The topic ID.' },
              {
                name: 'partitions',
                type: '[]OffsetFetchResponsePartitions',
                versions: '8+',
                doc: 'The responses per partition.',
                fields: [
                  { name: 'partitionIndex', type: 'int32', versions: '8+', doc: 'The partition index.' },
                  {
                    name: 'committedOffset',
                    type: 'int64',
                    versions: '8+',
                    doc: 'The committed message offset.',
                  },
                  {
                    name: 'committedLeaderEpoch',
                    type: 'int32',
                    versions: '8+',
                    default: -1,
                    doc: 'The leader epoch.',
                  },
                  {
                    name: 'metadata',
                    type: 'string',
                    versions: '8+',
                    nullableVersions: '8+',
                    doc: 'The partition metadata.',
                  },
                  {
                    name: 'errorCode',
                    type: 'int16',
                    versions: '8+',
                    doc: 'The partition-level error code, or 0 if there was no error.',
                  },
                ],
              },
            ],
          },
          {
            name: 'errorCode',
            type: 'int16',
            versions: '8+',
            default: 0,
            doc: 'The group-level error code, or 0 if there was no error.',
          },
        ],
      },
    ],
  },
});
