/**
 * IncrementalAlterConfigs (API key 44): Changes individual configs of resources: set, delete, append to or subtract from list values (KIP-339).
 */
import { defineApi } from '../schema/spec.js';

export const incrementalAlterConfigsApi = defineApi({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  validVersions: [0, 1],
  flexibleVersions: 1,
  broker: [0, 1],
  request: {
    doc: `Changes individual configs of resources: set, delete, append to or subtract from list values (KIP-339).

Version notes:
- Version 1 is the first flexible version.`,
    fields: [
      {
        name: 'resources',
        type: '[]IncrementalAlterConfigsRequestAlterConfigsResource',
        versions: '0+',
        doc: 'The incremental updates for each resource.',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+', doc: 'The resource type.' },
          { name: 'resourceName', type: 'string', versions: '0+', doc: 'The resource name.' },
          {
            name: 'configs',
            type: '[]IncrementalAlterConfigsRequestAlterableConfig',
            versions: '0+',
            doc: 'The configurations.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The configuration key name.' },
              {
                name: 'configOperation',
                type: 'int8',
                versions: '0+',
                doc: 'The type (Set, Delete, Append, Subtract) of operation.',
              },
              {
                name: 'value',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'The value to set for the configuration key.',
              },
            ],
          },
        ],
      },
      {
        name: 'validateOnly',
        type: 'bool',
        versions: '0+',
        doc: 'True if we should validate the request, but not change the configurations.',
      },
    ],
  },
  response: {
    doc: `Response to IncrementalAlterConfigs.

Version notes:
- Version 1 is the first flexible version.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic does not exist',
      INVALID_CONFIG: 'a config name, value or operation is invalid',
      INVALID_REQUEST: 'unknown resource type, or the same config twice',
      POLICY_VIOLATION: 'an alter-config policy rejected the change',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not alter the topic configs',
      CLUSTER_AUTHORIZATION_FAILED: 'the principal may not alter broker configs',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '0+',
        doc: 'Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'responses',
        type: '[]IncrementalAlterConfigsResponseAlterConfigsResourceResponse',
        versions: '0+',
        doc: 'The responses for each resource.',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+', doc: 'The resource error code.' },
          {
            name: 'errorMessage',
            type: 'string',
            versions: '0+',
            nullableVersions: '0+',
            doc: 'The resource error message, or null if there was no error.',
          },
          { name: 'resourceType', type: 'int8', versions: '0+', doc: 'The resource type.' },
          { name: 'resourceName', type: 'string', versions: '0+', doc: 'The resource name.' },
        ],
      },
    ],
  },
});
