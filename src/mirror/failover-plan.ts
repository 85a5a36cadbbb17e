/**
 * The plan of `kt mirror failover` / `failback`, as pure functions of what was read from the clusters
 * (failover-state.ts reads the clusters, failover.ts commits, failover-render.ts prints): per partition of a group, the target offset its
 * consumers resume at, the mirror's lag and what may be lost, and the action.
 *
 * Two sources of a translation:
 * - the source is reachable: the group's committed offset there, translated exactly through the segment
 *   map of the offset syncs (translate.ts) with the replicated end = the mirror's saved position and the
 *   target offset it continues at;
 * - the source is down: the latest MM2 checkpoint of the group on the target (already a translation made
 *   while the source was up), with its age: what the group consumed after it is read again, and what the
 *   source had beyond the mirror's position is unknown (the RPO window).
 */
import type { RenamePolicy } from './policy.js';
import { SegmentMap, type SyncPoint } from './translate.js';

/** The human form lives in failover-render.ts; re-exported for the plan's users. */
export { renderFailover } from './failover-render.js';

export type FailoverAction =
  /** The target group gets targetOffset. */
  | 'commit'
  /** The target group already has targetOffset. */
  | 'unchanged'
  /** The target group is further ahead; left alone unless --allow-rewind. */
  | 'skip-rewind'
  /** The committed offset is before the mirrored history (or nothing was mirrored): no translation. */
  | 'skip-unmapped'
  /** The topic is not mirrored to the target (policy or --topics, or the target topic is missing). */
  | 'skip-not-mirrored';

export interface PlanRow {
  group: string;
  /** Topic on the cluster the group leaves (where its offset was committed). */
  sourceTopic: string;
  /** Topic on the cluster the group moves to; null when the topic is not mirrored there. */
  targetTopic: string | null;
  partition: number;
  /** Offset committed on the source (from a checkpoint: the checkpoint's upstream offset). */
  sourceOffset: bigint;
  /** Where the group resumes on the target; null when there is no translation. */
  targetOffset: bigint | null;
  /** The target group's committed offset before the failover. */
  currentTargetOffset: bigint | null;
  /** The mirror's saved position: the next source offset it copies (everything before is on the target). */
  mirrorPosition: bigint | null;
  /** Age of that saved position (ms since the mirror last wrote it); null when unknown. */
  mirrorPositionAgeMs: number | null;
  /** Source end offset (high watermark); null when the source is down. */
  sourceEnd: bigint | null;
  /** Source records not copied yet: sourceEnd − mirrorPosition; null when unknown. */
  mirrorLag: bigint | null;
  /** Source offsets the group had consumed that are not on the target (records this group loses). */
  aheadBy: bigint;
  /** Age of the checkpoint used (source down only). */
  checkpointAgeMs: number | null;
  action: FailoverAction;
  /** Why, in a few words, when the row is not a plain exact translation. */
  note: string;
}

export interface FailoverGroup {
  group: string;
  /** The group's state on the target before the failover ('Dead' = no such group). */
  targetState: string;
  partitions: Omit<PlanRow, 'group'>[];
}

/** The stable `--output json` shape. */
export interface FailoverResult {
  direction: 'failover' | 'failback';
  source: { alias: string; reachable: boolean; error: string | null };
  target: { alias: string };
  translatedFrom: 'offset-syncs' | 'checkpoints';
  dryRun: boolean;
  executed: boolean;
  /** Read-back equal to the plan; null when nothing was committed. */
  verified: boolean | null;
  groups: FailoverGroup[];
  mismatches: ReadBackMismatch[];
  warnings: string[];
}

export interface PlanContext {
  group: string;
  sourceTopic: string;
  targetTopic: string | null;
  partition: number;
  currentTargetOffset: bigint | null;
  allowRewind: boolean;
  mirrorPosition: bigint | null;
  mirrorPositionAgeMs: number | null;
}

/** What to do with a translated offset given the target group's current one. */
export function decideAction(
  targetOffset: bigint,
  current: bigint | null,
  allowRewind: boolean,
): FailoverAction {
  if (current === null) return 'commit';
  if (current === targetOffset) return 'unchanged';
  if (current > targetOffset && !allowRewind) return 'skip-rewind';
  return 'commit';
}

/**
 * The replicated end of a partition: source offset `position` (the mirror's saved position) and the
 * target offset it continues at. The last sync at or below the position gives
 * down = s.down + (position − s.up) (translate.ts also caps by the next sync), capped by the target's
 * end offset: the position is saved after its records were acknowledged, so they are all there.
 */
export function replicatedEnd(
  map: SegmentMap | undefined,
  position: bigint | null,
  targetEnd: bigint,
): SyncPoint | undefined {
  if (position === null) return undefined;
  const down = map?.translate(position)?.offset ?? targetEnd;
  return { up: position, down: down < targetEnd ? down : targetEnd };
}

function emptyRow(c: PlanContext, sourceOffset: bigint): PlanRow {
  return {
    group: c.group,
    sourceTopic: c.sourceTopic,
    targetTopic: c.targetTopic,
    partition: c.partition,
    sourceOffset,
    targetOffset: null,
    currentTargetOffset: c.currentTargetOffset,
    mirrorPosition: c.mirrorPosition,
    mirrorPositionAgeMs: c.mirrorPositionAgeMs,
    sourceEnd: null,
    mirrorLag: null,
    aheadBy: 0n,
    checkpointAgeMs: null,
    action: 'skip-not-mirrored',
    note: '',
  };
}

/** A row whose target partition is missing: nothing to commit there. */
function notOnTarget(row: PlanRow, c: PlanContext): PlanRow {
  return { ...row, targetTopic: null, note: `no partition ${c.partition} of ${c.targetTopic} on the target` };
}

/** A row whose target offset is known: action decided against the current target offset. */
function withTarget(row: PlanRow, targetOffset: bigint, allowRewind: boolean): PlanRow {
  const action = decideAction(targetOffset, row.currentTargetOffset, allowRewind);
  const note =
    action === 'skip-rewind'
      ? `target group is at ${row.currentTargetOffset} (ahead); --allow-rewind moves it back`
      : row.note;
  return { ...row, targetOffset, action, note };
}

export interface SourceFacts {
  /** Offset the group committed on the source. */
  committed: bigint;
  /** Segment map of this source partition (offset syncs); undefined when it has none. */
  map: SegmentMap | undefined;
  /** Target end offset (high watermark); null when the target topic or partition is missing. */
  targetEnd: bigint | null;
  sourceEnd: bigint | null;
  /**
   * When `committed` is before the first mirrored offset: the first source record at or after it (null:
   * none). At or past the first mirrored offset means nothing in between exists (compacted or deleted
   * before the mirror started), so the group resumes exactly at the first mirrored record.
   */
  nextRecord?: bigint | null;
}

/** Plan of one partition while the source is reachable: exact translation of the committed offset. */
export function planFromSource(c: PlanContext, f: SourceFacts): PlanRow {
  const row: PlanRow = {
    ...emptyRow(c, f.committed),
    sourceEnd: f.sourceEnd,
    mirrorLag:
      f.sourceEnd !== null && c.mirrorPosition !== null
        ? f.sourceEnd > c.mirrorPosition
          ? f.sourceEnd - c.mirrorPosition
          : 0n
        : null,
  };
  if (c.targetTopic === null) return { ...row, note: 'topic not mirrored to the target' };
  if (f.targetEnd === null)
    return { ...row, note: `no partition ${c.partition} of ${c.targetTopic} on the target` };
  const map = f.map ?? new SegmentMap();
  const end = replicatedEnd(map, c.mirrorPosition, f.targetEnd);
  let t = map.translate(f.committed, end);
  const first = map.firstUp;
  let note = '';
  if (t === undefined && first !== undefined && f.nextRecord != null && f.nextRecord >= first) {
    t = map.translate(first, end);
    note = `no source records between ${f.committed} and the first mirrored offset ${first}`;
  }
  if (t === undefined) {
    return {
      ...row,
      action: 'skip-unmapped',
      note:
        first === undefined
          ? 'no offset syncs and no mirror position for this partition'
          : `offset is before the mirrored history (first mirrored source offset ${first})`,
    };
  }
  let offset = t.offset;
  if (end === undefined) {
    // No saved position: the syncs still translate exactly up to the last sync's run; never past the end.
    if (offset > f.targetEnd) offset = f.targetEnd;
    note = 'no saved mirror position: translation capped at the target end';
  }
  if (t.aheadBy > 0n) note = `group consumed ${t.aheadBy} source records not on the target`;
  return withTarget({ ...row, aheadBy: t.aheadBy, note }, offset, c.allowRewind);
}

export interface CheckpointFacts {
  upstreamOffset: bigint;
  downstreamOffset: bigint;
  checkpointAgeMs: number;
  /** End offset of the target partition; null when it does not exist. */
  targetEnd: bigint | null;
}

/**
 * Plan of one partition while the source is down: the latest checkpoint's translation. The group may
 * have consumed past the checkpoint upstream before the source went down (read again on the target);
 * the source's records at and beyond the mirror's position are unknown (lost unless the source returns).
 */
export function planFromCheckpoint(c: PlanContext, f: CheckpointFacts): PlanRow {
  const row: PlanRow = {
    ...emptyRow(c, f.upstreamOffset),
    checkpointAgeMs: f.checkpointAgeMs,
    aheadBy:
      c.mirrorPosition !== null && f.upstreamOffset > c.mirrorPosition
        ? f.upstreamOffset - c.mirrorPosition
        : 0n,
  };
  if (c.targetTopic === null || f.targetEnd === null) return notOnTarget(row, c);
  let note =
    c.mirrorPosition === null
      ? 'source down: no saved mirror position, records the source had beyond the target end are unknown'
      : `source down: records from source offset ${c.mirrorPosition} on are not on the target`;
  let offset = f.downstreamOffset;
  if (offset > f.targetEnd) {
    // Only a truncated or recreated target topic gets here; a commit past the end would skip new records.
    note = `checkpoint at ${offset} is past the target end ${f.targetEnd}: capped; ${note}`;
    offset = f.targetEnd;
  }
  return withTarget({ ...row, note }, offset, c.allowRewind);
}

/**
 * Failback of a topic that came from the cluster the group returns to (`A.orders` on B back to `orders`
 * on A): the target-side offset `d` of the forward flow A→B, translated back to the A offset through the
 * same syncs read the other way. Inside a run of contiguous records down and up advance together; the
 * next sync's upstream caps the result (a jump on either side starts a new sync), so the answer never
 * points past a record the group has not read. `end` (the forward flow's saved position ↔ its target
 * offset) answers offsets at or past it. Undefined before the first sync.
 */
export function inverseTranslate(
  syncs: readonly SyncPoint[],
  d: bigint,
  end?: SyncPoint,
): bigint | undefined {
  if (end !== undefined && d >= end.down) return end.up;
  // Log order is also target order (the target only grows); after a restart re-copied a range, the
  // newer sync's lower upstream caps the older run, which is the conservative answer.
  let i = -1;
  for (let j = 0; j < syncs.length; j++) {
    if (syncs[j]!.down <= d) i = j;
    else break;
  }
  if (i < 0) return undefined;
  const s = syncs[i]!;
  let up = s.up + (d - s.down);
  const next = syncs[i + 1];
  if (next !== undefined && next.up < up) up = next.up;
  if (end !== undefined && end.up < up) up = end.up;
  return up;
}

export interface ReturningFacts {
  /** Offset the group committed on the copy (`A.orders` on B). */
  committed: bigint;
  /** The forward flow's syncs of the original partition, in log order. */
  syncs: readonly SyncPoint[];
  /** End offset of the original partition (on the cluster the group returns to). */
  targetEnd: bigint | null;
  /** End offset of the copy. */
  sourceEnd: bigint | null;
}

/**
 * Plan of one partition of a failback whose topic came from the cluster the group returns to: the
 * forward flow read backwards (inverseTranslate), its saved position (c.mirrorPosition, an offset of the
 * original) paired with the copy's offset as the end.
 */
export function planReturning(c: PlanContext, f: ReturningFacts): PlanRow {
  const row: PlanRow = { ...emptyRow(c, f.committed), sourceEnd: f.sourceEnd };
  if (c.targetTopic === null || f.targetEnd === null) return notOnTarget(row, c);
  const end =
    f.sourceEnd === null ? undefined : replicatedEnd(segmentMapOf(f.syncs), c.mirrorPosition, f.sourceEnd);
  const up = inverseTranslate(f.syncs, f.committed, end);
  if (up === undefined) {
    return { ...row, action: 'skip-unmapped', note: `no offset syncs of ${c.targetTopic} cover this offset` };
  }
  return withTarget(row, up < f.targetEnd ? up : f.targetEnd, c.allowRewind);
}

/** A segment map of one partition from its syncs in log order. */
export function segmentMapOf(syncs: readonly SyncPoint[]): SegmentMap {
  const map = new SegmentMap();
  for (const s of syncs) map.push(s.up, s.down);
  return map;
}

/**
 * MM2's ReplicationPolicy.upstreamTopic for the prefix policy: `A.orders` → `orders` when `A` is the
 * alias of the cluster it came from; undefined when the name does not carry that prefix.
 */
export function upstreamTopic(name: string, alias: string): string | undefined {
  const prefix = `${alias}.`;
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined;
}

/** The source topic of a target topic under a rename policy (checkpoints are keyed by target names). */
export function sourceTopicOf(
  targetTopic: string,
  rename: RenamePolicy,
  sourceAlias: string,
): string | undefined {
  return rename === 'identity' ? targetTopic : upstreamTopic(targetTopic, sourceAlias);
}

export interface ReadBackMismatch {
  group: string;
  topic: string;
  partition: number;
  expected: bigint | null;
  actual: bigint | null;
}

/**
 * Compares the target group's offsets read back after the commit with the plan: committed and unchanged
 * rows must equal targetOffset, skipped rows must still have their previous offset.
 */
export function verifyReadBack(
  rows: readonly PlanRow[],
  readBack: ReadonlyMap<string, bigint>,
): ReadBackMismatch[] {
  const out: ReadBackMismatch[] = [];
  for (const r of rows) {
    if (r.targetTopic === null) continue;
    const expected =
      r.action === 'commit' || r.action === 'unchanged' ? r.targetOffset : r.currentTargetOffset;
    const actual = readBack.get(partitionKey(r.targetTopic, r.partition)) ?? null;
    if (actual !== expected) {
      out.push({ group: r.group, topic: r.targetTopic, partition: r.partition, expected, actual });
    }
  }
  return out;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
