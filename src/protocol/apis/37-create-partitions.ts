/**
 * CreatePartitions (API key 37): Raises the partition count of topics, optionally with replica assignments for the new partitions.
 */
import { defineApi } from '../schema/spec.js';

export const createPartitionsApi = defineApi({
  apiKey: 37,
  name: 'CreatePartitions',
  validVersions: [0, 3],
  flexibleVersions: 2,
  broker: [0, 3],
  request: {
    doc: `Raises the partition count of topics, optionally with replica assignments for the new partitions.

Version notes:
- Version 1 is the same as version 0.
- Version 2 adds flexible version support
- Version 3 is identical to version 2 but may return a THROTTLING_QUOTA_EXCEEDED error in the response if the partitions creation is throttled (KIP-599).`,
    fields: [
      {
        name: 'topics',
        type: '[]CreatePartitionsRequestCreatePartitionsTopic',
        versions: '0+',
        doc: 'Each topic that we want to create new partitions inside.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          { name: 'count', type: 'int32', versions: '0+', doc: 'The new partition count.' },
          {
            name: 'assignments',
            type: '[]CreatePartitionsRequestCreatePartitionsAssignment',
            versions: '0+',
            nullableVersions: '0+',
            doc: 'The new partition assignments.',
            fields: [{ name: 'brokerIds', type: '[]int32', versions: '0+', doc: 'The assigned broker IDs.' }],
          },
        ],
      },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '0+',
        doc: 'The time in ms to wait for the partitions to be created.',
      },
      {
        name: 'validateOnly',
        type: 'bool',
        versions: '0+',
        doc: "If true, then validate the request, but don't actually increase the number of partitions.",
      },
    ],
  },
  response: {
    doc: `Response to CreatePartitions.

Version notes:
- Starting in version 1, on quota violation, brokers send out responses before throttling.
- Version 2 adds flexible version support
- Version 3 is identical to version 2 but may return a THROTTLING_QUOTA_EXCEEDED error in the response if the partitions creation is throttled (KIP-599).`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic does not exist',
      INVALID_PARTITIONS: 'the new count is not greater than the current one',
      INVALID_REPLICA_ASSIGNMENT: 'the assignment is inconsistent',
      POLICY_VIOLATION: 'a policy rejected the change',
      NOT_CONTROLLER: 'this broker is not the controller',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not alter the topic',
      INVALID_REQUEST: 'the same topic appears twice',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'results',
        type: '[]CreatePartitionsResponseCreatePartitionsTopicResult',
        versions: '0+',
        doc: 'The partition creation results for each topic.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
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
            default: null,
            doc: 'The result message, or null if there was no error.',
          },
        ],
      },
    ],
  },
});
