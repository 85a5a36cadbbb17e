/**
 * CreateTopics (API key 19): Creates topics with a partition count and replication factor or an explicit assignment, and configs; v5+ returns the resulting configs.
 */
import { defineApi } from '../schema/spec.js';

export const createTopicsApi = defineApi({
  apiKey: 19,
  name: 'CreateTopics',
  validVersions: [2, 7],
  flexibleVersions: 5,
  broker: [2, 7],
  request: {
    doc: `Creates topics with a partition count and replication factor or an explicit assignment, and configs; v5+ returns the resulting configs.

Version notes:
- Versions 0-1 were removed in Apache Kafka 4.0, Version 2 is the new baseline.
- Version 1 adds validateOnly.
- Version 4 makes partitions/replicationFactor optional even when assignments are not present (KIP-464)
- Version 5 is the first flexible version. Version 5 also returns topic configs in the response (KIP-525).
- Version 6 is identical to version 5 but may return a THROTTLING_QUOTA_EXCEEDED error in the response if the topics creation is throttled (KIP-599).
- Version 7 is the same as version 6.`,
    fields: [
      {
        name: 'topics',
        type: '[]CreateTopicsRequestCreatableTopic',
        versions: '0+',
        doc: 'The topics to create.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'numPartitions',
            type: 'int32',
            versions: '0+',
            doc: 'The number of partitions to create in the topic, or -1 if we are either specifying a manual partition assignment or using the default partitions.',
          },
          {
            name: 'replicationFactor',
            type: 'int16',
            versions: '0+',
            doc: 'The number of replicas to create for each partition in the topic, or -1 if we are either specifying a manual partition assignment or using the default replication factor.',
          },
          {
            name: 'assignments',
            type: '[]CreateTopicsRequestCreatableReplicaAssignment',
            versions: '0+',
            doc: 'The manual partition assignment, or the empty array if we are using automatic assignment.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              {
                name: 'brokerIds',
                type: '[]int32',
                versions: '0+',
                doc: 'The brokers to place the partition on.',
              },
            ],
          },
          {
            name: 'configs',
            type: '[]CreateTopicsRequestCreatableTopicConfig',
            versions: '0+',
            doc: 'The custom topic configurations to set.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The configuration name.' },
              {
                name: 'value',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'The configuration value.',
              },
            ],
          },
        ],
      },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '0+',
        default: 60000,
        doc: 'How long to wait in milliseconds before timing out the request.',
      },
      {
        name: 'validateOnly',
        type: 'bool',
        versions: '1+',
        default: false,
        doc: "If true, check that the topics can be created as specified, but don't create anything.",
      },
    ],
  },
  response: {
    doc: `Response to CreateTopics.

Version notes:
- Versions 0-1 were removed in Apache Kafka 4.0, Version 2 is the new baseline.
- Version 1 adds a per-topic error message string.
- Version 2 adds the throttle time.
- Starting in version 3, on quota violation, brokers send out responses before throttling.
- Version 4 makes partitions/replicationFactor optional even when assignments are not present (KIP-464).
- Version 5 is the first flexible version. Version 5 also returns topic configs in the response (KIP-525).
- Version 6 is identical to version 5 but may return a THROTTLING_QUOTA_EXCEEDED error in the response if the topics creation is throttled (KIP-599).
- Version 7 returns the topic ID of the newly created topic if creation is successful.`,
    errors: {
      TOPIC_ALREADY_EXISTS: 'a topic of that name exists',
      INVALID_TOPIC_EXCEPTION: 'the name is illegal',
      INVALID_PARTITIONS: 'the partition count is < 1 or conflicts with the assignment',
      INVALID_REPLICATION_FACTOR: 'the replication factor is < 1 or exceeds the brokers available',
      INVALID_REPLICA_ASSIGNMENT: 'the manual assignment is inconsistent',
      INVALID_CONFIG: 'a config name or value is invalid',
      POLICY_VIOLATION: 'a create-topic policy rejected the topic',
      NOT_CONTROLLER: 'this broker is not the controller (older clients send there)',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not create the topic',
      INVALID_REQUEST: 'the request is malformed (e.g. duplicate topic names)',
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
        type: '[]CreateTopicsResponseCreatableTopicResult',
        versions: '0+',
        doc: 'Results for each topic we tried to create.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          { name: 'topicId', type: 'uuid', versions: '7+', doc: 'The unique topic ID.' },
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The error code, or 0 if there was no error.',
          },
          {
            name: 'errorMessage',
            type: 'string',
            versions: '1+',
            nullableVersions: '0+',
            doc: 'The error message, or null if there was no error.',
          },
          {
            name: 'topicConfigErrorCode',
            type: 'int16',
            versions: '5+',
            tag: 0,
            taggedVersions: '5+',
            doc: 'Optional topic config error returned if configs are not returned in the response.',
          },
          {
            name: 'numPartitions',
            type: 'int32',
            versions: '5+',
            default: -1,
            doc: 'Number of partitions of the topic.',
          },
          {
            name: 'replicationFactor',
            type: 'int16',
            versions: '5+',
            default: -1,
            doc: 'Replication factor of the topic.',
          },
          {
            name: 'configs',
            type: '[]CreateTopicsResponseCreatableTopicConfigs',
            versions: '5+',
            nullableVersions: '5+',
            doc: 'Configuration of the topic.',
            fields: [
              { name: 'name', type: 'string', versions: '5+', doc: 'The configuration name.' },
              {
                name: 'value',
                type: 'string',
                versions: '5+',
                nullableVersions: '5+',
                doc: 'The configuration value.',
              },
              {
                name: 'readOnly',
                type: 'bool',
                versions: '5+',
                doc: 'True if the configuration is read-only.',
              },
              {
                name: 'configSource',
                type: 'int8',
                versions: '5+',
                default: -1,
                doc: 'The configuration source.',
              },
              {
                name: 'isSensitive',
                type: 'bool',
                versions: '5+',
                doc: 'True if this configuration is sensitive.',
              },
            ],
          },
        ],
      },
    ],
  },
});
