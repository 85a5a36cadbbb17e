/**
 * DescribeCluster (API key 60): Describes the cluster: id, controller, brokers and (v1+) controllers, without the topic list of Metadata (KIP-700).
 */
import { defineApi } from '../schema/spec.js';

export const describeClusterApi = defineApi({
  apiKey: 60,
  name: 'DescribeCluster',
  validVersions: [0, 2],
  flexibleVersions: 0,
  broker: [0, 1],
  request: {
    doc: `Describes the cluster: id, controller, brokers and (v1+) controllers, without the topic list of Metadata (KIP-700).

Version notes:
- Version 1 adds EndpointType for KIP-919 support. Version 2 adds IncludeFencedBrokers for KIP-1073 support.`,
    fields: [
      {
        name: 'includeClusterAuthorizedOperations',
        type: 'bool',
        versions: '0+',
        doc: 'Whether to include cluster authorized operations.',
      },
      {
        name: 'endpointType',
        type: 'int8',
        versions: '1+',
        default: 1,
        doc: 'The endpoint type to describe. 1=brokers, 2=controllers.',
      },
      {
        name: 'includeFencedBrokers',
        type: 'bool',
        versions: '2+',
        doc: 'Whether to include fenced brokers when listing brokers.',
      },
    ],
  },
  response: {
    doc: `Response to DescribeCluster.

Version notes:
- Version 1 adds the EndpointType field, and makes MISMATCHED_ENDPOINT_TYPE and UNSUPPORTED_ENDPOINT_TYPE valid top-level response error codes. Version 2 adds IsFenced field to Brokers for KIP-1073 support.`,
    errors: {
      CLUSTER_AUTHORIZATION_FAILED: 'the principal may not describe the cluster',
      UNSUPPORTED_ENDPOINT_TYPE:
        'v1+: the endpoint type asks for controllers from a broker that does not serve them',
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
        versions: '0+',
        doc: 'The top-level error code, or 0 if there was no error.',
      },
      {
        name: 'errorMessage',
        type: 'string',
        versions: '0+',
        nullableVersions: '0+',
        default: null,
        doc: 'The top-level error message, or null if there was no error.',
      },
      {
        name: 'endpointType',
        type: 'int8',
        versions: '1+',
        default: 1,
        doc: 'The endpoint type that was described. 1=brokers, 2=controllers.',
      },
      {
        name: 'clusterId',
        type: 'string',
        versions: '0+',
        doc: 'The cluster ID that responding broker belongs to.',
      },
      {
        name: 'controllerId',
        type: 'int32',
        versions: '0+',
        default: -1,
        doc: 'The ID of the controller broker.',
      },
      {
        name: 'brokers',
        type: '[]DescribeClusterResponseDescribeClusterBroker',
        versions: '0+',
        doc: 'Each broker in the response.',
        fields: [
          { name: 'brokerId', type: 'int32', versions: '0+', doc: 'The broker ID.' },
          { name: 'host', type: 'string', versions: '0+', doc: 'The broker hostname.' },
          { name: 'port', type: 'int32', versions: '0+', doc: 'The broker port.' },
          {
            name: 'rack',
            type: 'string',
            versions: '0+',
            nullableVersions: '0+',
            default: null,
            doc: 'The rack of the broker, or null if it has not been assigned to a rack.',
          },
          { name: 'isFenced', type: 'bool', versions: '2+', doc: 'Whether the broker is fenced' },
        ],
      },
      {
        name: 'clusterAuthorizedOperations',
        type: 'int32',
        versions: '0+',
        default: -2147483648,
        doc: '32-bit bitfield to represent authorized operations for this cluster.',
      },
    ],
  },
});
