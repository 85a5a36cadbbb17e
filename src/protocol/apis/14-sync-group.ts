/**
 * SyncGroup (API key 14): Completes a classic rebalance: the leader sends the assignments, every member gets its own.
 */
import { defineApi } from '../schema/spec.js';

export const syncGroupApi = defineApi({
  apiKey: 14,
  name: 'SyncGroup',
  validVersions: [0, 5],
  flexibleVersions: 4,
  broker: [0, 5],
  request: {
    doc: `Completes a classic rebalance: the leader sends the assignments, every member gets its own.

Version notes:
- Versions 1 and 2 are the same as version 0.
- Starting from version 3, we add a new field called groupInstanceId to indicate member identity across restarts.
- Version 4 is the first flexible version.
- Starting from version 5, the client sends the Protocol Type and the Protocol Name to the broker (KIP-559). The broker will reject the request if they are inconsistent with the Type and Name known by the broker.`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The unique group identifier.' },
      { name: 'generationId', type: 'int32', versions: '0+', doc: 'The generation of the group.' },
      { name: 'memberId', type: 'string', versions: '0+', doc: 'The member ID assigned by the group.' },
      {
        name: 'groupInstanceId',
        type: 'string',
        versions: '3+',
        nullableVersions: '3+',
        default: null,
        doc: 'The unique identifier of the consumer instance provided by end user.',
      },
      {
        name: 'protocolType',
        type: 'string',
        versions: '5+',
        nullableVersions: '5+',
        default: null,
        doc: 'The group protocol type.',
      },
      {
        name: 'protocolName',
        type: 'string',
        versions: '5+',
        nullableVersions: '5+',
        default: null,
        doc: 'The group protocol name.',
      },
      {
        name: 'assignments',
        type: '[]SyncGroupRequestAssignment',
        versions: '0+',
        doc: 'Each assignment.',
        fields: [
          { name: 'memberId', type: 'string', versions: '0+', doc: 'The ID of the member to assign.' },
          { name: 'assignment', type: 'bytes', versions: '0+', doc: 'The member assignment.' },
        ],
      },
    ],
  },
  response: {
    doc: `Response to SyncGroup.

Version notes:
- Version 1 adds throttle time.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Starting from version 3, syncGroupRequest supports a new field called groupInstanceId to indicate member identity across restarts.
- Version 4 is the first flexible version.
- Starting from version 5, the broker sends back the Protocol Type and the Protocol Name to the client (KIP-559).`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      ILLEGAL_GENERATION: 'the generation id is stale',
      UNKNOWN_MEMBER_ID: 'the member is not part of the group',
      REBALANCE_IN_PROGRESS: 'a new rebalance started: rejoin',
      FENCED_INSTANCE_ID: 'another member holds the static group instance id',
      INCONSISTENT_GROUP_PROTOCOL: 'v5+: protocol type or name does not match the group',
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
        versions: '0+',
        doc: 'The error code, or 0 if there was no error.',
      },
      {
        name: 'protocolType',
        type: 'string',
        versions: '5+',
        nullableVersions: '5+',
        default: null,
        doc: 'The group protocol type.',
      },
      {
        name: 'protocolName',
        type: 'string',
        versions: '5+',
        nullableVersions: '5+',
        default: null,
        doc: 'The group protocol name.',
      },
      { name: 'assignment', type: 'bytes', versions: '0+', doc: 'The member assignment.' },
    ],
  },
});
