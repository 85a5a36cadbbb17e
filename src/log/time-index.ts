/**
 * TimeIndex: the sparse `.timeindex` file of a segment (Kafka's TimeIndex.java format).
 *
 * Format: 12-byte big-endian entries `timestamp:int64, relativeOffset:int32`: the largest timestamp seen
 * so far in the segment and the (relative) last offset of the batch that carried it. Written alongside
 * offset-index entries, only when the timestamp grows.
 *
 * Invariants: timestamps strictly increase, relative offsets do not decrease. Not checksummed; rebuilt
 * by recovery like the offset index. Entries live in memory and are persisted in one write (see
 * offset-index.ts for why).
 *
 * Thread-safety: none; owned by one Segment on the log owner's thread.
 */

import type { LogFs } from './fs.js';
import { writeFully } from './fs.js';

export const TIME_INDEX_ENTRY_BYTES = 12;

export class TimeIndex {
  private timestamps: number[] = [];
  private offsets: number[] = [];
  private persisted = 0;

  get size(): number {
    return this.timestamps.length;
  }
  lastTimestamp(): number {
    return this.timestamps.length === 0 ? -1 : this.timestamps[this.timestamps.length - 1]!;
  }
  timestampAt(i: number): number {
    return this.timestamps[i]!;
  }
  relativeOffsetAt(i: number): number {
    return this.offsets[i]!;
  }

  /** Adds an entry when `timestampMs` is larger than the last one (Kafka's maybeAppend). */
  maybeAppend(timestampMs: number, relativeOffset: number): void {
    if (timestampMs <= this.lastTimestamp()) return;
    this.timestamps.push(timestampMs);
    this.offsets.push(relativeOffset);
  }

  /** Relative offset of the largest entry with timestamp <= `timestampMs`, or -1 (search from the start). */
  lookup(timestampMs: number): number {
    let lo = 0;
    let hi = this.timestamps.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.timestamps[mid]! <= timestampMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? -1 : this.offsets[found]!;
  }

  /** Drops entries whose offset is >= `relativeOffset` (after a truncation of the log). */
  truncateToRelativeOffset(relativeOffset: number): void {
    while (this.offsets.length > 0 && this.offsets[this.offsets.length - 1]! >= relativeOffset) {
      this.offsets.pop();
      this.timestamps.pop();
    }
    this.persisted = Math.min(this.persisted, this.timestamps.length);
  }

  persist(fsys: LogFs, fd: number): void {
    const n = this.timestamps.length;
    if (this.persisted < n) {
      const out = new Uint8Array((n - this.persisted) * TIME_INDEX_ENTRY_BYTES);
      const view = new DataView(out.buffer);
      for (let i = this.persisted; i < n; i++) {
        view.setBigInt64((i - this.persisted) * 12, BigInt(this.timestamps[i]!));
        view.setInt32((i - this.persisted) * 12 + 8, this.offsets[i]!);
      }
      writeFully(fsys, fd, out, 0, out.length, this.persisted * TIME_INDEX_ENTRY_BYTES);
    }
    if (fsys.fileSize(fd) !== n * TIME_INDEX_ENTRY_BYTES) fsys.ftruncate(fd, n * TIME_INDEX_ENTRY_BYTES);
    this.persisted = n;
  }

  /** Parses a time index; undefined (rebuild) when malformed or pointing past `lastRelativeOffset`. */
  static parse(bytes: Uint8Array, lastRelativeOffset: number): TimeIndex | undefined {
    if (bytes.length % TIME_INDEX_ENTRY_BYTES !== 0) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const index = new TimeIndex();
    for (let i = 0; i < bytes.length / TIME_INDEX_ENTRY_BYTES; i++) {
      const ts = Number(view.getBigInt64(12 * i));
      const rel = view.getInt32(12 * i + 8);
      if (rel < 0 || rel > lastRelativeOffset) return undefined;
      if (i > 0 && (ts <= index.lastTimestamp() || rel < index.offsets[i - 1]!)) return undefined;
      index.timestamps.push(ts);
      index.offsets.push(rel);
    }
    index.persisted = index.timestamps.length;
    return index;
  }
}
