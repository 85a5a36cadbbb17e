/**
 * JoinGroup (API key 11): Joins a classic consumer group: the first call (v4+) gets MEMBER_ID_REQUIRED and a member id; the coordinator waits for all members, picks a leader and returns its protocol and (to the leader) every member's metadata.
 */
import { defineApi } from '../schema/spec.js';

export const joinGroupApi = defineApi({
  apiKey: 11,
  name: 'JoinGroup',
  validVersions: [0, 9],
  flexibleVersions: 6,
  broker: [0, 7],
  request: {
    doc: `Joins a classic consumer group: the first call (v4+) gets MEMBER_ID_REQUIRED and a member id; the coordinator waits for all members, picks a leader and returns its protocol and (to the leader) every member's metadata.

Version notes:
- Version 1 adds RebalanceTimeoutMs. Version 2 and 3 are the same as version 1.
- Starting from version 4, the client needs to issue a second request to join group
- Starting from version 5, we add a new field called groupInstanceId to indicate member identity across restarts. with assigned id.
- Version 6 is the first flexible version.
- Version 7 is the same as version 6.
- Version 8 adds the Reason field (KIP-800).
- Version 9 is the same as version 8. Note: if RebalanceTimeoutMs is not present, SessionTimeoutMs should be used instead.  The default of -1 here is just intended as a placeholder.`,
    fields: [
      { name: 'groupId', type: 'string', versions: '0+', doc: 'The group identifier.' },
      {
        name: 'sessionTimeoutMs',
        type: 'int32',
        versions: '0+',
        doc: 'The coordinator considers the consumer dead if it receives no heartbeat after this timeout in milliseconds.',
      },
      {
        name: 'rebalanceTimeoutMs',
        type: 'int32',
        versions: '1+',
        default: -1,
        doc: 'The maximum time in milliseconds that the coordinator will wait for each member to rejoin when rebalancing the group.',
      },
      {
        name: 'memberId',
        type: 'string',
        versions: '0+',
        doc: 'The member id assigned by the group coordinator.',
      },
      {
        name: 'groupInstanceId',
        type: 'string',
        versions: '5+',
        nullableVersions: '5+',
        default: null,
        doc: 'The unique identifier of the consumer instance provided by end user.',
      },
      {
        name: 'protocolType',
        type: 'string',
        versions: '0+',
        doc: 'The unique name the for class of protocols implemented by the group we want to join.',
      },
      {
        name: 'protocols',
        type: '[]JoinGroupRequestProtocol',
        versions: '0+',
        doc: 'The list of protocols that the member supports.',
        fields: [
          { name: 'name', type: 'string', versions: '0+', doc: 'The protocol name.' },
          { name: 'metadata', type: 'bytes', versions: '0+', doc: 'The protocol metadata.' },
        ],
      },
      {
        name: 'reason',
        type: 'string',
        versions: '8+',
        nullableVersions: '8+',
        default: null,
        doc: 'The reason why the member (re-)joins the group.',
      },
    ],
  },
  response: {
    doc: `Response to JoinGroup.

Version notes:
- Version 1 is the same as version 0.
- Version 2 adds throttle time.
- Starting in version 3, on quota violation, brokers send out responses before throttling.
- Starting in version 4, the client needs to issue a second request to join group with assigned id.
- Version 5 is bumped to apply group.instance.id to identify member across restarts.
- Version 6 is the first flexible version.
- Starting from version 7, the broker sends back the Protocol Type to the client (KIP-559).
- Version 8 is the same as version 7.
- Version 9 adds the SkipAssignment field.`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      MEMBER_ID_REQUIRED: 'v4+: the first join must be repeated with the returned member id',
      UNKNOWN_MEMBER_ID: 'the member id is not known to the group',
      INCONSISTENT_GROUP_PROTOCOL: "the member's protocols share nothing with the group's",
      INVALID_SESSION_TIMEOUT: "the session timeout is outside the broker's allowed range",
      GROUP_MAX_SIZE_REACHED: 'the group already has group.max.size members',
      FENCED_INSTANCE_ID: 'another member holds the static group instance id',
      REBALANCE_IN_PROGRESS: 'v7+ with a static member: a rebalance is ongoing',
      UNSUPPORTED_VERSION: 'the group uses the consumer protocol (KIP-848)',
    },
    fields: [
      {
        name: 'throttleTimeMs',
        type: 'int32',
        versions: '2+',
        doc: 'The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.',
      },
      {
        name: 'errorCode',
        type: 'int16',
        versions: '0+',
        doc: 'The error code, or 0 if there was no error.',
      },
      {
        name: 'generationId',
        type: 'int32',
        versions: '0+',
        default: -1,
        doc: 'The generation ID of the group.',
      },
      {
        name: 'protocolType',
        type: 'string',
        versions: '7+',
        nullableVersions: '7+',
        default: null,
        doc: 'The group protocol name.',
      },
      {
        name: 'protocolName',
        type: 'string',
        versions: '0+',
        nullableVersions: '7+',
        doc: 'The group protocol selected by the coordinator.',
      },
      { name: 'leader', type: 'string', versions: '0+', doc: 'The leader of the group.' },
      {
        name: 'skipAssignment',
        type: 'bool',
        versions: '9+',
        default: false,
        doc: 'True if the leader must skip running the assignment.',
      },
      {
        name: 'memberId',
        type: 'string',
        versions: '0+',
        doc: 'The member ID assigned by the group coordinator.',
      },
      {
        name: 'members',
        type: '[]JoinGroupResponseMember',
        versions: '0+',
        doc: 'The group members.',
        fields: [
          { name: 'memberId', type: 'string', versions: '0+', doc: 'The group member ID.' },
          {
            name: 'groupInstanceId',
            type: 'string',
            versions: '5+',
            nullableVersions: '5+',
            default: null,
            doc: 'The unique identifier of the consumer instance provided by end user.',
          },
          { name: 'metadata', type: 'bytes', versions: '0+', doc: 'The group member metadata.' },
        ],
      },
    ],
  },
});
