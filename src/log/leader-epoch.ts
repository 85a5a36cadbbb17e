/**
 * LeaderEpochCache: the (epoch → first offset) history of a partition, persisted as Kafka's
 * `leader-epoch-checkpoint` (see checkpoint.ts). Used by ListOffsets/OffsetForLeaderEpoch and follower
 * truncation.
 *
 * Invariants: epochs and start offsets strictly increase. A new entry is added when a batch with a
 * larger epoch is appended; truncating the log drops entries at or past the new end; advancing the log
 * start offset moves the first entry's start up. Every change is checkpointed atomically before it is
 * relied on, so after a crash the file is the old or the new history, never a mix.
 *
 * Thread-safety: none; owned by one Log.
 */

import type { EpochEntry } from './checkpoint.js';
import { readLeaderEpochCheckpoint, writeLeaderEpochCheckpoint } from './checkpoint.js';
import type { LogFs } from './fs.js';

export class LeaderEpochCache {
  private entries: EpochEntry[];

  private constructor(
    private readonly fsys: LogFs,
    private readonly dir: string,
    entries: EpochEntry[],
  ) {
    this.entries = entries;
  }

  static load(fsys: LogFs, dir: string): LeaderEpochCache {
    return new LeaderEpochCache(fsys, dir, readLeaderEpochCheckpoint(fsys, dir));
  }

  get all(): readonly EpochEntry[] {
    return this.entries;
  }

  latestEpoch(): number {
    return this.entries.length === 0 ? -1 : this.entries[this.entries.length - 1]!.epoch;
  }

  /** Records that `epoch` starts at `startOffset` when it is newer than the latest; checkpoints it. */
  assign(epoch: number, startOffset: bigint): void {
    if (epoch < 0 || epoch <= this.latestEpoch()) return;
    this.entries = [...this.entries.filter((e) => e.startOffset < startOffset), { epoch, startOffset }];
    this.flush();
  }

  /** End offset of `epoch` (start of the next epoch, or `logEndOffset` for the latest), -1n if unknown. */
  endOffsetFor(epoch: number, logEndOffset: bigint): { epoch: number; endOffset: bigint } {
    let found = -1;
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i]!.epoch <= epoch) found = i;
    if (found < 0) return { epoch: -1, endOffset: -1n };
    const next = this.entries[found + 1];
    return {
      epoch: this.entries[found]!.epoch,
      endOffset: next === undefined ? logEndOffset : next.startOffset,
    };
  }

  /** Drops epochs starting at or after `endOffset` (the log was truncated to end there). */
  truncateFromEnd(endOffset: bigint): void {
    const kept = this.entries.filter((e) => e.startOffset < endOffset);
    if (kept.length === this.entries.length) return;
    this.entries = kept;
    this.flush();
  }

  /** Moves the history's start up to `startOffset` (retention or DeleteRecords advanced the log start). */
  truncateFromStart(startOffset: bigint): void {
    let changed = false;
    while (this.entries.length > 1 && this.entries[1]!.startOffset <= startOffset) {
      this.entries = this.entries.slice(1);
      changed = true;
    }
    const first = this.entries[0];
    if (first !== undefined && first.startOffset < startOffset) {
      this.entries = [{ epoch: first.epoch, startOffset }, ...this.entries.slice(1)];
      changed = true;
    }
    if (changed) this.flush();
  }

  private flush(): void {
    writeLeaderEpochCheckpoint(this.fsys, this.dir, this.entries);
  }
}
