/**
 * `--sync-group-offsets`: commits a source group's translated offsets to the same group on the target,
 * so consumers started there after a failover resume where the source group stopped.
 *
 * Rules (MM2's `sync.group.offsets.enabled`, made explicit):
 * - only a target group without members is written: ListGroups (when it lists the group) and
 *   DescribeGroups say Empty or Dead (Dead is also what a group that does not exist reports). A group with live consumers is theirs: it is skipped with one
 *   log line (repeated only after its state changed), never committed over.
 * - a committed target offset never moves backwards: the target's committed offsets are fetched first and
 *   only partitions whose translation is ahead of them (or that have none) are committed. An upstream
 *   rewind of the source group therefore stays in the checkpoints and is not forced onto the target.
 * - the commit is an "admin" OffsetCommit (generation -1, member id ""), which the coordinator refuses if
 *   a consumer joined in between; that refusal is logged as a skip, not an error of the mirror.
 */
import { KtError } from '../errors/kt-error.js';
import { commitOffsets, describeGroup, fetchCommitted, type ListedGroup } from '../ops/groups/coordinator.js';
import type { ClusterClient } from '../protocol/client/cluster.js';

/** One partition of a group to commit on the target: the target topic name and translated offset. */
export interface TargetOffset {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface GroupSyncResult {
  /** What was committed, with the previous committed offset (null: none). */
  committed: { topic: string; partition: number; from: bigint | null; to: bigint }[];
  /** Set when the group was not written: its state (e.g. "Stable") or the broker's refusal. */
  skipped?: string;
}

/** States in which a group has no members that could own its offsets. */
const IDLE_STATES: ReadonlySet<string> = new Set(['empty', 'dead', 'unknown']);
/**
 * OffsetCommit refusals meaning "the group has members": a consumer joined after DescribeGroups, or a
 * KIP-848 consumer group, which the classic DescribeGroups reports as not found (Dead).
 */
const MEMBER_CODES: ReadonlySet<number> = new Set([
  22, // ILLEGAL_GENERATION
  25, // UNKNOWN_MEMBER_ID
  27, // REBALANCE_IN_PROGRESS
  110, // STALE_MEMBER_EPOCH
]);

/** The offsets of `wanted` that move the target group forward; `committed` maps topic\0partition. */
export function forwardOnly(
  wanted: readonly TargetOffset[],
  committed: ReadonlyMap<string, bigint>,
): { topic: string; partition: number; from: bigint | null; to: bigint }[] {
  const out: { topic: string; partition: number; from: bigint | null; to: bigint }[] = [];
  for (const w of wanted) {
    const current = committed.get(`${w.topic}\u0000${w.partition}`);
    if (current === undefined || w.offset > current) {
      out.push({ topic: w.topic, partition: w.partition, from: current ?? null, to: w.offset });
    }
  }
  return out;
}

/**
 * Commits `wanted` to `group` on the target where allowed (see the file comment). `listed` is the group
 * as the target's ListGroups showed it this round, if it did: ListGroups knows KIP-848 consumer groups,
 * which the classic DescribeGroups reports as not found (Dead) even while they have members.
 */
export async function syncGroupOffsets(
  target: ClusterClient,
  group: string,
  wanted: readonly TargetOffset[],
  listed?: Pick<ListedGroup, 'state' | 'type'>,
): Promise<GroupSyncResult> {
  if (wanted.length === 0) return { committed: [] };
  if (listed !== undefined && !IDLE_STATES.has(listed.state.toLowerCase())) {
    return { committed: [], skipped: `${listed.state} (a ${listed.type || 'classic'} group)` };
  }
  const described = await describeGroup(target, group);
  if (!IDLE_STATES.has(described.state.toLowerCase()) || described.members.length > 0) {
    return { committed: [], skipped: `${described.state} with ${described.members.length} member(s)` };
  }
  const topics = new Map<string, number[]>();
  for (const w of wanted) topics.set(w.topic, [...(topics.get(w.topic) ?? []), w.partition]);
  const current = await fetchCommitted(
    target,
    group,
    [...topics].map(([topic, partitions]) => ({ topic, partitions })),
  );
  const committed = new Map(current.map((c) => [`${c.topic}\u0000${c.partition}`, c.offset]));
  const moves = forwardOnly(wanted, committed);
  if (moves.length === 0) return { committed: [] };
  try {
    await commitOffsets(
      target,
      group,
      moves.map((m) => ({ topic: m.topic, partition: m.partition, offset: m.to })),
    );
  } catch (error) {
    if (error instanceof KtError && error.kafkaCode !== undefined && MEMBER_CODES.has(error.kafkaCode)) {
      return { committed: [], skipped: `refusing an admin commit, it has members (${error.message})` };
    }
    throw error;
  }
  return { committed: moves };
}
