/**
 * Consumer-group checkpoints (MM2's MirrorCheckpointTask, with exact translation): every interval, the
 * committed offsets of the selected source groups on mirrored partitions are translated through the
 * mirror's live segment maps and written as MM2 Checkpoint records to partition 0 of
 * `<source-alias>.checkpoints.internal` on the target, where Java's RemoteClusterUtils.translateOffsets
 * and `kt mirror failover` read them. With `syncGroupOffsets` the translations are also committed to the
 * same groups on the target (group-sync.ts).
 *
 * Only changed checkpoints are written, by MM2's rule (`checkpointIsMoreRecent`): the first for a key, a
 * downstream offset that advanced, or an upstream offset that went back (the source group was reset).
 * The last written checkpoint per key is loaded from the topic on the first tick, so a restart does not
 * write everything again. A group ahead of the mirror (it read records not copied yet) is checkpointed
 * at the replicated end; how far ahead it is (`aheadBy`, records at risk if the source is lost now) is
 * kept in memory for status and metrics (`lastCheckpoints()`), not in the MM2 record, which has no field.
 */
import PQueue from 'p-queue';
import { fetchCommitted, type ListedGroup, listAllGroups } from '../ops/groups/coordinator.js';
import {
  type Checkpoint,
  checkpointsTopic,
  decodeCheckpoint,
  encodeCheckpointKey,
  encodeCheckpointValue,
} from './formats.js';
import { syncGroupOffsets } from './group-sync.js';
import { appendRecords, ensureCompactedTopic, readDecoded } from './internal-topics.js';
import { wholeRegex } from './policy.js';
import type { LivePartition, MirrorExtension, MirrorView } from './run.js';

/** MM2's `groups.exclude` default, as one whole-name regex. */
export const GROUPS_EXCLUDE_DEFAULT = 'console-consumer-.*|connect-.*|__.*';

export interface CheckpointOptions {
  /** Whole-name regex of source groups to checkpoint (MM2's `groups`, default there `.*`). */
  groups: string;
  /** Whole-name regex of groups to leave out; replaces GROUPS_EXCLUDE_DEFAULT when given (as in MM2). */
  groupsExclude?: string | undefined;
  intervalMs: number;
  /** Also commit the translations to idle groups of the same name on the target. */
  syncGroupOffsets: boolean;
}

/** The latest translation of one group's committed offset on one mirrored partition. */
export interface CheckpointStatus {
  group: string;
  /** Source topic and partition. */
  topic: string;
  partition: number;
  targetTopic: string;
  /** The group's committed source offset. */
  upstreamOffset: bigint;
  /** Where a consumer of the target topic resumes. */
  downstreamOffset: bigint;
  /** Source offsets the group consumed that the mirror has not copied yet (0: exact). */
  aheadBy: bigint;
  /** The commit's metadata ('' when none, or when too long for a Kafka STRING). */
  metadata: string;
  /** Wall-clock ms of the tick that computed it. */
  atMs: number;
}

export interface CheckpointExtension extends MirrorExtension {
  /** The latest translation per group and partition of groups seen in the last tick, sorted. */
  lastCheckpoints(): CheckpointStatus[];
  /** Checkpoint records written by this process. */
  readonly written: number;
}

/** Groups per OffsetFetch wave on the source (and per sync wave on the target). */
const GROUP_CONCURRENCY = 8;
/** Checkpoint records per Produce. */
const RECORDS_PER_APPEND = 500;
/** Kafka STRING limit; longer commit metadata is left out of the checkpoint rather than failing it. */
const STRING_BYTES_MAX = 32767;

type Offsets = Pick<Checkpoint, 'upstreamOffset' | 'downstreamOffset'>;

/** MM2's `checkpointIsMoreRecent`: first for the key, downstream advanced, or upstream rewound. */
export function isMoreRecent(last: Offsets | undefined, next: Offsets): boolean {
  if (last === undefined) return true;
  return next.upstreamOffset < last.upstreamOffset || next.downstreamOffset > last.downstreamOffset;
}

/** The last written checkpoint per (group, target topic, partition). */
export class CheckpointLedger {
  private readonly last = new Map<string, Offsets>();

  private static key(group: string, topic: string, partition: number): string {
    return `${group}\u0000${topic}\u0000${partition}`;
  }

  get size(): number {
    return this.last.size;
  }

  get(group: string, topic: string, partition: number): Offsets | undefined {
    return this.last.get(CheckpointLedger.key(group, topic, partition));
  }

  /** True when `c` is to be written (see isMoreRecent). */
  changed(c: Checkpoint): boolean {
    return isMoreRecent(this.get(c.group, c.topic, c.partition), c);
  }

  /** Records `c` as written (or read back from the topic, in log order: the last one wins). */
  record(c: Checkpoint): void {
    this.last.set(CheckpointLedger.key(c.group, c.topic, c.partition), {
      upstreamOffset: c.upstreamOffset,
      downstreamOffset: c.downstreamOffset,
    });
  }
}

/** Group selection: `groups` minus `groupsExclude` (MM2's default excludes when not given). */
export function groupFilter(options: Pick<CheckpointOptions, 'groups' | 'groupsExclude'>) {
  const include = wholeRegex(options.groups, '--groups');
  const exclude = wholeRegex(options.groupsExclude ?? GROUPS_EXCLUDE_DEFAULT, '--groups-exclude');
  return (group: string): boolean => include.test(group) && !exclude.test(group);
}

/**
 * A factory for MirrorOptions.extensions. The regexes are checked here, before the mirror starts (a
 * KtError KT_USAGE for an invalid one).
 */
export function checkpointExtension(options: CheckpointOptions): (view: MirrorView) => CheckpointExtension {
  const selects = groupFilter(options);
  return (view) => new Checkpointer(view, options, selects);
}

class Checkpointer implements CheckpointExtension {
  readonly name = 'checkpoints';
  readonly intervalMs: number;
  written = 0;
  private readonly topic: string;
  private readonly ledger = new CheckpointLedger();
  private loaded = false;
  private readonly status = new Map<string, CheckpointStatus[]>();
  /** Groups skipped by the target sync, with why: logged again only when the reason changes. */
  private readonly skipNoted = new Map<string, string>();
  /** Ticks run one at a time (the stop's last tick may come while an interval tick runs). */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly view: MirrorView,
    private readonly options: CheckpointOptions,
    private readonly selects: (group: string) => boolean,
  ) {
    this.intervalMs = options.intervalMs;
    this.topic = checkpointsTopic(view.sourceAlias);
  }

  lastCheckpoints(): CheckpointStatus[] {
    const order = (a: CheckpointStatus, b: CheckpointStatus): number =>
      a.group !== b.group
        ? a.group.localeCompare(b.group)
        : a.topic !== b.topic
          ? a.topic.localeCompare(b.topic)
          : a.partition - b.partition;
    return [...this.status.values()].flat().sort(order);
  }

  tick(): Promise<void> {
    const run = this.chain.catch(() => undefined).then(() => this.once());
    this.chain = run;
    return run;
  }

  private async load(): Promise<void> {
    await ensureCompactedTopic(this.view.target, this.topic);
    // A tombstone (null value) has nothing to compare with.
    const decode = (k: Uint8Array | null, v: Uint8Array | null) =>
      v === null ? null : decodeCheckpoint(k, v);
    const skipped = await readDecoded(this.view.target, this.topic, decode, (c) => {
      if (c !== null) this.ledger.record(c);
    });
    if (skipped > 0)
      this.view.log(`mirror: skipped ${skipped} records of ${this.topic} that are not checkpoints`);
    this.loaded = true;
  }

  private async once(): Promise<void> {
    if (!this.loaded) await this.load();
    const translated = await this.translateGroups();
    const changes = await this.writeChanges(translated);
    this.status.clear();
    for (const [group, list] of translated) this.status.set(group, list);
    const synced = this.options.syncGroupOffsets
      ? await this.syncTarget(translated)
      : new Map<string, string[]>();
    this.logChanges(translated, changes, synced);
  }

  /** The selected source groups' committed offsets on mirrored partitions, translated, by group. */
  private async translateGroups(): Promise<Map<string, CheckpointStatus[]>> {
    const { view } = this;
    const mirrored = new Map<string, LivePartition>();
    for (const p of view.partitions()) mirrored.set(`${p.topic}\u0000${p.partition}`, p);
    const listed = await listAllGroups(view.source, []);
    // Consumer groups: classic "consumer" protocol, KIP-848 consumer groups, and groups that only
    // commit offsets (empty protocol type), as the Java admin's listConsumerGroups.
    const groups = [
      ...new Set(
        listed
          .filter((g) => g.protocolType === 'consumer' || g.protocolType === '')
          .map((g) => g.group)
          .filter(this.selects),
      ),
    ];
    const atMs = Date.now();
    const queue = new PQueue({ concurrency: GROUP_CONCURRENCY });
    const translated = new Map<string, CheckpointStatus[]>();
    await Promise.all(
      groups.map((group) =>
        queue.add(async () => {
          const list: CheckpointStatus[] = [];
          let committed: Awaited<ReturnType<typeof fetchCommitted>>;
          try {
            committed = await fetchCommitted(view.source, group);
          } catch (error) {
            // One group's failure (an ACL, a coordinator that keeps moving) does not hold back the others;
            // its last status is kept until a tick reads it again.
            view.log(
              `mirror: group ${group}: reading its offsets on the source failed: ${(error as Error).message}`,
            );
            const kept = this.status.get(group);
            if (kept) translated.set(group, kept);
            return;
          }
          for (const c of committed) {
            const p = mirrored.get(`${c.topic}\u0000${c.partition}`);
            if (!p) continue;
            const t = view.translate(c.topic, c.partition, c.offset);
            if (!t) continue;
            const meta = c.metadata ?? '';
            list.push({
              group,
              topic: c.topic,
              partition: c.partition,
              targetTopic: p.targetTopic,
              upstreamOffset: c.offset,
              downstreamOffset: t.offset,
              aheadBy: t.aheadBy,
              metadata: Buffer.byteLength(meta) <= STRING_BYTES_MAX ? meta : '',
              atMs,
            });
          }
          if (list.length > 0) translated.set(group, list);
        }),
      ),
    );
    return translated;
  }

  /** Writes the checkpoints that changed (isMoreRecent) and returns them. */
  private async writeChanges(translated: ReadonlyMap<string, CheckpointStatus[]>): Promise<Checkpoint[]> {
    const { view } = this;
    const changes: Checkpoint[] = [];
    for (const list of translated.values()) {
      for (const s of list) {
        const c: Checkpoint = {
          group: s.group,
          topic: s.targetTopic,
          partition: s.partition,
          upstreamOffset: s.upstreamOffset,
          downstreamOffset: s.downstreamOffset,
          metadata: s.metadata,
        };
        if (this.ledger.changed(c)) changes.push(c);
      }
    }
    for (let i = 0; i < changes.length; i += RECORDS_PER_APPEND) {
      const chunk = changes.slice(i, i + RECORDS_PER_APPEND);
      await appendRecords(
        view.target,
        this.topic,
        chunk.map((c) => ({
          key: encodeCheckpointKey(c.group, c.topic, c.partition),
          value: encodeCheckpointValue(c.upstreamOffset, c.downstreamOffset, c.metadata),
        })),
      );
      for (const c of chunk) this.ledger.record(c);
      this.written += chunk.length;
    }
    return changes;
  }

  /** One line per group whose checkpoints or target offsets changed. */
  private logChanges(
    translated: ReadonlyMap<string, CheckpointStatus[]>,
    changes: readonly Checkpoint[],
    synced: ReadonlyMap<string, string[]>,
  ): void {
    const lines = new Map<string, string[]>();
    for (const c of changes) {
      const ahead = translated
        .get(c.group)
        ?.find((s) => s.targetTopic === c.topic && s.partition === c.partition)?.aheadBy;
      const parts = lines.get(c.group) ?? [];
      parts.push(`${c.topic}-${c.partition}@${c.downstreamOffset}${ahead ? ` (ahead by ${ahead})` : ''}`);
      lines.set(c.group, parts);
    }
    for (const group of new Set([...lines.keys(), ...synced.keys()])) {
      const parts: string[] = [];
      const cps = lines.get(group);
      if (cps) parts.push(`checkpointed ${summarize(cps)}`);
      const commits = synced.get(group);
      if (commits) parts.push(`committed on target ${summarize(commits)}`);
      this.view.log(`mirror: group ${group}: ${parts.join('; ')}`);
    }
  }

  /** Commits the translations to idle target groups; returns per group what moved, for the log line. */
  private async syncTarget(translated: Map<string, CheckpointStatus[]>): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    // One ListGroups round for the states of all target groups (KIP-848 groups included).
    const listed = new Map<string, ListedGroup>();
    try {
      for (const g of await listAllGroups(this.view.target, [])) listed.set(g.group, g);
    } catch (error) {
      // DescribeGroups per group and the broker's refusal of admin commits to live groups still guard.
      this.view.log(`mirror: listing target groups failed: ${(error as Error).message}`);
    }
    const queue = new PQueue({ concurrency: GROUP_CONCURRENCY });
    await Promise.all(
      [...translated].map(([group, list]) =>
        queue.add(async () => {
          let result: Awaited<ReturnType<typeof syncGroupOffsets>>;
          try {
            result = await syncGroupOffsets(
              this.view.target,
              group,
              list.map((s) => ({ topic: s.targetTopic, partition: s.partition, offset: s.downstreamOffset })),
              listed.get(group),
            );
          } catch (error) {
            // One group's failure (an ACL, a coordinator move) does not hold back the others.
            this.view.log(`mirror: group ${group}: target offset sync failed: ${(error as Error).message}`);
            return;
          }
          if (result.skipped !== undefined) {
            if (this.skipNoted.get(group) !== result.skipped) {
              this.view.log(
                `mirror: group ${group}: not syncing offsets on the target, the group there is ${result.skipped}`,
              );
              this.skipNoted.set(group, result.skipped);
            }
            return;
          }
          this.skipNoted.delete(group);
          if (result.committed.length > 0) {
            out.set(
              group,
              result.committed.map((m) => `${m.topic}-${m.partition}@${m.from ?? 'none'}→${m.to}`),
            );
          }
        }),
      ),
    );
    return out;
  }
}

/** At most 5 items of a log line, then how many more. */
function summarize(items: readonly string[]): string {
  const shown = items.slice(0, 5).join(' ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}
