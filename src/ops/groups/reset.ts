/**
 * `kt groups reset-offsets`: computes a plan (nothing changes) and, with --execute, applies it through an
 * admin OffsetCommit, only while the group has no members, after writing an undo file with the offsets
 * it replaces. Partitions that had no committed offset are recorded as null in the undo file; replaying
 * it removes their offsets again (OffsetDelete), so an undo restores the previous state exactly.
 *
 * JSON shape (stable): { group, mode, executed: boolean, undoFile: string|null,
 *   partitions: [ { topic, partition, currentOffset: number|null, newOffset: number|null,
 *                   logStartOffset, logEndOffset, lagAfter: number|null, clampedFrom: number|null } ],
 *   warnings: string[] }
 */
import { writeFile } from 'node:fs/promises';
import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import {
  type CommittedOffset,
  commitOffsets,
  deleteOffsets,
  describeGroup,
  fetchCommitted,
  type RawGroup,
} from './coordinator.js';
import { groupNotFound } from './describe.js';
import { keyOf, logRanges, offsetsAtTime, type PartitionRef, topicPartitions } from './log-positions.js';
import {
  buildPlan,
  describeMode,
  type FileOffset,
  type PlanEntry,
  type PlanInput,
  type ResetMode,
  requestedOffset,
  type UndoFile,
} from './plan.js';

export interface TopicScope {
  topic: string;
  partitions?: number[];
}

export interface ResetOptions {
  group: string;
  /** --topic T[:P,…]; empty with allTopics or with a file (the file's partitions). */
  scopes: readonly TopicScope[];
  allTopics: boolean;
  mode: ResetMode;
  execute: boolean;
  /** Allow topics (or a group) without committed offsets: the reset creates them. */
  allowNewTopics: boolean;
  /** Where --execute writes the undo file. */
  undoPath: string;
  nowMs?: number;
}

export interface ResetResult {
  group: string;
  mode: string;
  executed: boolean;
  undoFile: string | null;
  partitions: PlanEntry[];
  warnings: string[];
}

export function activeMembersError(group: string, raw: RawGroup): KtError {
  const who = raw.members
    .map((m) => `${m.memberId} (client id ${m.clientId}, host ${m.clientHost})`)
    .sort()
    .join(', ');
  return new KtError(
    'KT_INVALID_INPUT',
    `Group "${group}" has ${raw.members.length} active member${raw.members.length === 1 ? '' : 's'} (state ${raw.state}): ${who}`,
    { hint: 'stop its consumers first; without --execute kt only shows the plan' },
  );
}

export async function resetOffsets(client: ClusterClient, options: ResetOptions): Promise<ResetResult> {
  const { group, mode } = options;
  const [raw, committed] = await Promise.all([describeGroup(client, group), fetchCommitted(client, group)]);
  const exists = !(raw.state === 'Dead' && raw.members.length === 0 && committed.length === 0);
  if (!exists && !options.allowNewTopics && mode.kind !== 'file' && mode.kind !== 'group')
    throw groupNotFound(group);
  const current = new Map(committed.map((c) => [keyOf(c.topic, c.partition), c.offset]));

  let other: CommittedOffset[] = [];
  if (mode.kind === 'group') {
    if (mode.group === group) throw new KtError('KT_USAGE', '--to-group names the group being reset');
    other = await fetchCommitted(client, mode.group);
    if (other.length === 0)
      throw new KtError('KT_NOT_FOUND', `Group "${mode.group}" has no committed offsets to copy`);
  }

  const refs = await scopePartitions(client, options, committed, other);
  const ranges = await logRanges(client, refs);
  let atTime = new Map<string, bigint>();
  if (mode.kind === 'datetime') atTime = await offsetsAtTime(client, refs, mode.timestampMs);
  if (mode.kind === 'duration') {
    const at = BigInt(options.nowMs ?? Date.now()) - mode.durationMs;
    atTime = await offsetsAtTime(client, refs, at < 0n ? 0n : at);
  }
  const otherBy = new Map(other.map((o) => [keyOf(o.topic, o.partition), o.offset]));
  const fileBy = new Map<string, FileOffset>(
    mode.kind === 'file' ? mode.offsets.map((f) => [keyOf(f.topic, f.partition), f]) : [],
  );

  const inputs: PlanInput[] = [];
  for (const ref of refs) {
    const k = keyOf(ref.topic, ref.partition);
    const p = {
      topic: ref.topic,
      partition: ref.partition,
      current: current.get(k) ?? null,
      range: ranges.get(k)!,
    };
    const at = atTime.get(k);
    const o = otherBy.get(k);
    const f = fileBy.get(k);
    const requested = requestedOffset(mode, p, {
      ...(at === undefined ? {} : { atTime: at }),
      ...(o === undefined ? {} : { other: o }),
      ...(f === undefined ? {} : { file: f }),
    });
    if (requested === undefined) continue;
    // Removing an offset that is not there changes nothing: leave it out of the plan.
    if (requested === null && p.current === null) continue;
    inputs.push({ ...p, requested });
  }
  const { entries, warnings } = buildPlan(inputs);
  const result: ResetResult = {
    group,
    mode: describeMode(mode),
    executed: false,
    undoFile: null,
    partitions: entries,
    warnings,
  };
  if (!options.execute) return result;

  if (raw.members.length > 0) throw activeMembersError(group, raw);
  const undo: UndoFile = {
    kind: 'kt-group-offsets',
    version: 1,
    group,
    createdAt: new Date(options.nowMs ?? Date.now()).toISOString(),
    reason: `undo of reset-offsets ${describeMode(mode)}`,
    offsets: entries.map((e) => ({ topic: e.topic, partition: e.partition, offset: e.currentOffset })),
  };
  try {
    await writeFile(
      options.undoPath,
      `${JSON.stringify(undo, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
      {
        flag: 'wx',
      },
    );
  } catch (error) {
    throw new KtError(
      'KT_IO',
      `Cannot write the undo file ${options.undoPath}: ${(error as Error).message}`,
      {
        hint: 'pass --undo-file with a new path; nothing was changed',
      },
    );
  }
  const toCommit = entries.filter((e) => e.newOffset !== null);
  await commitOffsets(
    client,
    group,
    toCommit.map((e) => ({ topic: e.topic, partition: e.partition, offset: e.newOffset! })),
  );
  const toDelete = entries.filter((e) => e.newOffset === null);
  if (toDelete.length > 0) {
    const results = await deleteOffsets(client, group, toDelete);
    const failed = results.find((r) => r.errorCode !== ErrorCode.NONE);
    if (failed) {
      throw new KtError(
        'KT_KAFKA',
        `OffsetDelete ${group} ${failed.topic}:${failed.partition}: error ${failed.errorCode}`,
        {
          kafkaCode: failed.errorCode,
        },
      );
    }
  }
  return { ...result, executed: true, undoFile: options.undoPath };
}

/** The partitions a reset covers, checked against the cluster (and the group's offsets). */
async function scopePartitions(
  client: ClusterClient,
  options: ResetOptions,
  committed: readonly CommittedOffset[],
  other: readonly CommittedOffset[],
): Promise<PartitionRef[]> {
  const { mode } = options;
  const consumed = new Set(committed.map((c) => c.topic));
  let scopes: TopicScope[] = [...options.scopes];
  if (mode.kind === 'file') {
    const fromFile = new Map<string, number[]>();
    for (const f of mode.offsets) fromFile.set(f.topic, [...(fromFile.get(f.topic) ?? []), f.partition]);
    const fileScopes = [...fromFile].map(([topic, partitions]) => ({
      topic,
      partitions: partitions.sort((a, b) => a - b),
    }));
    if (scopes.length === 0) scopes = fileScopes;
    else {
      // --topic narrows a file to those topics (and partitions).
      scopes = scopes.flatMap((s) => {
        const f = fromFile.get(s.topic);
        if (!f) throw new KtError('KT_INVALID_INPUT', `--topic ${s.topic}: the file has no offsets for it`);
        return [{ topic: s.topic, partitions: s.partitions ? s.partitions.filter((p) => f.includes(p)) : f }];
      });
    }
  } else if (options.allTopics) {
    const source = mode.kind === 'group' ? other : committed;
    const topics = [...new Set(source.map((c) => c.topic))].sort();
    if (topics.length === 0) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Group "${options.group}" has no committed offsets: --all-topics selects nothing`,
        {
          hint: 'name the topics with --topic (and --allow-new-topics)',
        },
      );
    }
    scopes = topics.map((topic) => ({ topic }));
  } else if (mode.kind !== 'group' && !options.allowNewTopics) {
    for (const s of scopes) {
      if (!consumed.has(s.topic)) {
        throw new KtError(
          'KT_INVALID_INPUT',
          `Group "${options.group}" has no committed offsets on topic ${s.topic}`,
          {
            hint: 'pass --allow-new-topics to create offsets for a topic the group never consumed',
          },
        );
      }
    }
  }
  const { partitions, missing } = await topicPartitions(
    client,
    scopes.map((s) => s.topic),
  );
  if (missing.length > 0) {
    throw new KtError(
      'KT_NOT_FOUND',
      `Topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`,
    );
  }
  const refs: PartitionRef[] = [];
  const seen = new Set<string>();
  for (const s of scopes) {
    const all = partitions.get(s.topic)!;
    const chosen = s.partitions ?? all.map((r) => r.partition);
    for (const p of chosen) {
      const ref = all.find((r) => r.partition === p);
      if (!ref)
        throw new KtError('KT_NOT_FOUND', `Topic ${s.topic} has no partition ${p} (it has ${all.length})`);
      const k = keyOf(ref.topic, ref.partition);
      if (!seen.has(k)) refs.push(ref);
      seen.add(k);
    }
  }
  return refs;
}
