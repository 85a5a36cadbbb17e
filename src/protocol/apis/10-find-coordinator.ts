/**
 * FindCoordinator (API key 10): Finds the broker coordinating a group (key type 0) or a transactional id (key type 1); v4+ looks up several keys at once.
 */
import { defineApi } from '../schema/spec.js';

export const findCoordinatorApi = defineApi({
  apiKey: 10,
  name: 'FindCoordinator',
  validVersions: [0, 6],
  flexibleVersions: 3,
  broker: [0, 4],
  request: {
    doc: `Finds the broker coordinating a group (key type 0) or a transactional id (key type 1); v4+ looks up several keys at once.

Version notes:
- Version 1 adds KeyType.
- Version 2 is the same as version 1.
- Version 3 is the first flexible version.
- Version 4 adds support for batching via CoordinatorKeys (KIP-699)
- Version 5 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 6 adds support for share groups (KIP-932). For key type SHARE (2), the coordinator key format is "groupId:topicId:partition".`,
    fields: [
      { name: 'key', type: 'string', versions: '0-3', doc: 'The coordinator key.' },
      {
        name: 'keyType',
        type: 'int8',
        versions: '1+',
        default: 0,
        doc: 'The coordinator key type. (group, transaction, share).',
      },
      { name: 'coordinatorKeys', type: '[]string', versions: '4+', doc: 'The coordinator keys.' },
    ],
  },
  response: {
    doc: `Response to FindCoordinator.

Version notes:
- Version 1 adds throttle time and error messages.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Version 3 is the first flexible version.
- Version 4 adds support for batching via Coordinators (KIP-699)
- Version 5 adds support for new error code TRANSACTION_ABORTABLE (KIP-890).
- Version 6 adds support for share groups (KIP-932).`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the coordinator is not available yet (offsets or transaction topic being created)',
      NOT_COORDINATOR: 'the key maps to no available coordinator',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not describe the group',
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the principal may not describe the transactional id',
      INVALID_REQUEST: 'unknown key type',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '1+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0-3',
        doc: 'The error code, or 0 if there was no error.',
      },
      {
        name: 'errorMessage',
        type: 'string',
        versions: '1-3',
        nullableVersions: '1-3',
        doc: 'The error message, or null if there was no error.',
      },
      { name: 'nodeId', type: 'int32', versions: '0-3', doc: 'The node id.' },
      { name: 'host', type: 'string', versions: '0-3', doc: 'The host name.' },
      { name: 'port', type: 'int32', versions: '0-3', doc: 'The port.' },
      {
        name: 'coordinators',
        type: '[]FindCoordinatorResponseCoordinator',
        versions: '4+',
        doc: 'Each coordinator result in the response.',
        fields: [
          { name: 'key', type: 'string', versions: '4+', doc: 'The coordinator key.' },
          { name: 'nodeId', type: 'int32', versions: '4+', doc: 'The node id.' },
          { name: 'host', type: 'string', versions: '4+', doc: 'The host name.' },
          { name: 'port', type: 'int32', versions: '4+', doc: 'The port.' },
          {
            name: 'errorCode',
            type: 'int16',
            versions: '4+',
            doc: 'The error code, or 0 if there was no error.',
          },
          {
            name: 'errorMessage',
            type: 'string',
            versions: '4+',
            nullableVersions: '4+',
            doc: 'The error message, or null if there was no error.',
          },
        ],
      },
    ],
  },
});
