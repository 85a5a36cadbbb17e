/**
 * ElectLeaders (API key 43): Triggers preferred (type 0) or unclean (type 1, v1+) leader election for partitions.
 */
import { defineApi } from '../schema/spec.js';

export const electLeadersApi = defineApi({
  apiKey: 43,
  name: 'ElectLeaders',
  validVersions: [0, 2],
  flexibleVersions: 2,
  broker: [0, 2],
  request: {
    doc: `Triggers preferred (type 0) or unclean (type 1, v1+) leader election for partitions.

Version notes:
- Version 1 implements multiple leader election types, as described by KIP-460.
- Version 2 is the first flexible version.`,
    fields: [
      {
        name: 'electionType',
        type: 'int8',
        versions: '1+',
        doc: "Type of elections to conduct for the partition. A value of '0' elects the preferred replica. A value of '1' elects the first live replica if there are no in-sync replica.",
      },
      {
        name: 'topicPartitions',
        type: '[]ElectLeadersRequestTopicPartitions',
        versions: '0+',
        nullableVersions: '0+',
        doc: 'The topic partitions to elect leaders.',
        fields: [
          { name: 'topic', type: 'string', versions: '0+', doc: 'The name of a topic.' },
          {
            name: 'partitions',
            type: '[]int32',
            versions: '0+',
            doc: 'The partitions of this topic whose leader should be elected.',
          },
        ],
      },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '0+',
        default: 60000,
        doc: 'The time in ms to wait for the election to complete.',
      },
    ],
  },
  response: {
    doc: `Response to ElectLeaders.

Version notes:
- Version 1 adds a top-level error code.
- Version 2 is the first flexible version.`,
    errors: {
      CLUSTER_AUTHORIZATION_FAILED: 'top level: the principal may not alter the cluster',
      ELECTION_NOT_NEEDED: 'per partition: the preferred replica already leads',
      PREFERRED_LEADER_NOT_AVAILABLE: 'per partition: the preferred replica is not in sync',
      ELIGIBLE_LEADERS_NOT_AVAILABLE: 'per partition: no eligible replica is alive',
      UNKNOWN_TOPIC_OR_PARTITION: 'per partition: the partition does not exist',
      INVALID_REQUEST: 'the partition appears twice or the election type is unknown',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      { name: 'errorCode', type: 'int16', versions: '1+', doc: 'The top level response error code.' },
      {
        name: 'replicaElectionResults',
        type: '[]ElectLeadersResponseReplicaElectionResult',
        versions: '0+',
        doc: 'The election results, or an empty array if the requester did not have permission and the request asks for all partitions.',
        fields: [
          { name: 'topic', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitionResult',
            type: '[]ElectLeadersResponsePartitionResult',
            versions: '0+',
            doc: 'The results for each partition.',
            fields: [
              { name: 'partitionId', type: 'int32', versions: '0+', doc: 'The partition id.' },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The result error, or zero if there was no error.',
              },
              {
                name: 'errorMessage',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'The result message, or null if there was no error.',
              },
            ],
          },
        ],
      },
    ],
  },
});
