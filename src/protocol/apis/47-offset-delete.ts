/**
 * OffsetDelete (API key 47): Deletes a group's committed offsets for partitions the group is not subscribed to (KIP-496).
 */
import { defineApi } from '../schema/spec.js';

export const offsetDeleteApi = defineApi({
  apiKey: 47,
  name: 'OffsetDelete',
  validVersions: [0, 0],
  flexibleVersions: null,
  broker: [0, 0],
  request: {
    doc: `Deletes a group's committed offsets for partitions the group is not subscribed to (KIP-496).`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The unique group identifier.' },
      {
        name: 'topics',
        type: '[]OffsetDeleteRequestTopic',
        versions: '0+',
        doc: 'The topics to delete offsets for.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]OffsetDeleteRequestPartition',
            versions: '0+',
            doc: 'Each partition to delete offsets for.',
            fields: [{ name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' }],
          },
        ],
      },
    ],
  },
  response: {
    doc: `Response to OffsetDelete.`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      GROUP_ID_NOT_FOUND: 'the group does not exist',
      GROUP_SUBSCRIBED_TO_TOPIC: 'per partition: an active member is subscribed to the topic',
      NON_EMPTY_GROUP: 'the group is not empty and not a consumer group',
      UNKNOWN_TOPIC_OR_PARTITION: 'per partition: the partition does not exist',
      TOPIC_AUTHORIZATION_FAILED: 'per partition: the principal may not read the topic',
    },
    fields: [
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0+',
        doc: 'The top-level error code, or 0 if there was no error.',
      },
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'topics',
        type: '[]OffsetDeleteResponseTopic',
        versions: '0+',
        doc: 'The responses for each topic.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]OffsetDeleteResponsePartition',
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
