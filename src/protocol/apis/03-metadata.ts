/**
 * Metadata (API key 3): Lists brokers, the controller, the cluster id and the partitions (leader, replicas, ISR) of some or all topics; may auto-create topics.
 */
import { defineApi } from '../schema/spec.js';

export const metadataApi = defineApi({
  apiKey: 3,
  name: 'Metadata',
  validVersions: [0, 13],
  flexibleVersions: 9,
  broker: [0, 12],
  request: {
    doc: `Lists brokers, the controller, the cluster id and the partitions (leader, replicas, ISR) of some or all topics; may auto-create topics.

Version notes:
- In version 0, an empty array indicates "request metadata for all topics."  In version 1 and higher, an empty array indicates "request metadata for no topics," and a null array is used to indicate "request metadata for all topics."
- Version 2 and 3 are the same as version 1.
- Version 4 adds AllowAutoTopicCreation.
- Starting in version 8, authorized operations can be requested for cluster and topic resource.
- Version 9 is the first flexible version.
- Version 10 adds topicId and allows name field to be null. However, the server never supported this. Versions 10 and 11 should not use the topicId field or set topic name to null.
- Version 11 deprecates IncludeClusterAuthorizedOperations field. This is now exposed by the DescribeCluster API (KIP-700). Version 12 supports topic Id. Version 13 supports top-level error code in the response.`,
    fields: [
      {
        name: 'topics',
        type: '[]MetadataRequestTopic',
        versions: '0+',
        nullableVersions: '1+',
        doc: 'The topics to fetch metadata for.',
        fields: [
          { name: 'topicId', type: 'uuid', versions: '10+', doc: 'The topic id.' },
          { name: 'name', type: 'string', versions: '0+', nullableVersions: '10+', doc: 'The topic name.' },
        ],
      },
      {
        name: 'allowAutoTopicCreation',
        type: 'bool',
        versions: '4+',
        default: true,
        doc: 'If this is true, the broker may auto-create topics that we requested which do not already exist, if it is configured to do so.',
      },
      {
        name: 'includeClusterAuthorizedOperations',
        type: 'bool',
        versions: '8-10',
        doc: 'Whether to include cluster authorized operations.',
      },
      {
        name: 'includeTopicAuthorizedOperations',
        type: 'bool',
        versions: '8+',
        doc: 'Whether to include topic authorized operations.',
      },
    ],
  },
  response: {
    doc: `Response to Metadata.

Version notes:
- Version 1 adds fields for the rack of each broker, the controller id, and whether or not the topic is internal.
- Version 2 adds the cluster ID field.
- Version 3 adds the throttle time.
- Version 4 is the same as version 3.
- Version 5 adds a per-partition offline_replicas field. This field specifies the list of replicas that are offline.
- Starting in version 6, on quota violation, brokers send out responses before throttling.
- Version 7 adds the leader epoch to the partition metadata.
- Starting in version 8, brokers can send authorized operations for topic and cluster.
- Version 9 is the first flexible version.
- Version 10 adds topicId.
- Version 11 deprecates ClusterAuthorizedOperations. This is now exposed by the DescribeCluster API (KIP-700). Version 12 supports topicId. Version 13 supports top-level error code in the response.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'per topic: the topic does not exist and was not auto-created',
      LEADER_NOT_AVAILABLE: 'per topic/partition: the topic is being created or its leader is being elected',
      INVALID_TOPIC_EXCEPTION: 'per topic: the name is not a legal topic name',
      TOPIC_AUTHORIZATION_FAILED: 'per topic: the principal may not describe the topic',
      REPLICA_NOT_AVAILABLE: 'per partition: a replica is offline (the data is still returned)',
      LISTENER_NOT_FOUND: "per partition: the leader has no listener with the request's listener name",
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '3+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'brokers',
        type: '[]MetadataResponseBroker',
        versions: '0+',
        doc: 'A list of brokers present in the cluster.',
        fields: [
          { name: 'nodeId', type: 'int32', versions: '0+', doc: 'The broker ID.' },
          { name: 'host', type: 'string', versions: '0+', doc: 'The broker hostname.' },
          { name: 'port', type: 'int32', versions: '0+', doc: 'The broker port.' },
          {
            name: 'rack',
            type: 'string',
            versions: '1+',
            nullableVersions: '1+',
            default: null,
            doc: 'The rack of the broker, or null if it has not been assigned to a rack.',
          },
        ],
      },
      {
        name: 'clusterId',
        type: 'string',
        versions: '2+',
        nullableVersions: '2+',
        default: null,
        doc: 'The cluster ID that responding broker belongs to.',
      },
      {
        name: 'controllerId',
        type: 'int32',
        versions: '1+',
        default: -1,
        doc: 'The ID of the controller broker.',
      },
      {
        name: 'topics',
        type: '[]MetadataResponseTopic',
        versions: '0+',
        doc: 'Each topic in the response.',
        fields: [
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The topic error, or 0 if there was no error.',
          },
          {
            name: 'name',
            type: 'string',
            versions: '0+',
            nullableVersions: '12+',
            doc: 'The topic name. Null for non-existing topics queried by ID. This is never null when ErrorCode is zero. One of Name and TopicId is always populated.',
          },
          {
            name: 'topicId',
            type: 'uuid',
            versions: '10+',
            doc: 'The topic id. Zero for non-existing topics queried by name. This is never zero when ErrorCode is zero. One of Name and TopicId is always populated.',
          },
          {
            name: 'isInternal',
            type: 'bool',
            versions: '1+',
            default: false,
            doc: 'True if the topic is internal.',
          },
          {
            name: 'partitions',
            type: '[]MetadataResponsePartition',
            versions: '0+',
            doc: 'Each partition in the topic.',
            fields: [
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The partition error, or 0 if there was no error.',
              },
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              { name: 'leaderId', type: 'int32', versions: '0+', doc: 'The ID of the leader broker.' },
              {
                name: 'leaderEpoch',
                type: 'int32',
                versions: '7+',
                default: -1,
                doc: 'The leader epoch of this partition.',
              },
              {
                name: 'replicaNodes',
                type: '[]int32',
                versions: '0+',
                doc: 'The set of all nodes that host this partition.',
              },
              {
                name: 'isrNodes',
                type: '[]int32',
                versions: '0+',
                doc: 'The set of nodes that are in sync with the leader for this partition.',
              },
              {
                name: 'offlineReplicas',
                type: '[]int32',
                versions: '5+',
                doc: 'The set of offline replicas of this partition.',
              },
            ],
          },
          {
            name: 'topicAuthorizedOperations',
            type: 'int32',
            versions: '8+',
            default: -2147483648,
            doc: '32-bit bitfield to represent authorized operations for this topic.',
          },
        ],
      },
      {
        name: 'clusterAuthorizedOperations',
        type: 'int32',
        versions: '8-10',
        default: -2147483648,
        doc: '32-bit bitfield to represent authorized operations for this cluster.',
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '13+',
        doc: 'The top-level error code, or 0 if there was no error.',
      },
    ],
  },
});
