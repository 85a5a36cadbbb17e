/**
 * ApiVersions (API key 18): Lists the API keys and version ranges the broker supports (and, v3+, its features). Sent first on every connection; its response always uses response header v0 so that a client can parse it before knowing whether the broker speaks flexible versions (KIP-511).
 */
import { defineApi } from '../schema/spec.js';

export const apiVersionsApi = defineApi({
  apiKey: 18,
  name: 'ApiVersions',
  validVersions: [0, 4],
  flexibleVersions: 3,
  broker: [0, 4],
  request: {
    doc: `Lists the API keys and version ranges the broker supports (and, v3+, its features). Sent first on every connection; its response always uses response header v0 so that a client can parse it before knowing whether the broker speaks flexible versions (KIP-511).

Version notes:
- Versions 0 through 2 of ApiVersionsRequest are the same.
- Version 3 is the first flexible version and adds ClientSoftwareName and ClientSoftwareVersion.
- Version 4 fixes KAFKA-17011, which blocked SupportedFeatures.MinVersion in the response from being 0.`,
    fields: [
      { name: 'clientSoftwareName', type: 'string', versions: '3+', doc: 'The name of the client.' },
      { name: 'clientSoftwareVersion', type: 'string', versions: '3+', doc: 'The version of the client.' },
    ],
  },
  response: {
    doc: `Response to ApiVersions.

Version notes:
- Version 1 adds throttle time to the response.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Version 3 is the first flexible version. Tagged fields are only supported in the body but not in the header. The length of the header must not change in order to guarantee the backward compatibility.
- Starting from Apache Kafka 2.4 (KIP-511), ApiKeys field is populated with the supported versions of the ApiVersionsRequest when an UNSUPPORTED_VERSION error is returned.
- Version 4 fixes KAFKA-17011, which blocked SupportedFeatures.MinVersion from being 0.`,
    errors: {
      UNSUPPORTED_VERSION:
        'the request version is unknown: the broker answers with a v0 body carrying the full ApiKeys list so the client can retry',
      INVALID_REQUEST: 'v3+: the client software name or version is not a valid identifier',
    },
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+', doc: 'The top-level error code.' },
      {
        name: 'apiKeys',
        type: '[]ApiVersionsResponseApiVersion',
        versions: '0+',
        doc: 'The APIs supported by the broker.',
        fields: [
          { name: 'apiKey', type: 'int16', versions: '0+', doc: 'The API index.' },
          {
            name: 'minVersion',
            type: 'int16',
            versions: '0+',
            doc: 'The minimum supported version, inclusive.',
          },
          {
            name: 'maxVersion',
            type: 'int16',
            versions: '0+',
            doc: 'The maximum supported version, inclusive.',
          },
        ],
      },
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '1+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'supportedFeatures',
        type: '[]ApiVersionsResponseSupportedFeatureKey',
        versions: '3+',
        tag: 0,
        taggedVersions: '3+',
        doc: 'Features supported by the broker. Note: in v0-v3, features with MinSupportedVersion = 0 are omitted.',
        fields: [
          { name: 'name', type: 'string', versions: '3+', doc: 'The name of the feature.' },
          {
            name: 'minVersion',
            type: 'int16',
            versions: '3+',
            doc: 'The minimum supported version for the feature.',
          },
          {
            name: 'maxVersion',
            type: 'int16',
            versions: '3+',
            doc: 'The maximum supported version for the feature.',
          },
        ],
      },
      {
        name: 'finalizedFeaturesEpoch',
        type: 'int64',
        versions: '3+',
        tag: 1,
        taggedVersions: '3+',
        default: -1n,
        doc: 'The monotonically increasing epoch for the finalized features information. Valid values are >= 0. A value of -1 is special and represents unknown epoch.',
      },
      {
        name: 'finalizedFeatures',
        type: '[]ApiVersionsResponseFinalizedFeatureKey',
        versions: '3+',
        tag: 2,
        taggedVersions: '3+',
        doc: 'List of cluster-wide finalized features. The information is valid only if FinalizedFeaturesEpoch >= 0.',
        fields: [
          { name: 'name', type: 'string', versions: '3+', doc: 'The name of the feature.' },
          {
            name: 'maxVersionLevel',
            type: 'int16',
            versions: '3+',
            doc: 'The cluster-wide finalized max version level for the feature.',
          },
          {
            name: 'minVersionLevel',
            type: 'int16',
            versions: '3+',
            doc: 'The cluster-wide finalized min version level for the feature.',
          },
        ],
      },
      {
        name: 'zkMigrationReady',
        type: 'bool',
        versions: '3+',
        tag: 3,
        taggedVersions: '3+',
        default: false,
        doc: 'Set by a KRaft controller if the required configurations for ZK migration are present.',
      },
    ],
  },
});
