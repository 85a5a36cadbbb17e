/**
 * Retention (cleanup.policy=delete or compact,delete): deletes whole segments, oldest first (Kafka's
 * UnifiedLog.deleteOldSegments), when
 *  - the whole segment lies below the log start offset (DeleteRecords moved it), or
 *  - retention.ms >= 0 and the segment's largest timestamp (creation time if it has none) is older, or
 *  - retention.bytes >= 0 and the log is larger, while dropping the segment keeps it >= the limit.
 * Only segments that end at or below the high watermark are eligible. The active segment is rolled and
 * deleted too when everything before it goes and its newest record is past retention.ms (as in Kafka).
 *
 * Not blocking: deciding is O(segments) and the removal is one copy-on-write swap of the segment list plus
 * renames to `.deleted`; the unlinks happen file.delete.delay.ms later on a timer. Reads never see a
 * half-deleted segment: a read resolves its segment and finishes within one synchronous call.
 */
import { LogError } from './errors.js';
import type { Log } from './log.js';
import type { Segment } from './segment.js';

export interface RetentionReport {
  deletedBaseOffsets: bigint[];
  logStartOffset: bigint;
  /** Resolves once the deleted files are unlinked (after fileDeleteDelayMs). */
  filesRemoved: Promise<void>;
}

export function applyRetention(log: Log, nowMs: number = log.nowMs()): RetentionReport {
  const config = log.config;
  const deleteByPolicy = config.cleanupPolicy.includes('delete');
  const candidates = log.segments.slice(0, -1);
  let excessBytes = config.retentionBytes >= 0 ? log.sizeBytes - config.retentionBytes : 0;
  const doomed: Segment[] = [];
  for (const segment of candidates) {
    if (segment.nextOffset > log.highWatermark) break;
    const belowStart = segment.nextOffset <= log.logStartOffset;
    const timestampMs = segment.maxTimestampMs >= 0 ? segment.maxTimestampMs : segment.createdAtMs;
    const expired = deleteByPolicy && config.retentionMs >= 0 && nowMs - timestampMs > config.retentionMs;
    const oversize = deleteByPolicy && excessBytes >= segment.sizeBytes && segment.sizeBytes > 0;
    if (!belowStart && !expired && !oversize) break;
    doomed.push(segment);
    excessBytes -= segment.sizeBytes;
  }
  // Kafka also expires the active segment: roll it first so the log keeps an (empty) active segment.
  const active = log.activeSegment;
  const activeTimestampMs = active.maxTimestampMs >= 0 ? active.maxTimestampMs : active.createdAtMs;
  if (
    doomed.length === candidates.length &&
    deleteByPolicy &&
    config.retentionMs >= 0 &&
    active.sizeBytes > 0 &&
    active.nextOffset <= log.highWatermark &&
    nowMs - activeTimestampMs > config.retentionMs
  ) {
    log.roll();
    doomed.push(active);
  }
  return deleteSegments(log, doomed);
}

function deleteSegments(log: Log, doomed: readonly Segment[]): RetentionReport {
  if (doomed.length === 0) {
    return { deletedBaseOffsets: [], logStartOffset: log.logStartOffset, filesRemoved: Promise.resolve() };
  }
  const gone = new Set(doomed);
  log.segments = log.segments.filter((s) => !gone.has(s));
  const newStart = log.segments[0]!.baseOffset;
  if (newStart > log.logStartOffset) {
    log.logStartOffset = newStart;
    log.epochs.truncateFromStart(newStart);
  }
  const renamed: string[] = [];
  try {
    for (const segment of doomed) renamed.push(...segment.markDeleted());
  } catch (error) {
    throw new LogError('KT_LOG_IO', 'renaming deleted segments failed', { cause: error });
  }
  const filesRemoved = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      for (const path of renamed) {
        try {
          log.fs.unlink(path);
        } catch {
          // Already gone, or the directory was removed; recovery deletes any leftover `.deleted` file.
        }
      }
      resolve();
    }, log.config.fileDeleteDelayMs);
    timer.unref();
  });
  return {
    deletedBaseOffsets: doomed.map((s) => s.baseOffset),
    logStartOffset: log.logStartOffset,
    filesRemoved,
  };
}
