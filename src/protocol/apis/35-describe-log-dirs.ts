/**
 * DescribeLogDirs (API key 35): Describes the broker's log directories: per partition size, offset lag and whether it is a future replica; v4+ adds total and usable bytes.
 */
import { defineApi } from '../schema/spec.js';

export const describeLogDirsApi = defineApi({
  apiKey: 35,
  name: 'DescribeLogDirs',
  validVersions: [1, 4],
  flexibleVersions: 2,
  broker: [1, 4],
  request: {
    doc: `Describes the broker's log directories: per partition size, offset lag and whether it is a future replica; v4+ adds total and usable bytes.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline. Version 1 is the same as version 0. Version 2 is the first flexible version. Version 3 is the same as version 2 (new field in response). Version 4 is the same as version 2 (new fields in response).`,
    fields: [
      {
        name: 'topics',
        type: '[]DescribeLogDirsRequestDescribableLogDirTopic',
        versions: '0+',
        nullableVersions: '0+',
        doc: 'Each topic that we want to describe log directories for, or null for all topics.',
        fields: [
          { name: 'topic', type: 'string', versions: '0+', doc: 'The topic name.' },
          { name: 'partitions', type: '[]int32', versions: '0+', doc: 'The partition indexes.' },
        ],
      },
    ],
  },
  response: {
    doc: `Response to DescribeLogDirs.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline. Starting in version 1, on quota violation, brokers send out responses before throttling. Version 2 is the first flexible version. Version 3 adds the top-level ErrorCode field Version 4 adds the TotalBytes and UsableBytes fields`,
    errors: {
      CLUSTER_AUTHORIZATION_FAILED: 'top level (v3+): the principal may not describe the cluster',
      KAFKA_STORAGE_ERROR: 'per directory: the log directory is offline',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '3+',
        doc: 'The error code, or 0 if there was no error.',
      },
      {
        name: 'results',
        type: '[]DescribeLogDirsResponseDescribeLogDirsResult',
        versions: '0+',
        doc: 'The log directories.',
        fields: [
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The error code, or 0 if there was no error.',
          },
          { name: 'logDir', type: 'string', versions: '0+', doc: 'The absolute log directory path.' },
          {
            name: 'topics',
            type: '[]DescribeLogDirsResponseDescribeLogDirsTopic',
            versions: '0+',
            doc: 'The topics.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The topic name.' },
              {
                name: 'partitions',
                type: '[]DescribeLogDirsResponseDescribeLogDirsPartition',
                versions: '0+',
                doc: 'The partitions.',
                fields: [
                  { name: 'partitionIndex', type: 'int32', versions: '0+', doc: 'The partition index.' },
                  {
                    name: 'partitionSize',
                    type: 'int64',
                    versions: '0+',
                    doc: 'The size of the log segments in this partition in bytes.',
                  },
                  {
                    name: 'offsetLag',
                    type: 'int64',
                    versions: '0+',
                    doc: "The lag of the log's LEO w.r.t. partition's HW (if it is the current log for the partition) or current replica's LEO (if it is the future log for the partition).",
                  },
                  {
                    name: 'isFutureKey',
                    type: 'bool',
                    versions: '0+',
                    doc: 'True if this log is created by AlterReplicaLogDirsRequest and will replace the current log of the replica in the future.',
                  },
                ],
              },
            ],
          },
          {
            name: 'totalBytes',
            type: 'int64',
            versions: '4+',
            default: -1n,
            doc: 'The total size in bytes of the volume the log directory is in.',
          },
          {
            name: 'usableBytes',
            type: 'int64',
            versions: '4+',
            default: -1n,
            doc: 'The usable size in bytes of the volume the log directory is in.',
          },
        ],
      },
    ],
  },
});
