/**
 * `kt mirror failover` / `kt mirror failback`: move consumer groups from the cluster they run on to the
 * other side of a mirror flow, at the exact translation of their committed offsets.
 *
 * Order (nothing is committed before every check passed):
 * 1. every group must have no members on the target (DescribeGroups: Empty, Dead or unknown) — an admin
 *    OffsetCommit would be refused anyway, and a live group would overwrite what we commit;
 * 2. the plan (read by failover-state.ts, computed by failover-plan.ts): with the source reachable,
 *    the group's committed offsets there translated through the offset syncs (on the source) and the
 *    mirror's saved positions (on the target); with the source down, the group's latest checkpoints on
 *    the target and the RPO window;
 * 3. unless a dry run: confirmation (the caller's), an admin OffsetCommit per group (generation -1),
 *    never moving a partition backwards unless allowed, then OffsetFetch and a comparison with the plan.
 *
 * Failback is the same with the roles reversed — `source` is the cluster the group runs on now (the old
 * target), `target` the one it returns to, aliases swapped — plus one case a plain reverse flow cannot
 * translate: with prefix renaming, the group on B reads `A.orders`, which came from `orders` on A. Its
 * offset is translated back through the forward flow's syncs (on A, `mm2-offset-syncs.<B>.internal`)
 * read the other way and its saved positions (on B), MM2's ReplicationPolicy.upstreamTopic mapping.
 */
import { KtError } from '../errors/kt-error.js';
import { commitOffsets, fetchCommitted } from '../ops/groups/coordinator.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import {
  type FailoverResult,
  type PlanContext,
  type PlanRow,
  partitionKey,
  planFromCheckpoint,
  planFromSource,
  planReturning,
  type ReadBackMismatch,
  segmentMapOf,
  sourceTopicOf,
  upstreamTopic,
  verifyReadBack,
} from './failover-plan.js';
import {
  committedMap,
  endOffset,
  hasRecordsBetween,
  isSourceBrokerDown,
  loadLatestCheckpoints,
  loadProgress,
  loadSyncLists,
  type Saved,
  targetStates,
  topicExists,
} from './failover-state.js';
import { checkpointsTopic, offsetSyncsTopic, progressTopic } from './formats.js';
import { type RenamePolicy, TopicPolicy } from './policy.js';
import type { SyncPoint } from './translate.js';

export type { FailoverGroup, FailoverResult } from './failover-plan.js';
export { renderFailover } from './failover-render.js';

export interface FailoverOptions {
  direction: 'failover' | 'failback';
  /** The cluster the groups leave; null when it is unreachable (checkpoints are used instead). */
  source: ClusterClient | null;
  /** Why the source is unreachable, for the report. */
  sourceError?: string;
  target: ClusterClient;
  groups: readonly string[];
  /** The flow source→target: its aliases and rename policy (for failback: the reverse flow's). */
  sourceAlias: string;
  targetAlias: string;
  rename: RenamePolicy;
  /** Whole-name regex or comma-separated list of source topics to move (default: all the group has). */
  topics?: string;
  dryRun: boolean;
  allowRewind: boolean;
  /** Asked once with the plan before anything is committed; false leaves everything as it was. */
  confirm?: (plan: FailoverResult) => Promise<boolean>;
  nowMs?: () => number;
}

export async function runFailover(o: FailoverOptions): Promise<FailoverResult> {
  const now = o.nowMs ?? Date.now;
  const warnings: string[] = [];
  // 1. No active members on the target, for every group, before anything else.
  const states = await targetStates(o.target, o.groups);

  // 2. The plan.
  const progress = await loadProgress(o.target, progressTopic(o.sourceAlias), o.sourceAlias, warnings);
  let source = o.source;
  let sourceError = o.sourceError ?? null;
  let rowsByGroup: Map<string, PlanRow[]> | undefined;
  if (source !== null) {
    try {
      rowsByGroup = await planFromSourceCluster(o, source, progress, now(), warnings);
    } catch (error) {
      // The bootstrap answered but a source broker does not (a partial outage): as if it were down.
      if (!isSourceBrokerDown(error, source)) throw error;
      sourceError = (error as Error).message;
      warnings.push(`a source broker stopped answering while planning (${sourceError}): using checkpoints`);
      source = null;
    }
  }
  rowsByGroup ??= await planFromCheckpoints(o, progress, now(), warnings);
  const result: FailoverResult = {
    direction: o.direction,
    source: { alias: o.sourceAlias, reachable: source !== null, error: sourceError },
    target: { alias: o.targetAlias },
    translatedFrom: source === null ? 'checkpoints' : 'offset-syncs',
    dryRun: o.dryRun,
    executed: false,
    verified: null,
    groups: o.groups.map((group) => ({
      group,
      targetState: states.get(group) ?? 'Dead',
      partitions: (rowsByGroup.get(group) ?? []).map(({ group: _, ...row }) => row),
    })),
    mismatches: [],
    warnings,
  };
  const skippedRewind = [...rowsByGroup.values()].flat().filter((r) => r.action === 'skip-rewind');
  if (skippedRewind.length > 0) {
    warnings.push(
      `${skippedRewind.length} partition${skippedRewind.length === 1 ? '' : 's'} left alone: the target group is ahead of the translation (--allow-rewind moves them back)`,
    );
  }
  const lagging = [...rowsByGroup.values()].flat().filter((r) => r.mirrorLag !== null && r.mirrorLag > 0n);
  if (lagging.length > 0) {
    const total = lagging.reduce((sum, r) => sum + r.mirrorLag!, 0n);
    warnings.push(
      `the mirror has not copied ${total} source records of ${lagging.length} partition(s) yet (MIRROR-LAG): consumers on the target see them only once it has; for a loss-free failover stop the producers and wait for a lag of 0`,
    );
  }
  if (o.dryRun) return result;
  if (o.confirm && !(await o.confirm(result))) {
    warnings.push('declined: nothing was committed');
    return result;
  }

  // 3. Commit, read back, compare.
  const mismatches: ReadBackMismatch[] = [];
  for (const group of o.groups) {
    const rows = rowsByGroup.get(group) ?? [];
    await commitOffsets(
      o.target,
      group,
      rows
        .filter((r) => r.action === 'commit' && r.targetTopic !== null && r.targetOffset !== null)
        .map((r) => ({ topic: r.targetTopic!, partition: r.partition, offset: r.targetOffset! })),
    );
    const readBack = await fetchCommitted(o.target, group);
    mismatches.push(...verifyReadBack(rows, committedMap(readBack)));
  }
  return { ...result, executed: true, verified: mismatches.length === 0, mismatches };
}

function includeFilter(o: FailoverOptions): TopicPolicy {
  // Identity policy, so only --topics applies here (the mirror's own rules are checked separately).
  return new TopicPolicy({
    ...(o.topics !== undefined ? { topics: o.topics } : {}),
    sourceAlias: o.sourceAlias,
    targetAlias: o.targetAlias,
    rename: 'identity',
  });
}

async function planFromSourceCluster(
  o: FailoverOptions,
  source: ClusterClient,
  progress: Map<string, Saved>,
  nowMs: number,
  warnings: string[],
): Promise<Map<string, PlanRow[]>> {
  const policy = new TopicPolicy({
    sourceAlias: o.sourceAlias,
    targetAlias: o.targetAlias,
    rename: o.rename,
  });
  const include = includeFilter(o);
  const syncs = await loadSyncLists(source, offsetSyncsTopic(o.targetAlias), warnings);
  // Failback of topics that came from the target (prefix policy): the forward flow's syncs and positions.
  const returning = o.direction === 'failback' && o.rename === 'prefix';
  const forwardSyncs = returning
    ? await loadSyncLists(o.target, offsetSyncsTopic(o.sourceAlias), warnings)
    : new Map<string, SyncPoint[]>();
  const forwardProgress = returning
    ? await loadProgress(source, progressTopic(o.targetAlias), o.targetAlias, warnings)
    : new Map<string, Saved>();

  const out = new Map<string, PlanRow[]>();
  for (const group of o.groups) {
    const committed = (await fetchCommitted(source, group)).filter((c) => include.matches(c.topic));
    if (committed.length === 0) {
      throw new KtError(
        'KT_NOT_FOUND',
        `Group "${group}" has no committed offsets on the source${o.topics !== undefined ? ` for --topics ${o.topics}` : ''}: nothing to move`,
      );
    }
    const current = committedMap(await fetchCommitted(o.target, group));
    const rows: PlanRow[] = [];
    for (const c of committed) {
      const home = returning ? upstreamTopic(c.topic, o.targetAlias) : undefined;
      const targetTopic = home ?? (policy.matches(c.topic) ? policy.targetTopic(c.topic) : null);
      // A returning topic's mirror is the forward flow (its position is in source-of-that-flow terms).
      const saved = (home === undefined ? progress : forwardProgress).get(
        partitionKey(home ?? c.topic, c.partition),
      );
      const context: PlanContext = {
        group,
        sourceTopic: c.topic,
        targetTopic,
        partition: c.partition,
        currentTargetOffset:
          targetTopic === null ? null : (current.get(partitionKey(targetTopic, c.partition)) ?? null),
        allowRewind: o.allowRewind,
        mirrorPosition: saved?.position ?? null,
        mirrorPositionAgeMs: saved === undefined ? null : nowMs - saved.timestampMs,
      };
      const targetEnd = targetTopic === null ? null : await endOffset(o.target, targetTopic, c.partition);
      const sourceEnd = await endOffset(source, c.topic, c.partition);
      if (home !== undefined) {
        const list = forwardSyncs.get(partitionKey(home, c.partition)) ?? [];
        rows.push(planReturning(context, { committed: c.offset, syncs: list, targetEnd, sourceEnd }));
      } else {
        const list = syncs.get(partitionKey(c.topic, c.partition));
        const map = list === undefined ? undefined : segmentMapOf(list);
        // Before the first mirrored offset: exact only if the source has no records in between.
        const first = map?.firstUp;
        const nextRecord =
          first !== undefined && c.offset < first && targetEnd !== null
            ? (await hasRecordsBetween(source, c.topic, c.partition, c.offset, first))
              ? c.offset
              : first
            : undefined;
        rows.push(
          planFromSource(context, {
            committed: c.offset,
            map,
            targetEnd,
            sourceEnd,
            ...(nextRecord !== undefined ? { nextRecord } : {}),
          }),
        );
      }
    }
    out.set(group, rows);
  }
  return out;
}

async function planFromCheckpoints(
  o: FailoverOptions,
  progress: Map<string, Saved>,
  nowMs: number,
  warnings: string[],
): Promise<Map<string, PlanRow[]>> {
  const topic = checkpointsTopic(o.sourceAlias);
  if (!(await topicExists(o.target, topic))) {
    throw new KtError(
      'KT_NOT_FOUND',
      `The source is unreachable and the target has no checkpoints topic ${topic}: no translation to use`,
      { hint: 'checkpoints are written by kt mirror run with group offset translation enabled' },
    );
  }
  const latest = await loadLatestCheckpoints(o.target, topic, o.groups, warnings);
  const include = includeFilter(o);
  const out = new Map<string, PlanRow[]>();
  for (const group of o.groups) {
    const current = committedMap(await fetchCommitted(o.target, group));
    const rows: PlanRow[] = [];
    for (const cp of latest.get(group)?.values() ?? []) {
      const sourceTopic = sourceTopicOf(cp.topic, o.rename, o.sourceAlias) ?? cp.topic;
      if (!include.matches(sourceTopic)) continue;
      const saved = progress.get(partitionKey(sourceTopic, cp.partition));
      rows.push(
        planFromCheckpoint(
          {
            group,
            sourceTopic,
            targetTopic: cp.topic,
            partition: cp.partition,
            currentTargetOffset: current.get(partitionKey(cp.topic, cp.partition)) ?? null,
            allowRewind: o.allowRewind,
            mirrorPosition: saved?.position ?? null,
            mirrorPositionAgeMs: saved === undefined ? null : nowMs - saved.timestampMs,
          },
          {
            upstreamOffset: cp.up,
            downstreamOffset: cp.down,
            checkpointAgeMs: nowMs - cp.timestampMs,
            targetEnd: await endOffset(o.target, cp.topic, cp.partition),
          },
        ),
      );
    }
    if (rows.length === 0) {
      throw new KtError(
        'KT_NOT_FOUND',
        `The source is unreachable and ${topic} has no checkpoints of group "${group}"`,
      );
    }
    rows.sort((a, b) =>
      a.sourceTopic < b.sourceTopic ? -1 : a.sourceTopic > b.sourceTopic ? 1 : a.partition - b.partition,
    );
    out.set(group, rows);
  }
  return out;
}
