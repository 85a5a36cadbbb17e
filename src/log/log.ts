/**
 * Log: one partition's segmented commit log in Kafka's on-disk layout (`<topic>-<partition>/`, segments
 * `<20-digit base offset>.log|.index|.timeindex`, `leader-epoch-checkpoint`). See README.md for the
 * durability contract, recovery and the background-work model.
 *
 * Append: validates every batch header and CRC (corrupt → LogError KT_LOG_CORRUPT_BATCH, nothing
 * written), enforces `maxBatchBytes`, patches baseOffset / partitionLeaderEpoch in the header (not
 * CRC-covered) and writes the bytes as received with one synchronous pwrite on the caller's thread. The
 * caller's buffer is modified in place (its header gets the assigned offset); it is written before
 * append returns, so the caller may reuse it afterwards.
 *
 * Read: `read(offset, maxBytes)` returns whole batches as one buffer, ready to send.
 *
 * Invariants: segments sorted by base offset, the last is active; logStartOffset <= highWatermark <=
 * logEndOffset; recoveryPoint <= logEndOffset and everything below it was fdatasync'ed.
 *
 * Thread-safety: all methods are synchronous and must run on the owner's thread. Background retention
 * and compaction (retention.ts, compaction.ts) interleave between calls, never inside one.
 */
import {
  setBatchBaseOffset,
  setBatchLogAppendTime,
  setBatchPartitionLeaderEpoch,
} from '../protocol/batch-header.js';
import type { BatchSummary } from './batch-check.js';
import { validateForAppend } from './batch-check.js';
import type { LogConfig } from './config.js';
import { logConfig } from './config.js';
import { LogError } from './errors.js';
import type { LogFs } from './fs.js';
import { fsyncDirectory, nodeFs } from './fs.js';
import { LeaderEpochCache } from './leader-epoch.js';
import { clamp, findInSegment, readWholeBatches } from './read-path.js';
import type { RecoveryReport } from './recovery.js';
import { recoverSegments } from './recovery.js';
import { Segment } from './segment.js';

export interface LogOptions {
  /** The partition directory, `<logDir>/<topic>-<partition>`; created when missing. */
  dir: string;
  config?: Partial<LogConfig>;
  fs?: LogFs;
  /** From recovery-point-offset-checkpoint; segments from the one holding it are rescanned (default 0). */
  recoveryPoint?: bigint;
  /** From log-start-offset-checkpoint (default: the first segment's base offset). */
  logStartOffset?: bigint;
  /** From replication-offset-checkpoint (default: the log end, as for a single replica). */
  highWatermark?: bigint;
  /** The log directory had a clean-shutdown marker: trust files, skip the rescan. */
  cleanShutdown?: boolean;
  /** Clock for roll/flush/retention decisions (default Date.now). */
  nowMs?: () => number;
}

export interface AppendOptions {
  /** Patch this partitionLeaderEpoch into every batch (a leader's append); default: keep the stored one. */
  leaderEpoch?: number;
  /** false for a follower/replica append: keep the batches' offsets, which must continue the log. */
  assignOffsets?: boolean;
}

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** LogAppendTime stamped on the batches, or -1n under CreateTime. */
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  recordCount: number;
}

export interface ReadResult {
  /** Whole batches, concatenated; empty when nothing is readable at `offset`. */
  records: Uint8Array;
  logStartOffset: bigint;
  logEndOffset: bigint;
  highWatermark: bigint;
}

export class Log {
  readonly config: LogConfig;
  readonly dir: string;
  readonly fs: LogFs;
  readonly epochs: LeaderEpochCache;
  /** Sorted by base offset; the last one is active. Replaced wholesale (copy-on-write) by cleanup. */
  segments: Segment[];
  logStartOffset: bigint;
  highWatermark: bigint;
  /** Offsets below this are on disk (fdatasync'ed). */
  recoveryPoint: bigint;
  readonly recovery: RecoveryReport;
  /** Offsets below this have been compacted (cleaner-offset-checkpoint); the rest is "dirty". */
  cleanerCheckpoint = 0n;
  private readonly now: () => number;
  private unflushedMessages = 0;
  private firstUnflushedAtMs = -1;
  /** A periodic flush failed: data after recoveryPoint may be lost on a machine crash; never advance it. */
  private recoveryPointPinned = false;
  private closed = false;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Errors of background flushes (flush.ms timer), which have no caller to throw to. */
  onBackgroundError: (error: LogError) => void = () => {};

  private constructor(
    options: LogOptions,
    config: LogConfig,
    fsys: LogFs,
    segments: Segment[],
    report: RecoveryReport,
  ) {
    this.config = config;
    this.dir = options.dir;
    this.fs = fsys;
    this.now = options.nowMs ?? Date.now;
    this.segments = segments;
    this.recovery = report;
    this.epochs = LeaderEpochCache.load(fsys, options.dir);
    const first = segments[0]!.baseOffset;
    const start = options.logStartOffset ?? first;
    this.logStartOffset = clamp(start, first, this.logEndOffset);
    const hw = options.highWatermark ?? this.logEndOffset;
    this.highWatermark = clamp(hw, this.logStartOffset, this.logEndOffset);
    // Everything loaded is durable: a clean shutdown fsynced it, and recovery fsyncs what it rescanned.
    this.recoveryPoint = this.logEndOffset;
    this.epochs.truncateFromEnd(this.logEndOffset);
  }

  /** Opens (recovering if needed) or creates the log in `options.dir`. */
  static open(options: LogOptions): Log {
    const fsys = options.fs ?? nodeFs;
    const config = logConfig(options.config);
    fsys.mkdirp(options.dir);
    const { segments, report } = recoverSegments(fsys, options.dir, config, {
      recoveryPoint: options.recoveryPoint ?? 0n,
      cleanShutdown: options.cleanShutdown ?? false,
      nowMs: (options.nowMs ?? Date.now)(),
    });
    return new Log(options, config, fsys, segments, report);
  }

  get activeSegment(): Segment {
    return this.segments[this.segments.length - 1]!;
  }
  get logEndOffset(): bigint {
    return this.activeSegment.nextOffset;
  }
  get sizeBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.sizeBytes;
    return total;
  }

  /**
   * Appends one or more concatenated batches. Synchronous: when it returns, the bytes are in the OS page
   * cache (and on disk if the flush policy fsynced). On error nothing of this call is in the log.
   */
  append(records: Uint8Array, options: AppendOptions = {}): AppendResult {
    this.ensureOpen();
    const summaries = validateForAppend(records, this.config.maxBatchBytes, options.assignOffsets !== false);
    const firstOffset = options.assignOffsets === false ? summaries[0]!.baseOffset : this.logEndOffset;
    if (firstOffset < this.logEndOffset) {
      throw new LogError(
        'KT_LOG_CORRUPT_BATCH',
        `batch offset ${firstOffset} is below log end ${this.logEndOffset}`,
      );
    }
    let logAppendTimeMs = -1n;
    // A follower keeps the leader's timestamps; only the leader stamps LogAppendTime.
    if (this.config.messageTimestampType === 'LogAppendTime' && options.assignOffsets !== false) {
      logAppendTimeMs = BigInt(this.now());
    }
    let next = firstOffset;
    let position = 0;
    let recordCount = 0;
    for (const summary of summaries) {
      const batch = records.subarray(position, position + summary.sizeBytes);
      if (options.assignOffsets !== false) {
        setBatchBaseOffset(batch, next);
        summary.baseOffset = next;
      } else if (summary.baseOffset < next) {
        throw new LogError('KT_LOG_CORRUPT_BATCH', `batch offsets go backwards at ${summary.baseOffset}`);
      }
      if (options.leaderEpoch !== undefined) {
        setBatchPartitionLeaderEpoch(batch, options.leaderEpoch);
        summary.partitionLeaderEpoch = options.leaderEpoch;
      }
      if (logAppendTimeMs >= 0n) {
        setBatchLogAppendTime(batch, logAppendTimeMs);
        summary.maxTimestampMs = Number(logAppendTimeMs);
      }
      next = summary.baseOffset + BigInt(summary.lastOffsetDelta) + 1n;
      position += summary.sizeBytes;
      recordCount += summary.recordCount;
    }
    this.maybeRoll(records.length, summaries[0]!, firstOffset);
    const segment = this.activeSegment;
    const before = segment.snapshot();
    try {
      segment.appendAll(records, summaries);
    } catch (error) {
      throw new LogError('KT_LOG_IO', `append to ${segment.path('.log')} failed`, { cause: error });
    }
    this.noteAppended(recordCount);
    try {
      this.maybeFlushAfterAppend();
    } catch (error) {
      // The batch's fsync failed: take it back so an unacknowledged batch never becomes visible.
      segment.restore(before);
      this.recoveryPointPinned = this.recoveryPoint < before.nextOffset;
      throw new LogError('KT_LOG_IO', 'fsync after append failed; the append was rolled back', {
        cause: error,
      });
    }
    for (const summary of summaries) this.epochs.assign(summary.partitionLeaderEpoch, summary.baseOffset);
    return {
      baseOffset: firstOffset,
      lastOffset: next - 1n,
      logAppendTimeMs,
      logStartOffset: this.logStartOffset,
      recordCount,
    };
  }

  private noteAppended(recordCount: number): void {
    if (this.unflushedMessages === 0) this.firstUnflushedAtMs = this.now();
    this.unflushedMessages += recordCount;
  }

  private maybeFlushAfterAppend(): void {
    const byTime = this.config.flushIntervalMs !== Number.POSITIVE_INFINITY;
    const due =
      this.unflushedMessages >= this.config.flushMessagesInterval ||
      (byTime && this.now() - this.firstUnflushedAtMs >= this.config.flushIntervalMs);
    if (due) this.flushActive();
  }

  /** fdatasync the active segment and advance the recovery point; throws what the fs throws. */
  private flushActive(): void {
    this.activeSegment.fdatasync();
    this.unflushedMessages = 0;
    this.firstUnflushedAtMs = -1;
    if (!this.recoveryPointPinned) this.recoveryPoint = this.logEndOffset;
  }

  /** Flushes everything written so far (Kafka's log.flush()). Throws LogError KT_LOG_IO on failure. */
  flush(): void {
    this.ensureOpen();
    try {
      this.flushActive();
    } catch (error) {
      this.recoveryPointPinned = true;
      throw new LogError('KT_LOG_IO', 'flush failed', { cause: error });
    }
  }

  /** Flushes when flush.ms says so; call from a timer (see startFlushTimer). */
  maybeFlush(): void {
    if (this.closed || this.unflushedMessages === 0) return;
    if (this.now() - this.firstUnflushedAtMs >= this.config.flushIntervalMs) this.flush();
  }

  /** Runs maybeFlush every `periodMs` (Kafka's log.flush.scheduler.interval.ms); errors → onBackgroundError. */
  startFlushTimer(periodMs: number): void {
    this.flushTimer ??= setInterval(() => {
      try {
        this.maybeFlush();
      } catch (error) {
        this.onBackgroundError(error as LogError);
      }
    }, periodMs);
    this.flushTimer.unref();
  }

  private maybeRoll(incomingBytes: number, first: BatchSummary, firstOffset: bigint): void {
    const active = this.activeSegment;
    if (active.sizeBytes === 0) return;
    const lastOffset = firstOffset + BigInt(first.lastOffsetDelta);
    const full = active.sizeBytes + incomingBytes > this.config.segmentBytesMax;
    // Kafka's timeWaitedForRoll: measured in record time when the segment has a timestamped batch.
    const base = active.rollingBaseTimestampMs;
    const waitedMs = base >= 0 ? first.maxTimestampMs - base : this.now() - active.createdAtMs;
    const old = waitedMs >= this.config.segmentMs;
    const relativeOverflow = lastOffset - active.baseOffset > 0x7fffffffn;
    if (full || old || active.offsetIndex.isFull || relativeOverflow) this.roll();
  }

  /** Closes the active segment (indexes written, data fsynced) and starts a new one at the log end. */
  roll(): Segment {
    this.ensureOpen();
    const active = this.activeSegment;
    if (active.sizeBytes === 0) return active;
    let next: Segment | undefined;
    try {
      active.fdatasync();
      active.persistIndexes(true);
      next = Segment.create(this.fs, this.dir, this.logEndOffset, this.config, this.now());
      fsyncDirectory(this.fs, this.dir);
      this.segments = [...this.segments, next];
    } catch (error) {
      // The next attempt recreates (empties) the file; do not leak this one's descriptor.
      if (next !== undefined && !this.segments.includes(next)) next.close();
      throw new LogError('KT_LOG_IO', `rolling ${active.path('.log')} failed`, { cause: error });
    }
    if (!this.recoveryPointPinned && this.recoveryPoint < active.nextOffset)
      this.recoveryPoint = active.nextOffset;
    return this.activeSegment;
  }

  /**
   * Reads whole batches from `offset`: up to `maxBytes`, but at least one whole batch when one is there
   * (KIP-74), stopping before any batch that ends at or past `maxOffset` (default: the log end; pass the
   * high watermark for consumers). With `scratch` (big enough), the bytes are read into it and the result
   * is a view of it, valid until the caller reuses `scratch`; this avoids a fresh buffer per fetch.
   */
  read(
    offset: bigint,
    maxBytes: number,
    maxOffset: bigint = this.logEndOffset,
    scratch?: Uint8Array,
  ): ReadResult {
    this.ensureOpen();
    const result = (records: Uint8Array): ReadResult => ({
      records,
      logStartOffset: this.logStartOffset,
      logEndOffset: this.logEndOffset,
      highWatermark: this.highWatermark,
    });
    if (offset < this.logStartOffset || offset > this.logEndOffset) {
      throw new LogError(
        'KT_LOG_OFFSET_OUT_OF_RANGE',
        `offset ${offset} outside [${this.logStartOffset}, ${this.logEndOffset}]`,
      );
    }
    const segments = this.segments;
    for (let i = this.segmentIndexFor(offset); i < segments.length; i++) {
      const segment = segments[i]!;
      const target = offset > segment.baseOffset ? offset : segment.baseOffset;
      if (target >= maxOffset) break;
      const position = segment.positionOf(target);
      if (position < 0) continue;
      return result(readWholeBatches(segment, position, maxBytes, maxOffset, scratch));
    }
    return result(new Uint8Array(0));
  }

  /** Index of the segment that may hold `offset`: the last with baseOffset <= offset (0 if none). */
  segmentIndexFor(offset: bigint): number {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * ListOffsets by timestamp: the first offset (>= log start) whose record timestamp is >= `timestampMs`,
   * with that timestamp; undefined when every record is older. Decodes the one batch that matches.
   */
  offsetForTimestamp(timestampMs: bigint): { offset: bigint; timestampMs: bigint } | undefined {
    this.ensureOpen();
    const target = Number(timestampMs);
    for (const segment of this.segments) {
      if (segment.maxTimestampMs < target || segment.nextOffset <= this.logStartOffset) continue;
      const found = findInSegment(segment, target, this.logStartOffset);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The high watermark is set by the replication layer (or = log end for a single replica). */
  setHighWatermark(offset: bigint): void {
    this.highWatermark = clamp(offset, this.logStartOffset, this.logEndOffset);
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (<= high watermark). Reads below it fail
   * with KT_LOG_OFFSET_OUT_OF_RANGE at once; whole segments below it are deleted by the next
   * retention pass.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    this.ensureOpen();
    if (offset > this.highWatermark || offset < 0n) {
      throw new LogError(
        'KT_LOG_OFFSET_OUT_OF_RANGE',
        `cannot delete before ${offset}: high watermark is ${this.highWatermark}`,
      );
    }
    if (offset > this.logStartOffset) {
      this.logStartOffset = offset;
      this.epochs.truncateFromStart(offset);
    }
    return this.logStartOffset;
  }

  /**
   * Follower truncation: drops the batch holding `offset` and everything after it (Kafka truncates at batch
   * granularity; a leader's epoch ends on a batch boundary). Returns the new log end offset, which is
   * <= `offset`. Should that fall below the log start, the log is emptied and restarts at the log start.
   */
  truncateTo(offset: bigint): bigint {
    this.ensureOpen();
    if (offset >= this.logEndOffset) return this.logEndOffset;
    if (offset < this.logStartOffset) offset = this.logStartOffset;
    const keep = this.segments.filter((s, i) => i === 0 || s.baseOffset < offset);
    for (const dropped of this.segments.slice(keep.length)) {
      for (const path of dropped.markDeleted()) this.fs.unlink(path);
    }
    this.segments = keep;
    this.activeSegment.truncateToOffset(offset);
    if (this.logEndOffset < this.logStartOffset) this.restartAt(this.logStartOffset);
    const end = this.logEndOffset;
    this.epochs.truncateFromEnd(end);
    if (this.recoveryPoint > end) this.recoveryPoint = end;
    if (this.highWatermark > end) this.highWatermark = end;
    this.unflushedMessages = 0;
    return end;
  }

  /** Deletes every segment and starts an empty one at `offset` (Kafka's truncateFullyAndStartAt). */
  private restartAt(offset: bigint): void {
    for (const segment of this.segments) {
      for (const path of segment.markDeleted()) this.fs.unlink(path);
    }
    this.segments = [Segment.create(this.fs, this.dir, offset, this.config, this.now())];
    fsyncDirectory(this.fs, this.dir);
  }

  /** Flushes, writes indexes and closes every file. Afterwards every call throws KT_LOG_CLOSED. */
  close(): void {
    if (this.closed) return;
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    try {
      this.activeSegment.fdatasync();
      for (const segment of this.segments) segment.persistIndexes(segment === this.activeSegment);
      if (!this.recoveryPointPinned) this.recoveryPoint = this.logEndOffset;
    } finally {
      this.closed = true;
      for (const segment of this.segments) segment.close();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  nowMs(): number {
    return this.now();
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogError('KT_LOG_CLOSED', `log ${this.dir} is closed`);
  }
}
