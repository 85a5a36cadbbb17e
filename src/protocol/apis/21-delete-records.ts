/**
 * DeleteRecords (API key 21): Moves the log start offset of partitions forward, deleting the records before it.
 */
import { defineApi } from '../schema/spec.js';

export const deleteRecordsApi = defineApi({
  apiKey: 21,
  name: 'DeleteRecords',
  validVersions: [0, 2],
  flexibleVersions: 2,
  broker: [0, 2],
  request: {
    doc: `Moves the log start offset of partitions forward, deleting the records before it.

Version notes:
- Version 1 is the same as version 0. Version 2 is the first flexible version.`,
    fields: [
      {
        name: 'topics',
        type: '[]DeleteRecordsRequestDeleteRecordsTopic',
        versions: '0+',
        doc: 'Each topic that we want to delete records from.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]DeleteRecordsRequestDeleteRecordsPartition',
            versions: '0+',
            doc: 'Each partition that we want to delete records from.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              { name: 'offset', type: 'int64', versions: '0+', doc: 'The deletion offset.' },
            ],
          },
        ],
      },
      {
        name: 'timeoutMs',
        type: 'int32',
        versions: '0+',
        doc: 'How long to wait for the deletion to complete, in milliseconds.',
      },
    ],
  },
  response: {
    doc: `Response to DeleteRecords.

Version notes:
- Starting in version 1, on quota violation, brokers send out responses before throttling. Version 2 is the first flexible version.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the partition does not exist',
      NOT_LEADER_OR_FOLLOWER: 'this broker does not lead the partition',
      OFFSET_OUT_OF_RANGE: 'the offset is above the high watermark',
      POLICY_VIOLATION: 'deleting records of a compacted topic is not allowed',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not delete from the topic',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'topics',
        type: '[]DeleteRecordsResponseDeleteRecordsTopicResult',
        versions: '0+',
        doc: 'Each topic that we wanted to delete records from.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
          {
            name: 'partitions',
            type: '[]DeleteRecordsResponseDeleteRecordsPartitionResult',
            versions: '0+',
            doc: 'Each partition that we wanted to delete records from.',
            fields: [
              { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
              { name: 'lowWatermark', type: 'int64', versions: '0+', doc: 'The partition low water mark.' },
              {
                name: 'errorCode',
                type: 'int16',
                versions: '0+',
                doc: 'The deletion error code, or 0 if the deletion succeeded.',
              },
            ],
          },
        ],
      },
    ],
  },
});
