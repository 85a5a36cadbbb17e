/**
 * `kt topics delete`: deletes named topics (all must exist unless `ifExists`: nothing is deleted when one
 * is missing) or the topics a regex selects. The caller confirms first (src/cli/confirm.ts); `planDelete`
 * gives it the list to confirm. Waits (bounded) until the topics are gone from metadata.
 *
 * JSON shape (stable):
 *   { "dryRun": boolean, "topics": [ { "name": string, "status": "deleted"|"would-delete"|"absent" } ] }
 * "absent": named with --if-exists but not there.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError, usageError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';
import { checkTopicNames } from './input.js';
import { fetchTopicMetadata, notFound, selectTopics, waitForMetadata } from './metadata.js';

export interface DeleteTopicsInput {
  names?: readonly string[];
  regex?: RegExp;
  includeInternal?: boolean;
  ifExists?: boolean;
  dryRun?: boolean;
  timeoutMs?: number;
}

export type DeleteStatus = 'deleted' | 'would-delete' | 'absent';

export interface DeletePlan {
  doomed: string[];
  absent: string[];
}

/** What a delete would remove; KT_NOT_FOUND when a named topic is missing (unless ifExists). */
export async function planDelete(client: ClusterClient, input: DeleteTopicsInput): Promise<DeletePlan> {
  const names = input.names ?? [];
  if (names.length === 0 && !input.regex) throw usageError('Name the topics to delete, or give --regex');
  if (names.length > 0) {
    checkTopicNames(names, 'delete topic');
    const { topics, missing } = await fetchTopicMetadata(client, [...new Set(names)]);
    if (missing.length > 0 && !input.ifExists) throw notFound(missing);
    return { doomed: topics.map((t) => t.name), absent: missing.sort() };
  }
  const topics = await selectTopics(client, {
    regex: input.regex!,
    includeInternal: input.includeInternal ?? false,
  });
  return { doomed: topics.map((t) => t.name), absent: [] };
}

export async function deleteTopics(
  client: ClusterClient,
  plan: DeletePlan,
  options: { dryRun?: boolean; timeoutMs?: number } = {},
): Promise<{ dryRun: boolean; topics: Array<{ name: string; status: DeleteStatus }> }> {
  const dryRun = options.dryRun === true;
  const topics = [
    ...plan.doomed.map((name) => ({ name, status: (dryRun ? 'would-delete' : 'deleted') as DeleteStatus })),
    ...plan.absent.map((name) => ({ name, status: 'absent' as DeleteStatus })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (dryRun || plan.doomed.length === 0) return { dryRun, topics };
  const response = await client.send('controller', 20, {
    topics: plan.doomed.map((name) => ({ name })),
    topicNames: plan.doomed,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  const failed = response.responses.filter((r) => r.errorCode !== ErrorCode.NONE);
  if (failed.length > 0) {
    const first = failed[0]!;
    const deleted = plan.doomed.filter((n) => !failed.some((f) => f.name === n));
    throw new KtError(
      kafkaError(first.errorCode, null, 'x').code,
      `Cannot delete ${failed.map((f) => kafkaError(f.errorCode, f.errorMessage, `"${f.name}"`).message).join('; ')}` +
        (deleted.length > 0 ? ` (deleted: ${deleted.join(', ')})` : ''),
      { kafkaCode: first.errorCode },
    );
  }
  await waitForMetadata(client, plan.doomed, (found) => found.length === 0);
  return { dryRun, topics };
}
