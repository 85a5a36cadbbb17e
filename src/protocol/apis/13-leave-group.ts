/**
 * LeaveGroup (API key 13): Removes one member (v0-2) or several members by member or instance id (v3+) from a classic group.
 */
import { defineApi } from '../schema/spec.js';

export const leaveGroupApi = defineApi({
  apiKey: 13,
  name: 'LeaveGroup',
  validVersions: [0, 5],
  flexibleVersions: 4,
  broker: [0, 4],
  request: {
    doc: `Removes one member (v0-2) or several members by member or instance id (v3+) from a classic group.

Version notes:
- Version 1 and 2 are the same as version 0.
- Version 3 defines batch processing scheme with group.instance.id + member.id for identity
- Version 4 is the first flexible version.
- Version 5 adds the Reason field (KIP-800).`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The ID of the group to leave.' },
      { name: 'memberId', type: 'string', versions: '0-2', doc: 'The member ID to remove from the group.' },
      {
        name: 'members',
        type: '[]LeaveGroupRequestMemberIdentity',
        versions: '3+',
        doc: 'List of leaving member identities.',
        fields: [
          {
            name: 'memberId',
            type: 'string',
            versions: '3+',
            doc: 'The member ID to remove from the group.',
          },
          {
            name: 'groupInstanceId',
            type: 'string',
            versions: '3+',
            nullableVersions: '3+',
            default: null,
            doc: 'The group instance ID to remove from the group.',
          },
          {
            name: 'reason',
            type: 'string',
            versions: '5+',
            nullableVersions: '5+',
            default: null,
            doc: 'The reason why the member left the group.',
          },
        ],
      },
    ],
  },
  response: {
    doc: `Response to LeaveGroup.

Version notes:
- Version 1 adds the throttle time.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Starting in version 3, we will make leave group request into batch mode and add group.instance.id.
- Version 4 is the first flexible version.
- Version 5 is the same as version 4.`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      UNKNOWN_MEMBER_ID: 'the member is not part of the group',
      FENCED_INSTANCE_ID: 'the instance id belongs to another member',
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
        name: 'members',
        type: '[]LeaveGroupResponseMemberResponse',
        versions: '3+',
        doc: 'List of leaving member responses.',
        fields: [
          {
            name: 'memberId',
            type: 'string',
            versions: '3+',
            doc: 'The member ID to remove from the group.',
          },
          {
            name: 'groupInstanceId',
            type: 'string',
            versions: '3+',
            nullableVersions: '3+',
            doc: 'The group instance ID to remove from the group.',
          },
          {
            name: 'errorCode',
            type: 'int16',
            versions: '3+',
            doc: 'The error code, or 0 if there was no error.',
          },
        ],
      },
    ],
  },
});
