/**
 * AlterConfigs (API key 33): Replaces the whole dynamic config set of resources (non-incremental: configs not listed are removed).
 */
import { defineApi } from '../schema/spec.js';

export const alterConfigsApi = defineApi({
  apiKey: 33,
  name: 'AlterConfigs',
  validVersions: [0, 2],
  flexibleVersions: 2,
  broker: [0, 2],
  request: {
    doc: `Replaces the whole dynamic config set of resources (non-incremental: configs not listed are removed).

Version notes:
- Version 1 is the same as version 0. Version 2 enables flexible versions.`,
    fields: [
      {
        name: 'resources',
        type: '[]AlterConfigsRequestAlterConfigsResource',
        versions: '0+',
        doc: 'The updates for each resource.',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+', doc: 'The resource type.' },
          { name: 'resourceName', type: 'string', versions: '0+', doc: 'The resource name.' },
          {
            name: 'configs',
            type: '[]AlterConfigsRequestAlterableConfig',
            versions: '0+',
            doc: 'The configurations.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The configuration key name.' },
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
    doc: `Response to AlterConfigs.

Version notes:
- Starting in version 1, on quota violation brokers send out responses before throttling. Version 2 enables flexible versions.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic does not exist',
      INVALID_CONFIG: 'a config name or value is invalid',
      INVALID_REQUEST: 'unknown resource type or duplicate resource',
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
        type: '[]AlterConfigsResponseAlterConfigsResourceResponse',
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
