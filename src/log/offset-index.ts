/**
 * OffsetIndex: the sparse `.index` file of a segment (Kafka's OffsetIndex.java format).
 *
 * Format: 8-byte big-endian entries `relativeOffset:int32, position:int32`, where relativeOffset is a
 * batch's *last* offset minus the segment base offset and position is the byte position of that batch in
 * the `.log`. One entry per `indexIntervalBytes` of log (Kafka's convention: the entry is added before the
 * batch whose preceding bytes crossed the interval).
 *
 * Invariants: relative offsets and positions strictly increase; every position is the start of a batch.
 * Like Kafka, the file carries no checksum: it is rebuilt from the log when recovery finds it missing,
 * truncated or inconsistent.
 *
 * Entries live in memory (a growable Int32Array) and are written to the file in one pwrite by `persist()`
 * (on flush, roll and close), so an append never pays an extra syscall for its index entry.
 *
 * Thread-safety: none; owned by one Segment on the log owner's thread.
 */

import type { LogFs } from './fs.js';
import { writeFully } from './fs.js';

export const OFFSET_INDEX_ENTRY_BYTES = 8;

export class OffsetIndex {
  private entries: Int32Array;
  private count = 0;
  /** Entries already in the file. */
  private persisted = 0;

  constructor(
    readonly maxEntries: number,
    initial?: Int32Array,
  ) {
    this.entries = new Int32Array(Math.max(64, initial?.length ?? 0));
    if (initial !== undefined) {
      this.entries.set(initial);
      this.count = initial.length >> 1;
      this.persisted = this.count;
    }
  }

  get size(): number {
    return this.count;
  }
  get isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  relativeOffsetAt(i: number): number {
    return this.entries[2 * i]!;
  }
  positionAt(i: number): number {
    return this.entries[2 * i + 1]!;
  }
  lastRelativeOffset(): number {
    return this.count === 0 ? -1 : this.entries[2 * this.count - 2]!;
  }

  append(relativeOffset: number, position: number): void {
    if (
      this.count > 0 &&
      (relativeOffset <= this.lastRelativeOffset() || position <= this.positionAt(this.count - 1))
    ) {
      throw new Error(`offset index entry (${relativeOffset}, ${position}) does not increase`);
    }
    if (2 * this.count + 2 > this.entries.length) {
      const grown = new Int32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    this.entries[2 * this.count] = relativeOffset;
    this.entries[2 * this.count + 1] = position;
    this.count += 1;
  }

  /** Position of the batch whose last offset is the largest indexed one <= `relativeOffset`, else 0. */
  lookup(relativeOffset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[2 * mid]! <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : this.entries[2 * found + 1]!;
  }

  /** Drops entries at or past `position` (used when the log is truncated). */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.positionAt(this.count - 1) >= position) this.count -= 1;
    this.persisted = Math.min(this.persisted, this.count);
  }

  /** Writes the entries not yet in the file and trims the file to exactly the entries. */
  persist(fsys: LogFs, fd: number): void {
    if (this.persisted < this.count) {
      const bytes = encodeEntries(this.entries, this.persisted, this.count);
      writeFully(fsys, fd, bytes, 0, bytes.length, this.persisted * OFFSET_INDEX_ENTRY_BYTES);
    }
    if (fsys.fileSize(fd) !== this.count * OFFSET_INDEX_ENTRY_BYTES) {
      fsys.ftruncate(fd, this.count * OFFSET_INDEX_ENTRY_BYTES);
    }
    this.persisted = this.count;
  }

  /**
   * Parses an index file and checks it against the log it indexes; returns undefined (rebuild needed) when
   * the size is not a whole number of entries, entries do not increase, or a position lies past `logBytes`.
   */
  static parse(bytes: Uint8Array, logBytes: number, maxEntries: number): OffsetIndex | undefined {
    if (bytes.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = bytes.length / OFFSET_INDEX_ENTRY_BYTES;
    const entries = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const rel = view.getInt32(8 * i);
      const pos = view.getInt32(8 * i + 4);
      if (rel < 0 || pos < 0 || pos >= logBytes) return undefined;
      if (i > 0 && (rel <= entries[2 * i - 2]! || pos <= entries[2 * i - 1]!)) return undefined;
      entries[2 * i] = rel;
      entries[2 * i + 1] = pos;
    }
    return new OffsetIndex(maxEntries, entries);
  }
}

function encodeEntries(entries: Int32Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) * OFFSET_INDEX_ENTRY_BYTES);
  const view = new DataView(out.buffer);
  for (let i = from; i < to; i++) {
    view.setInt32((i - from) * 8, entries[2 * i]!);
    view.setInt32((i - from) * 8 + 4, entries[2 * i + 1]!);
  }
  return out;
}
