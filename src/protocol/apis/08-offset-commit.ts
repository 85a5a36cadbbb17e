/**
 * OffsetCommit (API key 8): Commits consumed offsets for a consumer group (classic groups; v9+ adds KIP-848 member epochs).
 */
import { defineApi } from '../schema/spec.js';

export const offsetCommitApi = defineApi({
  apiKey: 8,
  name: 'OffsetCommit',
  validVersions: [2, 10],
  flexibleVersions: 8,
  broker: [2, 8],
  request: {
    doc: `Commits consumed offsets for a consumer group (classic groups; v9+ adds KIP-848 member epochs).

Version notes:
- Versions 0-1 were removed in Apache Kafka 4.0, Version 2 is the new baseline.
- Version 1 adds timestamp and group membership information, as well as the commit timestamp.
- Version 2 adds retention time.  It removes the commit timestamp added in version 1.
- Version 3 and 4 are the same as version 2.
- Version 5 removes the retention time, which is now controlled only by a broker configuration.
- Version 6 adds the leader epoch for fencing.
- version 7 adds a new field called groupInstanceId to indicate member identity across restarts.
- Version 8 is the first flexible version.
- Version 9 is the first version that can be used with the new consumer group protocol (KIP-848). The request is the same as version 8.
- Version 10 adds support for topic ids and removes support for topic names (KIP-848).`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The unique group identifier.' },
      {
        name: 'generationIdOrMemberEpoch',
        type: 'int32',
        versions: '1+',
        default: -1,
        doc: 'The generation of the group if using the classic group protocol or the member epoch if using the consumer protocol.',
      },
      {
        name: 'memberId',
        type: 'string',
        versions: '1+',
        doc: 'The member ID assigned by the group coordinator.',
      },
      {
        name: 'groupInstanceId',
        type: 'string',
        versions: '7+',
        nullableVersions: '7+',
        default: null,
        doc: 'The unique identifier of the consumer instance provided by end user.',
      },
      {
        name: 'retentionTimeMs',
        type: 'int64',
        versions: '2-4',
        default: -1n,
        doc: 'The time period in ms to retain the offset.',
      },
      {
        name: 'topics',
        type: '[]OffsetCommitRequestTopic',
        versions: '0+',
        doc: 'The topics to commit offsets for.',
        fields: [
          { name: 'name', type: 'string', versions: '0-9', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '10+', doc: 'The topic ID.' },
          {
            name: 'partitions',
            type: '[]OffsetCommitRequestPartition',
            versions: '0+',
            doc: 'Each partition to commit offsets for.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'committedOffset',
                type: 'int64',
                versions: '0+',
                doc: 'The message offset to be committed.',
              },
              {
                name: 'committedLeaderEpoch',
                type: 'int32',
                versions: '6+',
                default: -1,
                doc: 'The leader epoch of this partition.',
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
    doc: `Response to OffsetCommit.

Version notes:
- Versions 0-1 were removed in Apache Kafka 4.0, Version 2 is the new baseline.
- Versions 1 and 2 are the same as version 0.
- Version 3 adds the throttle time to the response.
- Starting in version 4, on quota violation, brokers send out responses before throttling.
- Versions 5 and 6 are the same as version 4.
- Version 7 offsetCommitRequest supports a new field called groupInstanceId to indicate member identity across restarts.
- Version 8 is the first flexible version.
- Version 9 is the first version that can be used with the new consumer group protocol (KIP-848). The response is the same as version 8 but can return STALE_MEMBER_EPOCH when the new consumer group protocol is used and GROUP_ID_NOT_FOUND when the group does not exist for both protocols.
- Version 10 adds support for topic ids and removes support for topic names (KIP-848). Supported errors: - GROUP_AUTHORIZATION_FAILED (version 0+) - NOT_COORDINATOR (version 0+) - COORDINATOR_NOT_AVAILABLE (version 0+) - COORDINATOR_LOAD_IN_PROGRESS (version 0+) - ILLEGAL_GENERATION (version 1+) - UNKNOWN_MEMBER_ID (version 1+) - INVALID_COMMIT_OFFSET_SIZE (version 0+) - FENCED_MEMBER_EPOCH (version 7+) - GROUP_ID_NOT_FOUND (version 9+) - STALE_MEMBER_EPOCH (version 9+) - UNKNOWN_TOPIC_ID (version 10+)`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      ILLEGAL_GENERATION: 'the generation id is stale: the group rebalanced',
      UNKNOWN_MEMBER_ID: 'the member is not part of the group',
      REBALANCE_IN_PROGRESS: 'the group is rebalancing; rejoin then commit',
      FENCED_INSTANCE_ID: 'another member holds the static group instance id',
      INVALID_COMMIT_OFFSET_SIZE: 'the metadata string is too large',
      OFFSET_METADATA_TOO_LARGE: 'the metadata string exceeds offset.metadata.max.bytes',
      UNKNOWN_TOPIC_OR_PARTITION: 'the partition does not exist',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not read the topic',
      STALE_MEMBER_EPOCH: 'v9+: the member epoch is stale (KIP-848)',
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
        type: '[]OffsetCommitResponseTopic',
        versions: '0+',
        doc: 'The responses for each topic.',
        fields: [
          { name: 'name', type: 'string', versions: '0-9', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '10+', doc: 'The topic ID.' },
          {
            name: 'partitions',
            type: '[]OffsetCommitResponsePartition',
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
