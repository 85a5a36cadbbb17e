/**
 * Loading a partition directory, with recovery after an unclean stop (Kafka's LogLoader).
 *
 * 1. Leftovers of interrupted operations: `*.tmp` (checkpoint being written), `*.deleted` (segment
 *    deletion), `*.cleaned` (compaction output not yet committed) are removed; a `*.log.swap` (compaction
 *    output that was committed) replaces its `.log`, and that segment's indexes are rebuilt.
 * 2. Segments before the one holding the recovery point were fdatasync'ed, so their files are trusted:
 *    their indexes are loaded and sanity-checked (rebuilt when missing or inconsistent).
 * 3. Without a clean-shutdown marker, segments from the one holding the recovery point onwards are
 *    rescanned batch by batch (length, magic, CRC-32C, offsets increasing); the first invalid batch and
 *    everything after it is truncated away, later segments are deleted, and indexes are rebuilt. A torn
 *    or corrupt tail therefore can never be served.
 *
 * Cost: a rescan reads and checksums every byte after the recovery point (≈ the disk/page-cache read
 * speed plus CRC at ~4 GB/s); with a clean-shutdown marker only the index files and each segment's tail
 * after its last index entry are read.
 */
import type { LogConfig } from './config.js';
import type { LogFs } from './fs.js';
import { Segment, segmentFileName } from './segment.js';

export interface RecoveryReport {
  /** Segments rescanned with CRC validation. */
  rescannedSegments: number;
  /** Bytes cut from the end of the log (torn or corrupt tail). */
  truncatedBytes: number;
  /** Why the rescan stopped early, per truncated segment. */
  truncations: { baseOffset: bigint; validBytes: number; reason: string }[];
  /** Whole segments dropped because an earlier one was truncated. */
  deletedSegments: number;
  /** Leftover files removed or completed (tmp, deleted, cleaned, swap). */
  leftoversHandled: number;
}

const SEGMENT_NAME = /^(\d{20})\.log$/;

export function recoverSegments(
  fsys: LogFs,
  dir: string,
  config: LogConfig,
  options: { recoveryPoint: bigint; cleanShutdown: boolean; nowMs: number },
): { segments: Segment[]; report: RecoveryReport } {
  const report: RecoveryReport = {
    rescannedSegments: 0,
    truncatedBytes: 0,
    truncations: [],
    deletedSegments: 0,
    leftoversHandled: 0,
  };
  const bases = handleLeftovers(fsys, dir, report);
  const segments: Segment[] = [];
  let truncated = false;
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i]!;
    if (truncated) {
      deleteSegmentFiles(fsys, dir, base);
      report.deletedSegments += 1;
      continue;
    }
    const next = bases[i + 1];
    const recover = !options.cleanShutdown && (next === undefined || next > options.recoveryPoint);
    const sizeBefore = fsys.sizeOf(`${dir}/${segmentFileName(base, '.log')}`);
    const { segment, scan } = Segment.open(fsys, dir, base, config, recover, options.nowMs);
    if (recover) {
      report.rescannedSegments += 1;
      // What survived a process crash may still be only in the page cache; make it durable before the
      // recovery point moves past it, or a later machine crash could lose a range we no longer rescan.
      segment.fdatasync();
    }
    const previous = segments[segments.length - 1];
    if (previous !== undefined && segment.baseOffset < previous.nextOffset) {
      // Overlapping segments cannot come from our own writes; keep the earlier data.
      segment.close();
      deleteSegmentFiles(fsys, dir, base);
      report.deletedSegments += 1;
      truncated = true;
      continue;
    }
    segments.push(segment);
    if (scan.stopReason !== undefined && scan.validBytes < sizeBefore) {
      report.truncatedBytes += sizeBefore - scan.validBytes;
      report.truncations.push({ baseOffset: base, validBytes: scan.validBytes, reason: scan.stopReason });
      truncated = true;
    }
  }
  if (segments.length === 0) segments.push(Segment.create(fsys, dir, 0n, config, options.nowMs));
  return { segments, report };
}

/** Cleans up interrupted operations; returns the sorted base offsets of the segments to load. */
function handleLeftovers(fsys: LogFs, dir: string, report: RecoveryReport): bigint[] {
  const names = fsys.readdir(dir);
  for (const name of names) {
    if (name.endsWith('.tmp') || name.endsWith('.deleted') || name.endsWith('.cleaned')) {
      fsys.unlink(`${dir}/${name}`);
      report.leftoversHandled += 1;
    }
  }
  for (const name of names) {
    if (!name.endsWith('.log.swap')) continue;
    const target = name.slice(0, -'.swap'.length);
    const stem = target.slice(0, -'.log'.length);
    for (const suffix of ['.index', '.timeindex']) {
      if (fsys.exists(`${dir}/${stem}${suffix}`)) fsys.unlink(`${dir}/${stem}${suffix}`);
    }
    fsys.rename(`${dir}/${name}`, `${dir}/${target}`);
    report.leftoversHandled += 1;
  }
  const bases: bigint[] = [];
  for (const name of fsys.readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match !== null) bases.push(BigInt(match[1]!));
  }
  return bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function deleteSegmentFiles(fsys: LogFs, dir: string, base: bigint): void {
  for (const suffix of ['.log', '.index', '.timeindex']) {
    const path = `${dir}/${segmentFileName(base, suffix)}`;
    if (fsys.exists(path)) fsys.unlink(path);
  }
}
