/**
 * Exact offset translation: the segment map of one source partition, built from offset syncs.
 *
 * A sync (up, down) says "source offset `up` — or, if `up` is not a record, the first record after it —
 * was copied to target offset `down`, and the source records after it follow contiguously until the
 * next sync". The mirror writes a sync whenever that stops being true: the first copy of a partition,
 * after every skipped source offset (transaction markers, aborted or compacted records), after any jump
 * on the target (re-copies after a crash) and at the end of a fetch that ended in skipped offsets. So,
 * with s the latest sync at or below g and n the next one:
 *
 *   translate(g) = min(s.down + (g − s.up), n.down)
 *
 * (n is the follower s had when it was written: a later generation that replaces n keeps n's down as s's
 * cap, since the copy s describes still ends there.)
 *
 * The min handles g inside a gap (a compacted-away offset): the next record that exists is n's. Past the
 * last sync, g is exact up to the replicated end (`end`, the mirror's position and the target offset the
 * next record will take); beyond it the group has read records not copied yet, and the translation is the
 * target end with `aheadBy` = how many source offsets were not copied (the data-loss window if the source
 * is gone now).
 *
 * A sync at or below an earlier one starts a new generation (a restart re-copying from its last saved
 * position): the entries at or above it are dropped, so translations point at the newest copy, which the
 * rest of the log continues.
 */
import type { ClusterClient } from '../protocol/client/cluster.js';
import { decodeOffsetSync } from './formats.js';
import { readDecoded } from './internal-topics.js';

export interface SyncPoint {
  up: bigint;
  down: bigint;
}

export interface Translation {
  /** Target offset a consumer should resume at. */
  offset: bigint;
  /** Source offsets at or after the replicated end the group had already consumed (0 when exact). */
  aheadBy: bigint;
}

/** Entries kept per partition; the oldest are dropped first (groups that far behind cannot translate). */
export const SEGMENTS_PER_PARTITION_MAX = 100_000;

export class SegmentMap {
  private readonly ups: bigint[] = [];
  private readonly downs: bigint[] = [];
  /**
   * caps[i]: the target offset entry i's run cannot go past — the down of the entry that followed it.
   * Kept when a new generation drops that follower: the old copy still ends there, and a committed
   * offset in a gap after the run must not be mapped into the records after it (a skip).
   */
  private readonly caps: (bigint | undefined)[] = [];

  constructor(private readonly segmentsMax = SEGMENTS_PER_PARTITION_MAX) {}

  get size(): number {
    return this.ups.length;
  }

  /** The oldest source offset that translates, if any. */
  get firstUp(): bigint | undefined {
    return this.ups[0];
  }

  last(): SyncPoint | undefined {
    const i = this.ups.length - 1;
    return i < 0 ? undefined : { up: this.ups[i]!, down: this.downs[i]! };
  }

  push(up: bigint, down: bigint): void {
    // New generation: drop every entry at or above `up` (binary search for the first such entry).
    let lo = 0;
    let hi = this.ups.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ups[mid]! < up) lo = mid + 1;
      else hi = mid;
    }
    this.ups.length = lo;
    this.downs.length = lo;
    this.caps.length = lo;
    if (lo > 0) {
      const cap = this.caps[lo - 1];
      this.caps[lo - 1] = cap === undefined || down < cap ? down : cap;
    }
    this.ups.push(up);
    this.downs.push(down);
    this.caps.push(undefined);
    if (this.ups.length > this.segmentsMax) {
      const excess = this.ups.length - this.segmentsMax;
      this.ups.splice(0, excess);
      this.downs.splice(0, excess);
      this.caps.splice(0, excess);
    }
  }

  /**
   * Target offset for committed source offset `g`; undefined when g is before the mapped history.
   * `end`, when known, is the replicated end: source offset `end.up` is the next to be copied and will
   * land at target offset `end.down`.
   */
  translate(g: bigint, end?: SyncPoint): Translation | undefined {
    if (end !== undefined && g >= end.up) {
      // Everything before end.up is on the target; the next record goes to end.down.
      if (this.ups.length === 0 || g >= this.ups[0]!) return { offset: end.down, aheadBy: g - end.up };
    }
    // Last entry with up <= g.
    let lo = 0;
    let hi = this.ups.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ups[mid]! <= g) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i < 0) return undefined;
    let offset = this.downs[i]! + (g - this.ups[i]!);
    const cap = this.caps[i];
    if (cap !== undefined && cap < offset) offset = cap;
    if (end !== undefined && end.down < offset) offset = end.down;
    return { offset, aheadBy: 0n };
  }
}

/** Segment maps of many partitions, keyed by source topic and partition. */
export class SegmentMaps {
  private readonly maps = new Map<string, SegmentMap>();

  get(topic: string, partition: number): SegmentMap | undefined {
    return this.maps.get(`${topic}\u0000${partition}`);
  }

  push(topic: string, partition: number, up: bigint, down: bigint): void {
    const k = `${topic}\u0000${partition}`;
    let map = this.maps.get(k);
    if (!map) {
      map = new SegmentMap();
      this.maps.set(k, map);
    }
    map.push(up, down);
  }
}

/**
 * Reads every offset sync of `syncsTopic` (on the source) in log order into segment maps. Records that
 * are not offset syncs are skipped and counted, as MM2's readers skip what does not parse.
 */
export async function loadSegmentMaps(
  source: ClusterClient,
  syncsTopic: string,
): Promise<{ maps: SegmentMaps; skipped: number }> {
  const maps = new SegmentMaps();
  const skipped = await readDecoded(source, syncsTopic, decodeOffsetSync, (s) =>
    maps.push(s.topic, s.partition, s.upstreamOffset, s.downstreamOffset),
  );
  return { maps, skipped };
}
