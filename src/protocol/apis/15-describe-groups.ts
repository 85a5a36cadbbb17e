/**
 * DescribeGroups (API key 15): Describes groups: state, protocol, members and their assignments.
 */
import { defineApi } from '../schema/spec.js';

export const describeGroupsApi = defineApi({
  apiKey: 15,
  name: 'DescribeGroups',
  validVersions: [0, 6],
  flexibleVersions: 5,
  broker: [0, 5],
  request: {
    doc: `Describes groups: state, protocol, members and their assignments.

Version notes:
- Versions 1 and 2 are the same as version 0.
- Starting in version 3, authorized operations can be requested.
- Starting in version 4, the response will include group.instance.id info for members.
- Version 5 is the first flexible version.
- Version 6 returns error code GROUP_ID_NOT_FOUND if the group ID is not found (KIP-1043).`,
    fields: [
      { name: 'groups', type: '[]string', versions: '0+', doc: 'The names of the groups to describe.' },
      {
        name: 'includeAuthorizedOperations',
        type: 'bool',
        versions: '3+',
        doc: 'Whether to include authorized operations.',
      },
    ],
  },
  response: {
    doc: `Response to DescribeGroups.

Version notes:
- Version 1 added throttle time.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Starting in version 3, brokers can send authorized operations.
- Starting in version 4, the response will optionally include group.instance.id info for members.
- Version 5 is the first flexible version.
- Version 6 returns error code GROUP_ID_NOT_FOUND if the group ID is not found (KIP-1043). ProtocolData is currently only filled in if the group state is in the Stable state. N.B. If the group is in the Dead state, the members array will always be empty. This is currently only provided if the group is in the Stable state. This is currently only provided if the group is in the Stable state.`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      GROUP_ID_NOT_FOUND: 'v6+: the group does not exist (earlier versions return state Dead)',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '1+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'groups',
        type: '[]DescribeGroupsResponseDescribedGroup',
        versions: '0+',
        doc: 'Each described group.',
        fields: [
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The describe error, or 0 if there was no error.',
          },
          {
            name: 'errorMessage',
            type: 'string',
            versions: '6+',
            nullableVersions: '6+',
            default: null,
            doc: 'The describe error message, or null if there was no error.',
          },
          { name: 'groupId', type: 'string', versions: '0+', doc: 'The group ID string.' },
          {
            name: 'groupState',
            type: 'string',
            versions: '0+',
            doc: 'The group state string, or the empty string.',
          },
          {
            name: 'protocolType',
            type: 'string',
            versions: '0+',
            doc: 'The group protocol type, or the empty string.',
          },
          {
            name: 'protocolData',
            type: 'string',
            versions: '0+',
            doc: 'The group protocol data, or the empty string.',
          },
          {
            name: 'members',
            type: '[]DescribeGroupsResponseDescribedGroupMember',
            versions: '0+',
            doc: 'The group members.',
            fields: [
              { name: 'memberId', type: 'string', versions: '0+', doc: 'The member id.' },
              {
                name: 'groupInstanceId',
                type: 'string',
                versions: '4+',
                nullableVersions: '4+',
                default: null,
                doc: 'The unique identifier of the consumer instance provided by end user.',
              },
              {
                name: 'clientId',
                type: 'string',
                versions: '0+',
                doc: "The client ID used in the member's latest join group request.",
              },
              { name: 'clientHost', type: 'string', versions: '0+', doc: 'The client host.' },
              {
                name: 'memberMetadata',
                type: 'bytes',
                versions: '0+',
                doc: 'The metadata corresponding to the current group protocol in use.',
              },
              {
                name: 'memberAssignment',
                type: 'bytes',
                versions: '0+',
                doc: 'The current assignment provided by the group leader.',
              },
            ],
          },
          {
            name: 'authorizedOperations',
            type: 'int32',
            versions: '3+',
            default: -2147483648,
            doc: '32-bit bitfield to represent authorized operations for this group.',
          },
        ],
      },
    ],
  },
});
