/**
 * Heartbeat (API key 12): Keeps a classic group member alive between rebalances and tells it when to rejoin.
 */
import { defineApi } from '../schema/spec.js';

export const heartbeatApi = defineApi({
  apiKey: 12,
  name: 'Heartbeat',
  validVersions: [0, 4],
  flexibleVersions: 4,
  broker: [0, 4],
  request: {
    doc: `Keeps a classic group member alive between rebalances and tells it when to rejoin.

Version notes:
- Version 1 and version 2 are the same as version 0.
- Starting from version 3, we add a new field called groupInstanceId to indicate member identity across restarts.
- Version 4 is the first flexible version.`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The group id.' },
      { name: 'generationId', type: 'int32', versions: '0+', doc: 'The generation of the group.' },
      { name: 'memberId', type: 'string', versions: '0+', doc: 'The member ID.' },
      {
        name: 'groupInstanceId',
        type: 'string',
        versions: '3+',
        nullableVersions: '3+',
        default: null,
        doc: 'The unique identifier of the consumer instance provided by end user.',
      },
    ],
  },
  response: {
    doc: `Response to Heartbeat.

Version notes:
- Version 1 adds throttle time.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Starting from version 3, heartbeatRequest supports a new field called groupInstanceId to indicate member identity across restarts.
- Version 4 is the first flexible version.`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      ILLEGAL_GENERATION: 'the generation id is stale',
      UNKNOWN_MEMBER_ID: 'the member is not part of the group (expired or never joined)',
      REBALANCE_IN_PROGRESS: 'the group is rebalancing: the member must rejoin',
      FENCED_INSTANCE_ID: 'another member holds the static group instance id',
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
    ],
  },
});
