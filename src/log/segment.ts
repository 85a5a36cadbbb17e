/**
 * Segment: one `<20-digit base offset>.log` file of concatenated RecordBatch v2 bytes plus its sparse
 * `.index` and `.timeindex` (Kafka's LogSegment).
 *
 * Invariants: the base offset is <= every offset in the segment and > every offset of earlier segments;
 * batches are stored exactly as appended (offsets and leader epoch already patched by the Log); batch
 * offsets strictly increase; `sizeBytes` is the logical end: bytes past it (a failed write's torn tail)
 * are never read and are cut off before the next write or on recovery.
 *
 * Writes are positional (`pwrite` at `sizeBytes`) and synchronous; a failed write is rolled back by
 * truncating the file to `sizeBytes`, so an unacknowledged batch is never served.
 *
 * Thread-safety: none. A Segment belongs to one Log on one thread; the only concurrent user is the
 * background cleaner, which only reads segments that are no longer active (immutable).
 */
import { BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD_BYTES, batchSizeAt } from '../protocol/batch-header.js';
import type { BatchSummary } from './batch-check.js';
import { checkBatchAt, summarize } from './batch-check.js';
import type { LogFs } from './fs.js';
import { readFully, writeFully } from './fs.js';
import { OFFSET_INDEX_ENTRY_BYTES, OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

export function segmentFileName(baseOffset: bigint, suffix: string): string {
  return `${baseOffset.toString().padStart(20, '0')}${suffix}`;
}

/** Scan chunk size: large enough that per-read syscalls are negligible against CRC cost. */
const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

export interface SegmentOptions {
  indexIntervalBytes: number;
  segmentIndexBytesMax: number;
}

export interface ScanResult {
  /** Bytes of valid batches from the start. */
  validBytes: number;
  /** Why scanning stopped before the end of the file, if it did. */
  stopReason: string | undefined;
}

export interface SegmentSnapshot {
  sizeBytes: number;
  nextOffset: bigint;
  maxTimestampMs: number;
  offsetOfMaxTimestamp: number;
  bytesSinceIndexEntry: number;
  rollingBaseTimestampMs: number;
}

export class Segment {
  sizeBytes = 0;
  /** Offset after the last batch (baseOffset when empty). */
  nextOffset: bigint;
  maxTimestampMs = -1;
  /** Relative last offset of the batch holding maxTimestampMs. */
  offsetOfMaxTimestamp = 0;
  /** Timestamp roll-by-time measures from: the first batch's max timestamp (-1: none, use createdAtMs). */
  rollingBaseTimestampMs = -1;
  readonly createdAtMs: number;
  offsetIndex: OffsetIndex;
  timeIndex = new TimeIndex();
  /** Set when a failed write may have left bytes past sizeBytes that could not be truncated yet. */
  private tailDirty = false;
  private bytesSinceIndexEntry = 0;
  /** The batch positionOf found last, so the read that follows needs no second header read. */
  private located = { position: -1, batchBytes: 0 };
  /** Set once deleted or replaced; readers holding the object must re-resolve. */
  closed = false;

  private constructor(
    private readonly fsys: LogFs,
    readonly dir: string,
    readonly baseOffset: bigint,
    private fd: number,
    private readonly options: SegmentOptions,
    nowMs: number,
  ) {
    this.nextOffset = baseOffset;
    this.createdAtMs = nowMs;
    this.offsetIndex = new OffsetIndex(Math.floor(options.segmentIndexBytesMax / OFFSET_INDEX_ENTRY_BYTES));
  }

  path(suffix: string): string {
    return `${this.dir}/${segmentFileName(this.baseOffset, suffix)}`;
  }

  /** Creates a new empty segment (an existing file of that name, e.g. a leftover, is emptied). */
  static create(
    fsys: LogFs,
    dir: string,
    baseOffset: bigint,
    options: SegmentOptions,
    nowMs: number,
  ): Segment {
    const fd = fsys.open(`${dir}/${segmentFileName(baseOffset, '.log')}`, 'w+');
    return new Segment(fsys, dir, baseOffset, fd, options, nowMs);
  }

  /**
   * Opens an existing segment file. `recover`: rescan every batch (CRC included), truncate at the first
   * invalid one and rebuild both indexes. Otherwise trust the file, load the indexes when they are sane
   * (rebuild them when not) and scan only the tail after the last index entry.
   */
  static open(
    fsys: LogFs,
    dir: string,
    baseOffset: bigint,
    options: SegmentOptions,
    recover: boolean,
    nowMs: number,
    suffix = '.log',
  ): { segment: Segment; scan: ScanResult } {
    const fd = fsys.open(`${dir}/${segmentFileName(baseOffset, suffix)}`, 'r+');
    const segment = new Segment(fsys, dir, baseOffset, fd, options, nowMs);
    segment.sizeBytes = fsys.fileSize(fd);
    let scan: ScanResult = { validBytes: segment.sizeBytes, stopReason: undefined };
    if (recover || !segment.loadIndexes()) {
      scan = segment.rebuild(recover);
    }
    return { segment, scan };
  }

  /** Loads index files and scans the tail; false when they are missing or inconsistent. */
  private loadIndexes(): boolean {
    const maxEntries = this.offsetIndex.maxEntries;
    const indexBytes = this.fsys.sizeOf(this.path('.index'));
    const timeBytes = this.fsys.sizeOf(this.path('.timeindex'));
    if (indexBytes < 0 || timeBytes < 0) return this.sizeBytes === 0;
    const offsetIndex = OffsetIndex.parse(
      this.fsys.readFile(this.path('.index')),
      this.sizeBytes,
      maxEntries,
    );
    if (offsetIndex === undefined) return false;
    const timeIndex = TimeIndex.parse(this.fsys.readFile(this.path('.timeindex')), 0x7fffffff);
    if (timeIndex === undefined) return false;
    const tailStart = offsetIndex.size === 0 ? 0 : offsetIndex.positionAt(offsetIndex.size - 1);
    this.offsetIndex = offsetIndex;
    this.timeIndex = timeIndex;
    if (timeIndex.size > 0) {
      this.maxTimestampMs = timeIndex.lastTimestamp();
      this.offsetOfMaxTimestamp = timeIndex.relativeOffsetAt(timeIndex.size - 1);
    }
    this.scanFrom(0, false, (summary) => {
      this.rollingBaseTimestampMs = summary.maxTimestampMs;
      return false;
    });
    const tail = this.scanFrom(tailStart, false, (summary) => this.noteBatch(summary));
    if (tail.stopReason !== undefined) return false;
    this.bytesSinceIndexEntry = this.sizeBytes - tailStart;
    return true;
  }

  /** Rescans the whole file, rebuilding indexes; with `validate`, truncates at the first invalid batch. */
  private rebuild(validate: boolean): ScanResult {
    this.located = { position: -1, batchBytes: 0 };
    this.offsetIndex = new OffsetIndex(this.offsetIndex.maxEntries);
    this.timeIndex = new TimeIndex();
    this.nextOffset = this.baseOffset;
    this.maxTimestampMs = -1;
    this.offsetOfMaxTimestamp = 0;
    this.bytesSinceIndexEntry = 0;
    let first = true;
    const scan = this.scanFrom(0, validate, (summary, position) => {
      if (first) this.rollingBaseTimestampMs = summary.maxTimestampMs;
      first = false;
      this.indexBatch(summary, position);
    });
    if (scan.validBytes < this.sizeBytes) {
      this.fsys.ftruncate(this.fd, scan.validBytes);
      this.sizeBytes = scan.validBytes;
    }
    return scan;
  }

  private noteBatch(summary: BatchSummary): void {
    const lastOffset = summary.baseOffset + BigInt(summary.lastOffsetDelta);
    this.nextOffset = lastOffset + 1n;
    if (summary.maxTimestampMs > this.maxTimestampMs) {
      this.maxTimestampMs = summary.maxTimestampMs;
      this.offsetOfMaxTimestamp = Number(lastOffset - this.baseOffset);
    }
  }

  /** Kafka's append bookkeeping: index entry before the batch once the interval is crossed. */
  private indexBatch(summary: BatchSummary, position: number): void {
    this.noteBatch(summary);
    if (this.bytesSinceIndexEntry > this.options.indexIntervalBytes) {
      this.offsetIndex.append(Number(this.nextOffset - 1n - this.baseOffset), position);
      this.timeIndex.maybeAppend(this.maxTimestampMs, this.offsetOfMaxTimestamp);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += summary.sizeBytes;
  }

  /**
   * Walks batches from `start` to the logical end in large chunks. `validate` checks CRC and offset order
   * (recovery); otherwise only lengths are read. Stops at the first invalid batch.
   */
  scanFrom(
    start: number,
    validate: boolean,
    onBatch: (summary: BatchSummary, position: number) => unknown,
  ): ScanResult {
    let chunk = new Uint8Array(Math.min(SCAN_CHUNK_BYTES, Math.max(this.sizeBytes - start, 64)));
    let chunkStart = start;
    let chunkLength = 0;
    const load = (position: number, need: number): void => {
      if (need > chunk.length) chunk = new Uint8Array(need);
      chunkStart = position;
      chunkLength = readFully(
        this.fsys,
        this.fd,
        chunk,
        0,
        Math.min(chunk.length, this.sizeBytes - position),
        position,
      );
    };
    let position = start;
    let expectedMinOffset = this.baseOffset;
    while (position < this.sizeBytes) {
      const remaining = this.sizeBytes - position;
      if (remaining < BATCH_HEADER_BYTES)
        return { validBytes: position, stopReason: `truncated header: ${remaining} bytes` };
      if (chunkStart + chunkLength - position < BATCH_HEADER_BYTES) load(position, BATCH_HEADER_BYTES);
      if (chunkStart + chunkLength - position < BATCH_HEADER_BYTES)
        return { validBytes: position, stopReason: 'short read' };
      const batchBytes = batchSizeAt(chunk, position - chunkStart);
      if (batchBytes < BATCH_HEADER_BYTES || batchBytes > remaining) {
        return {
          validBytes: position,
          stopReason: `impossible batch size ${batchBytes} (${remaining} bytes left)`,
        };
      }
      if (chunkStart + chunkLength - position < batchBytes) load(position, batchBytes);
      if (chunkStart + chunkLength - position < batchBytes)
        return { validBytes: position, stopReason: 'short read' };
      const at = position - chunkStart;
      const summary = validate ? checkBatchAt(chunk, at, batchBytes) : summarize(chunk, at, batchBytes);
      if (typeof summary === 'string') return { validBytes: position, stopReason: summary };
      if (validate && summary.baseOffset < expectedMinOffset) {
        return { validBytes: position, stopReason: `offset ${summary.baseOffset} goes backwards` };
      }
      // baseOffset is not CRC-covered: a garbage one shows as an offset the index could not express.
      if (validate && summary.baseOffset + BigInt(summary.lastOffsetDelta) - this.baseOffset > 0x7fffffffn) {
        return {
          validBytes: position,
          stopReason: `offset ${summary.baseOffset} is beyond the segment's range`,
        };
      }
      expectedMinOffset = summary.baseOffset + BigInt(summary.lastOffsetDelta) + 1n;
      if (onBatch(summary, position) === false) return { validBytes: position, stopReason: undefined };
      position += batchBytes;
    }
    return { validBytes: position, stopReason: undefined };
  }

  /**
   * Appends validated batches (already carrying their final offsets) at the logical end in one write. On
   * any error the file is truncated back so none of them is there, and the error is rethrown.
   */
  appendAll(records: Uint8Array, summaries: readonly BatchSummary[]): void {
    if (this.tailDirty) this.cutTail();
    const start = this.sizeBytes;
    try {
      writeFully(this.fsys, this.fd, records, 0, records.length, start);
    } catch (error) {
      this.rollback(start);
      throw error;
    }
    if (start === 0 && summaries[0]!.maxTimestampMs >= 0)
      this.rollingBaseTimestampMs = summaries[0]!.maxTimestampMs;
    let position = start;
    for (const summary of summaries) {
      this.indexBatch(summary, position);
      position += summary.sizeBytes;
    }
    this.sizeBytes = position;
  }

  /** The in-memory state an append changes, so a failed fsync can take the append back. */
  snapshot(): SegmentSnapshot {
    return {
      sizeBytes: this.sizeBytes,
      nextOffset: this.nextOffset,
      maxTimestampMs: this.maxTimestampMs,
      offsetOfMaxTimestamp: this.offsetOfMaxTimestamp,
      bytesSinceIndexEntry: this.bytesSinceIndexEntry,
      rollingBaseTimestampMs: this.rollingBaseTimestampMs,
    };
  }

  /** Takes back everything appended since `snapshot` (file, indexes, counters). */
  restore(snapshot: SegmentSnapshot): void {
    this.offsetIndex.truncateToPosition(snapshot.sizeBytes);
    this.timeIndex.truncateToRelativeOffset(Number(snapshot.nextOffset - this.baseOffset));
    this.nextOffset = snapshot.nextOffset;
    this.maxTimestampMs = snapshot.maxTimestampMs;
    this.offsetOfMaxTimestamp = snapshot.offsetOfMaxTimestamp;
    this.bytesSinceIndexEntry = snapshot.bytesSinceIndexEntry;
    this.rollingBaseTimestampMs = snapshot.rollingBaseTimestampMs;
    this.rollback(snapshot.sizeBytes);
  }

  /** Undoes bytes written past `position` (a failed write, or a batch whose fsync failed). */
  rollback(position: number): void {
    this.located = { position: -1, batchBytes: 0 };
    this.sizeBytes = Math.min(this.sizeBytes, position);
    this.tailDirty = true;
    try {
      this.cutTail();
    } catch {
      // Keep tailDirty: the next append retries the truncation before writing, and reads stop at sizeBytes.
    }
  }

  /** Truncates the file to the logical size (drops a torn tail). */
  private cutTail(): void {
    this.fsys.ftruncate(this.fd, this.sizeBytes);
    this.tailDirty = false;
  }

  /** Drops the batch holding `offset` and every later one. */
  truncateToOffset(offset: bigint): void {
    let cut = -1;
    this.scanFrom(0, false, (summary, position) => {
      if (summary.baseOffset + BigInt(summary.lastOffsetDelta) >= offset) {
        cut = position;
        return false;
      }
      return true;
    });
    if (cut < 0) return;
    this.sizeBytes = cut;
    this.cutTail();
    this.rebuild(false);
  }

  fdatasync(): void {
    this.fsys.fdatasync(this.fd);
  }

  /** Writes index files (on roll and close); fdatasync them and the log when `sync`. */
  persistIndexes(sync: boolean): void {
    for (const [suffix, index] of [
      ['.index', this.offsetIndex],
      ['.timeindex', this.timeIndex],
    ] as const) {
      const fd = this.fsys.open(this.path(suffix), this.fsys.exists(this.path(suffix)) ? 'r+' : 'w+');
      try {
        index.persist(this.fsys, fd);
        if (sync) this.fsys.fdatasync(fd);
      } finally {
        this.fsys.close(fd);
      }
    }
  }

  /** Reads `length` bytes at `position` (clamped to the logical end), into `into` when it is big enough. */
  read(position: number, length: number, into?: Uint8Array): Uint8Array {
    const n = Math.max(0, Math.min(length, this.sizeBytes - position));
    const out = into !== undefined && into.length >= n ? into : Buffer.allocUnsafe(n);
    const got = readFully(this.fsys, this.fd, out, 0, n, position);
    return got === out.length ? out : out.subarray(0, got);
  }

  /**
   * Byte position of the first batch whose last offset is >= `offset`, or -1 when every batch ends
   * before it. Starts from the offset index and walks batch headers.
   */
  positionOf(offset: bigint): number {
    if (offset >= this.nextOffset) return -1;
    const relative = offset - this.baseOffset;
    let position = relative <= 0n ? 0 : this.offsetIndex.lookup(Number(relative) - 1);
    const header = Buffer.allocUnsafe(27);
    while (position < this.sizeBytes) {
      if (readFully(this.fsys, this.fd, header, 0, 27, position) < 27) return -1;
      const lastOffset = header.readBigInt64BE(0) + BigInt(header.readInt32BE(23));
      if (lastOffset >= offset) {
        this.located = { position, batchBytes: header.readInt32BE(8) + BATCH_LOG_OVERHEAD_BYTES };
        return position;
      }
      position += header.readInt32BE(8) + BATCH_LOG_OVERHEAD_BYTES;
    }
    return -1;
  }

  /** Size of the batch at `position` (a batch start), from its 12-byte log overhead; 0 past the end. */
  batchSizeAt(position: number): number {
    if (this.located.position === position) return this.located.batchBytes;
    const head = Buffer.allocUnsafe(BATCH_LOG_OVERHEAD_BYTES);
    if (readFully(this.fsys, this.fd, head, 0, BATCH_LOG_OVERHEAD_BYTES, position) < BATCH_LOG_OVERHEAD_BYTES)
      return 0;
    return head.readInt32BE(8) + BATCH_LOG_OVERHEAD_BYTES;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fsys.close(this.fd);
  }

  /** Closes and renames every file of the segment to `<name><suffix>.deleted`; returns the new paths. */
  markDeleted(): string[] {
    this.close();
    const renamed: string[] = [];
    for (const suffix of ['.log', '.index', '.timeindex']) {
      const from = this.path(suffix);
      if (!this.fsys.exists(from)) continue;
      this.fsys.rename(from, `${from}.deleted`);
      renamed.push(`${from}.deleted`);
    }
    return renamed;
  }
}
