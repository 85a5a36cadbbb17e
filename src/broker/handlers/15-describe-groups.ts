/**
 * DescribeGroups: v0-5
 *
 * Behavior:
 * - One result per requested group, in order: state, protocol type, the chosen protocol and members with
 *   metadata and assignment while Stable (empty otherwise), client id and host ('/127.0.0.1').
 * - An unknown group is described as Dead with no error before v6, GROUP_ID_NOT_FOUND from v6 (KIP-1043).
 * - Authorized operations (v3+) are not computed: -2147483648 ("not requested"), as without an authorizer.
 */
import { defineHandler } from '../handler.js';

const AUTHORIZED_OPERATIONS_UNSET = -2147483648;

export const describeGroupsHandler = defineHandler({
  apiKey: 15,
  async handle(request, { broker, version }) {
    const groups = await broker.groups.coordinator.describeGroups(request.groups, {
      notFoundAsError: version >= 6,
    });
    return {
      throttleTimeMs: 0,
      groups: groups.map((g) => ({
        errorCode: g.errorCode,
        errorMessage: null,
        groupId: g.groupId,
        groupState: g.groupState,
        protocolType: g.protocolType,
        protocolData: g.protocolData,
        members: g.members.map((m) => ({ ...m })),
        authorizedOperations: AUTHORIZED_OPERATIONS_UNSET,
      })),
    };
  },
});
