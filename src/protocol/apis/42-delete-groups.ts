/**
 * DeleteGroups (API key 42): Deletes empty consumer groups and their committed offsets.
 */
import { defineApi } from '../schema/spec.js';

export const deleteGroupsApi = defineApi({
  apiKey: 42,
  name: 'DeleteGroups',
  validVersions: [0, 2],
  flexibleVersions: 2,
  broker: [0, 2],
  request: {
    doc: `Deletes empty consumer groups and their committed offsets.

Version notes:
- Version 1 is the same as version 0.
- Version 2 is the first flexible version.`,
    fields: [{ name: 'groupsNames', type: '[]string', versions: '0+', doc: 'The group names to delete.' }],
  },
  response: {
    doc: `Response to DeleteGroups.

Version notes:
- Starting in version 1, on quota violation, brokers send out responses before throttling.
- Version 2 is the first flexible version.`,
    errors: {
      COORDINATOR_NOT_AVAILABLE:
        'the group coordinator is loading or not yet elected; retry after FindCoordinator',
      NOT_COORDINATOR: 'this broker is not the coordinator for the group; find the coordinator again',
      COORDINATOR_LOAD_IN_PROGRESS: 'the coordinator is still loading group state; retry',
      GROUP_AUTHORIZATION_FAILED: 'the principal may not access the group',
      NON_EMPTY_GROUP: 'the group still has members',
      GROUP_ID_NOT_FOUND: 'the group does not exist',
      INVALID_GROUP_ID: 'the group id is empty',
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
        type: '[]DeleteGroupsResponseDeletableGroupResult',
        versions: '0+',
        doc: 'The deletion results.',
        fields: [
          { name: 'groupId', type: 'string', versions: '0+', doc: 'The group id.' },
          {
            name: 'errorCode',
            type: 'int16',
            versions: '0+',
            doc: 'The deletion error, or 0 if the deletion succeeded.',
          },
        ],
      },
    ],
  },
});
