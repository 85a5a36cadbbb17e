/**
 * ListGroups (API key 16): Lists the groups this broker coordinates, optionally filtered by state (v4+) and type (v5+).
 */
import { defineApi } from '../schema/spec.js';

export const listGroupsApi = defineApi({
  apiKey: 16,
  name: 'ListGroups',
  validVersions: [0, 5],
  flexibleVersions: 3,
  broker: [0, 4],
  request: {
    doc: `Lists the groups this broker coordinates, optionally filtered by state (v4+) and type (v5+).

Version notes:
- Version 1 and 2 are the same as version 0.
- Version 3 is the first flexible version.
- Version 4 adds the StatesFilter field (KIP-518).
- Version 5 adds the TypesFilter field (KIP-848).`,
    fields: [
      {
        name: 'statesFilter',
        type: '[]string',
        versions: '4+',
        doc: 'The states of the groups we want to list. If empty, all groups are returned with their state.',
      },
      {
        name: 'typesFilter',
        type: '[]string',
        versions: '5+',
        doc: 'The types of the groups we want to list. If empty, all groups are returned with their type.',
      },
    ],
  },
  response: {
    doc: `Response to ListGroups.

Version notes:
- Version 1 adds the throttle time.
- Starting in version 2, on quota violation, brokers send out responses before throttling.
- Version 3 is the first flexible version.
- Version 4 adds the GroupState field (KIP-518).
- Version 5 adds the GroupType field (KIP-848).`,
    errors: {
      COORDINATOR_NOT_AVAILABLE: 'the coordinator is not ready',
      COORDINATOR_LOAD_IN_PROGRESS: 'group state is still loading',
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
        name: 'groups',
        type: '[]ListGroupsResponseListedGroup',
        versions: '0+',
        doc: 'Each group in the response.',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+', doc: 'The group ID.' },
          { name: 'protocolType', type: 'string', versions: '0+', doc: 'The group protocol type.' },
          { name: 'groupState', type: 'string', versions: '4+', doc: 'The group state name.' },
          { name: 'groupType', type: 'string', versions: '5+', doc: 'The group type name.' },
        ],
      },
    ],
  },
});
