/**
 * DeleteGroups: v0-2
 *
 * Behavior:
 * - Only groups without members can be deleted (NON_EMPTY_GROUP otherwise; GROUP_ID_NOT_FOUND for
 *   unknown ones, INVALID_GROUP_ID for ''); their offsets and metadata are tombstoned in
 *   __consumer_offsets before the answer. One result per requested group, in order.
 */
import { defineHandler } from '../handler.js';

export const deleteGroupsHandler = defineHandler({
  apiKey: 42,
  async handle(request, { broker }) {
    const results = await broker.groups.coordinator.deleteGroups(request.groupsNames);
    return { throttleTimeMs: 0, results };
  },
});
