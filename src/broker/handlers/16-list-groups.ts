/**
 * ListGroups: v0-4
 *
 * Behavior:
 * - Every group this broker coordinates (all of them), without Dead ones; v4+ filter by state names
 *   (case-insensitive), v5+ by type (only "classic" groups exist here) and report each group's type.
 */
import { defineHandler } from '../handler.js';

export const listGroupsHandler = defineHandler({
  apiKey: 16,
  async handle(request, { broker, version }) {
    const result = await broker.groups.coordinator.listGroups({
      ...(version >= 4 ? { statesFilter: request.statesFilter } : {}),
      ...(version >= 5 ? { typesFilter: request.typesFilter } : {}),
    });
    return { throttleTimeMs: 0, errorCode: result.errorCode, groups: result.groups };
  },
});
