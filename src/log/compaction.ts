/**
 * Log compaction (cleanup.policy=compact or compact,delete), Kafka's LogCleaner reduced to its contract:
 *
 * - Cleanable range: the non-active segments, from the oldest, while each ends at or below
 *   min(high watermark, last stable offset) and its largest timestamp is older than min.compaction.lag.ms.
 *   The active segment is never touched.
 * - Pass 1 builds key → latest offset over the cleanable range. Transactional records count only once
 *   their COMMIT marker is seen; records of aborted transactions (ABORT marker) are dropped in pass 2;
 *   records of transactions still open at the end of the range are kept and do not supersede anything.
 * - Pass 2 rewrites each segment into `<base>.log.cleaned`, keeping a record when it is the latest for its
 *   key (keyless records are kept), dropping superseded ones. A retained tombstone gets a delete horizon
 *   (now + delete.retention.ms, the batch's delete-horizon bit); once that horizon has passed a later
 *   pass drops it. Control batches are kept. A producer's last batch is kept as an empty batch when all its
 *   records go, so idempotent producer state survives. Offsets never change.
 * - Commit: fdatasync the cleaned file, rename to `.log.swap` (the commit point: recovery finishes a swap),
 *   then in one synchronous step retire the old files to `.deleted`, rename the swap to `.log`, and
 *   replace the segment in the log's (copy-on-write) segment list.
 *
 * Not blocking appends or reads: both passes work in slices of `sliceBytes`, yielding to the event loop
 * between slices, and only read segments that are immutable (not active). The swap is a few renames. If
 * retention removed a segment meanwhile, its cleaned copy is discarded.
 *
 * Limits (deliberate): the key map holds every distinct key of the cleanable range in memory; segments are
 * not merged after shrinking (an emptied segment is deleted).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ATTR_CONTROL, ATTR_DELETE_HORIZON, ATTR_TRANSACTIONAL } from '../protocol/batch-header.js';
import type { BatchSummary } from './batch-check.js';
import { LogError } from './errors.js';
import { fsyncDirectory, writeFully } from './fs.js';
import type { Log } from './log.js';
import type { RawRecord } from './record-rewrite.js';
import { rebuildBatch, splitBatch } from './record-rewrite.js';
import { Segment, segmentFileName } from './segment.js';

export interface CompactionOptions {
  /** Default: the log's clock. */
  nowMs?: number;
  /** Transactions at or past this are unresolved; never clean beyond it (default: high watermark). */
  lastStableOffset?: bigint;
  /** Work done between yields to the event loop (default 1 MiB). */
  sliceBytes?: number;
  /** Clean even when the dirty ratio is below min.cleanable.dirty.ratio. */
  force?: boolean;
}

export interface CompactionReport {
  cleanedSegments: number;
  removedRecords: number;
  removedTombstones: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Why nothing was done, when nothing was. */
  skipped?: string;
}

interface Plan {
  latest: Map<string, bigint>;
  aborted: Map<bigint, { from: bigint; to: bigint }[]>;
  openTxnFrom: Map<bigint, bigint>;
  lastBatchOfProducer: Map<bigint, bigint>;
}

const keyOf = (key: Uint8Array): string =>
  Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');

export async function compactLog(log: Log, options: CompactionOptions = {}): Promise<CompactionReport> {
  const report: CompactionReport = {
    cleanedSegments: 0,
    removedRecords: 0,
    removedTombstones: 0,
    bytesBefore: 0,
    bytesAfter: 0,
  };
  if (!log.config.cleanupPolicy.includes('compact'))
    return { ...report, skipped: 'cleanup.policy has no compact' };
  const nowMs = options.nowMs ?? log.nowMs();
  const sliceBytes = options.sliceBytes ?? 1024 * 1024;
  const cleanable = cleanableSegments(log, nowMs, options.lastStableOffset ?? log.highWatermark);
  if (cleanable.length === 0) return { ...report, skipped: 'no cleanable segments' };
  const total = cleanable.reduce((n, s) => n + s.sizeBytes, 0);
  const dirty = cleanable
    .filter((s) => s.nextOffset > log.cleanerCheckpoint)
    .reduce((n, s) => n + s.sizeBytes, 0);
  if (!options.force && (total === 0 || dirty / total < log.config.minCleanableDirtyRatio)) {
    return { ...report, skipped: `dirty ratio ${(dirty / Math.max(total, 1)).toFixed(2)} below threshold` };
  }
  const plan = await buildPlan(cleanable, sliceBytes);
  for (const segment of cleanable) {
    if (log.isClosed) break;
    await cleanSegment(log, segment, plan, nowMs, sliceBytes, report);
  }
  log.cleanerCheckpoint = cleanable[cleanable.length - 1]!.nextOffset;
  return report;
}

function cleanableSegments(log: Log, nowMs: number, lastStableOffset: bigint): Segment[] {
  const limit = lastStableOffset < log.highWatermark ? lastStableOffset : log.highWatermark;
  const out: Segment[] = [];
  for (const segment of log.segments.slice(0, -1)) {
    if (segment.nextOffset > limit) break;
    if (segment.maxTimestampMs > nowMs - log.config.minCompactionLagMs) break;
    out.push(segment);
  }
  return out;
}

/** Visits every batch of `segment` with its bytes, yielding to the event loop every `sliceBytes`. */
async function forEachBatch(
  segment: Segment,
  sliceBytes: number,
  visit: (summary: BatchSummary, batch: Uint8Array) => void,
): Promise<void> {
  let position = 0;
  while (position < segment.sizeBytes && !segment.closed) {
    let done = 0;
    const scan = segment.scanFrom(position, false, (summary, at) => {
      if (done >= sliceBytes) return false;
      visit(summary, segment.read(at, summary.sizeBytes));
      done += summary.sizeBytes;
      return true;
    });
    if (scan.stopReason !== undefined)
      throw new LogError('KT_LOG_FAILED', `segment ${segment.baseOffset}: ${scan.stopReason}`);
    if (scan.validBytes === position && done === 0) break;
    position = scan.validBytes;
    await yieldToEventLoop();
  }
}

function controlType(batch: Uint8Array): number {
  const key = splitBatch(batch).records[0]?.key;
  return key === null || key === undefined || key.length < 4 ? -1 : (key[2]! << 8) | key[3]!;
}

async function buildPlan(segments: readonly Segment[], sliceBytes: number): Promise<Plan> {
  const plan: Plan = {
    latest: new Map(),
    aborted: new Map(),
    openTxnFrom: new Map(),
    lastBatchOfProducer: new Map(),
  };
  const pending = new Map<bigint, [string, bigint][]>();
  for (const segment of segments) {
    await forEachBatch(segment, sliceBytes, (summary, batch) => {
      const view = new DataView(batch.buffer, batch.byteOffset, 61);
      const producerId = view.getBigInt64(43);
      if ((summary.attributes & ATTR_CONTROL) !== 0) {
        const from = plan.openTxnFrom.get(producerId);
        const updates = pending.get(producerId) ?? [];
        if (controlType(batch) === 1) for (const [k, o] of updates) plan.latest.set(k, o);
        else if (from !== undefined) {
          const ranges = plan.aborted.get(producerId) ?? [];
          ranges.push({ from, to: summary.baseOffset });
          plan.aborted.set(producerId, ranges);
        }
        plan.openTxnFrom.delete(producerId);
        pending.delete(producerId);
        return;
      }
      if (producerId >= 0n) plan.lastBatchOfProducer.set(producerId, summary.baseOffset);
      const transactional = (summary.attributes & ATTR_TRANSACTIONAL) !== 0;
      if (transactional && !plan.openTxnFrom.has(producerId))
        plan.openTxnFrom.set(producerId, summary.baseOffset);
      for (const record of splitBatch(batch).records) {
        if (record.key === null) continue;
        if (transactional) {
          const list = pending.get(producerId) ?? [];
          list.push([keyOf(record.key), record.offset]);
          pending.set(producerId, list);
        } else plan.latest.set(keyOf(record.key), record.offset);
      }
    });
  }
  return plan;
}

function isAborted(plan: Plan, producerId: bigint, offset: bigint): boolean {
  return (plan.aborted.get(producerId) ?? []).some((r) => offset >= r.from && offset <= r.to);
}

/** The batch to write for `batch` after filtering, or undefined to drop it. */
function filterBatch(
  batch: Uint8Array,
  summary: BatchSummary,
  plan: Plan,
  nowMs: number,
  deleteRetentionMs: number,
  report: CompactionReport,
): Uint8Array | undefined {
  if ((summary.attributes & ATTR_CONTROL) !== 0) return batch;
  const producerId = new DataView(batch.buffer, batch.byteOffset, 61).getBigInt64(43);
  const transactional = (summary.attributes & ATTR_TRANSACTIONAL) !== 0;
  const raw = splitBatch(batch);
  const horizonPassed = (summary.attributes & ATTR_DELETE_HORIZON) !== 0 && raw.baseTimestampMs <= nowMs;
  const aborted = transactional && isAborted(plan, producerId, summary.baseOffset);
  const open =
    transactional &&
    !aborted &&
    (plan.openTxnFrom.get(producerId) ?? -1n) >= 0n &&
    summary.baseOffset >= plan.openTxnFrom.get(producerId)!;
  const kept: RawRecord[] = [];
  let tombstones = 0;
  for (const record of raw.records) {
    const keep =
      !aborted &&
      (open ||
        record.key === null ||
        (plan.latest.get(keyOf(record.key)) === record.offset && !(record.isTombstone && horizonPassed)));
    if (keep) {
      kept.push(record);
      if (record.isTombstone) tombstones += 1;
    } else {
      report.removedRecords += 1;
      if (record.isTombstone) report.removedTombstones += 1;
    }
  }
  const needsHorizon = tombstones > 0 && (summary.attributes & ATTR_DELETE_HORIZON) === 0;
  if (kept.length === raw.records.length && !needsHorizon) return batch;
  if (
    kept.length === 0 &&
    !(producerId >= 0n && plan.lastBatchOfProducer.get(producerId) === summary.baseOffset)
  ) {
    return undefined;
  }
  return rebuildBatch(raw, kept, needsHorizon ? nowMs + deleteRetentionMs : undefined);
}

async function cleanSegment(
  log: Log,
  segment: Segment,
  plan: Plan,
  nowMs: number,
  sliceBytes: number,
  report: CompactionReport,
): Promise<void> {
  const cleanedPath = `${log.dir}/${segmentFileName(segment.baseOffset, '.log.cleaned')}`;
  const fd = log.fs.open(cleanedPath, 'w+');
  let written = 0;
  try {
    await forEachBatch(segment, sliceBytes, (summary, batch) => {
      const out = filterBatch(batch, summary, plan, nowMs, log.config.deleteRetentionMs, report);
      if (out === undefined) return;
      writeFully(log.fs, fd, out, 0, out.length, written);
      written += out.length;
    });
    log.fs.fdatasync(fd);
  } finally {
    log.fs.close(fd);
  }
  if (log.isClosed || segment.closed || !log.segments.includes(segment)) {
    log.fs.unlink(cleanedPath);
    return;
  }
  report.bytesBefore += segment.sizeBytes;
  report.bytesAfter += written;
  report.cleanedSegments += 1;
  swapIn(log, segment, cleanedPath, written);
}

/** Replaces `segment` by its cleaned copy in one synchronous step (see the file comment). */
function swapIn(log: Log, segment: Segment, cleanedPath: string, cleanedBytes: number): void {
  const swapPath = `${log.dir}/${segmentFileName(segment.baseOffset, '.log.swap')}`;
  log.fs.rename(cleanedPath, swapPath);
  fsyncDirectory(log.fs, log.dir);
  const retired = segment.markDeleted();
  let replacement: Segment | undefined;
  if (cleanedBytes > 0) {
    log.fs.rename(swapPath, segment.path('.log'));
    replacement = Segment.open(log.fs, log.dir, segment.baseOffset, log.config, false, log.nowMs()).segment;
    replacement.persistIndexes(true);
  } else log.fs.unlink(swapPath);
  fsyncDirectory(log.fs, log.dir);
  log.segments = log.segments.flatMap((s) =>
    s !== segment ? [s] : replacement === undefined ? [] : [replacement],
  );
  for (const path of retired) log.fs.unlink(path);
}
