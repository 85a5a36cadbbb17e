/**
 * DescribeConfigs (API key 32): Describes configs of topics, brokers, broker loggers, client metrics or groups, with sources and (v1+) synonyms, (v3+) types and docs.
 */
import { defineApi } from '../schema/spec.js';

export const describeConfigsApi = defineApi({
  apiKey: 32,
  name: 'DescribeConfigs',
  validVersions: [1, 4],
  flexibleVersions: 4,
  broker: [1, 4],
  request: {
    doc: `Describes configs of topics, brokers, broker loggers, client metrics or groups, with sources and (v1+) synonyms, (v3+) types and docs.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline. Version 1 adds IncludeSynonyms and removes IsDefault. Version 2 is the same as version 1. Version 4 enables flexible versions.`,
    fields: [
      {
        name: 'resources',
        type: '[]DescribeConfigsRequestDescribeConfigsResource',
        versions: '0+',
        doc: 'The resources whose configurations we want to describe.',
        fields: [
          { name: 'resourceType', type: 'int8', versions: '0+', doc: 'The resource type.' },
          { name: 'resourceName', type: 'string', versions: '0+', doc: 'The resource name.' },
          {
            name: 'configurationKeys',
            type: '[]string',
            versions: '0+',
            nullableVersions: '0+',
            doc: 'The configuration keys to list, or null to list all configuration keys.',
          },
        ],
      },
      {
        name: 'includeSynonyms',
        type: 'bool',
        versions: '1+',
        default: false,
        doc: 'True if we should include all synonyms.',
      },
      {
        name: 'includeDocumentation',
        type: 'bool',
        versions: '3+',
        default: false,
        doc: 'True if we should include configuration documentation.',
      },
    ],
  },
  response: {
    doc: `Response to DescribeConfigs.

Version notes:
- Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline. Version 1 adds ConfigSource and the synonyms. Starting in version 2, on quota violation, brokers send out responses before throttling. Version 4 enables flexible versions.`,
    errors: {
      UNKNOWN_TOPIC_OR_PARTITION: 'the topic does not exist',
      INVALID_REQUEST: 'unknown resource type, or a broker id that is not this broker',
      TOPIC_AUTHORIZATION_FAILED: 'the principal may not describe the topic configs',
      CLUSTER_AUTHORIZATION_FAILED: 'the principal may not describe broker configs',
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
        type: '[]DescribeConfigsResponseDescribeConfigsResult',
        versions: '0+',
        doc: 'The results for each resource.',
        fields: [
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The error code, or 0 if we were able to successfully describe the configurations.',
          },
          {
            name: 'errorMessage',
            type: 'string',
            versions: '0+',
            nullableVersions: '0+',
            doc: 'The error message, or null if we were able to successfully describe the configurations.',
          },
          { name: 'resourceType', type: 'int8', versions: '0+', doc: 'The resource type.' },
          { name: 'resourceName', type: 'string', versions: '0+', doc: 'The resource name.' },
          {
            name: 'configs',
            type: '[]DescribeConfigsResponseDescribeConfigsResourceResult',
            versions: '0+',
            doc: 'Each listed configuration.',
            fields: [
              { name: 'name', type: 'string', versions: '0+', doc: 'The configuration name.' },
              {
                name: 'value',
                type: 'string',
                versions: '0+',
                nullableVersions: '0+',
                doc: 'The configuration value.',
              },
              {
                name: 'readOnly',
                type: 'bool',
                versions: '0+',
                doc: 'True if the configuration is read-only.',
              },
              {
                name: 'configSource',
                type: 'int8',
                versions: '1+',
                default: -1,
                doc: 'The configuration source.',
              },
              {
                name: 'isSensitive',
                type: 'bool',
                versions: '0+',
                doc: 'True if this configuration is sensitive.',
              },
              {
                name: 'synonyms',
                type: '[]DescribeConfigsResponseDescribeConfigsSynonym',
                versions: '1+',
                doc: 'The synonyms for this configuration key.',
                fields: [
                  { name: 'name', type: 'string', versions: '1+', doc: 'The synonym name.' },
                  {
                    name: 'value',
                    type: 'string',
                    versions: '1+',
                    nullableVersions: '0+',
                    doc: 'The synonym value.',
                  },
                  { name: 'source', type: 'int8', versions: '1+', doc: 'The synonym source.' },
                ],
              },
              {
                name: 'configType',
                type: 'int8',
                versions: '3+',
                default: 0,
                doc: 'The configuration data type. Type can be one of the following values - BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, CLASS, PASSWORD.',
              },
              {
                name: 'documentation',
                type: 'string',
                versions: '3+',
                nullableVersions: '0+',
                doc: 'The configuration documentation.',
              },
            ],
          },
        ],
      },
    ],
  },
});
