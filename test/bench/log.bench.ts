/**
 * Log core benchmark (`npm run bench -- log`): kt's Log against the disk's own speed measured in the same
 * run by a raw loop over the same bytes (the peer "raw-write" / "raw-read").
 *
 * - append, 16 KiB batches (16 × 1 KiB records) and ~1 MiB batches (1024 × 1 KiB), no fsync: Log.append
 *   (header + CRC validation, offset patch, pwrite, index bookkeeping) vs writeSync of the same buffers.
 * - the same with an fsync per 1 MiB: flush.messages=1024 vs writeSync + fdatasync every 1 MiB.
 * - read: Log.read(offset, 1 MiB) over the whole log vs readSync of the file in 1 MiB chunks.
 * - recovery: seconds per GB to reopen a log left as a SIGKILL leaves it (no clean-shutdown marker, no
 *   recovery point: every byte rescanned with CRC) vs a raw read of the same bytes. The writer is not
 *   closed, exactly as after a kill (the bytes were pwrite'n to the page cache synchronously); the files
 *   are fdatasync'ed before the clock starts so the figure is the rescan, not leftover writeback.
 * Targets (issue 4): ≥70% of raw without fsync, ≥50% with fsync per 1 MiB, recovery ≤1 s per GB.
 */
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Log } from '../../src/log/index.js';
import { encodeRecordBatch } from '../../src/protocol/record-batch.js';
import { defineBench, mbPerSec, nowMs, peer } from './lib/index.js';

const MIB = 1024 * 1024;
const RECORD_BYTES = 1024;

interface Ctx {
  root: string;
  small: Uint8Array[];
  large: Uint8Array[];
}

function batches(recordsPerBatch: number, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let b = 0; b < count; b++) {
    const records = [];
    for (let i = 0; i < recordsPerBatch; i++) {
      const value = Buffer.alloc(RECORD_BYTES);
      for (let j = 0; j < RECORD_BYTES; j += 4) value.writeUInt32LE((b * 7919 + i * 104729 + j) >>> 0, j);
      records.push({ key: null, value, timestamp: 1_700_000_000_000n + BigInt(i) });
    }
    out.push(encodeRecordBatch(records));
  }
  return out;
}

let counter = 0;
const freshDir = (ctx: Ctx, tag: string): string => join(ctx.root, `${tag}-${counter++}`);

/** Appends `totalBytes` worth of the given batches; returns MB/s. */
function ktAppend(ctx: Ctx, pool: Uint8Array[], totalBytes: number, flushMessages: number): number {
  const dir = freshDir(ctx, 'kt');
  const log = Log.open({
    dir,
    config: { maxBatchBytes: 2 * MIB, flushMessagesInterval: flushMessages, segmentBytesMax: 1024 * MIB },
  });
  let written = 0;
  const start = nowMs();
  for (let i = 0; written < totalBytes; i++) {
    const batch = pool[i % pool.length]!;
    log.append(batch);
    written += batch.length;
  }
  const seconds = (nowMs() - start) / 1000;
  log.close();
  rmSync(dir, { recursive: true, force: true });
  return mbPerSec(written, seconds);
}

/** writeSync loop over the same buffers, fdatasync every `syncEveryBytes` (Infinity: never). */
function rawAppend(ctx: Ctx, pool: Uint8Array[], totalBytes: number, syncEveryBytes: number): number {
  const dir = freshDir(ctx, 'raw');
  rmSync(dir, { recursive: true, force: true });
  const path = `${dir}.log`;
  const fd = openSync(path, 'w');
  let written = 0;
  let sinceSync = 0;
  const start = nowMs();
  for (let i = 0; written < totalBytes; i++) {
    const batch = pool[i % pool.length]!;
    writeSync(fd, batch, 0, batch.length, written);
    written += batch.length;
    sinceSync += batch.length;
    if (sinceSync >= syncEveryBytes) {
      fdatasyncSync(fd);
      sinceSync = 0;
    }
  }
  const seconds = (nowMs() - start) / 1000;
  closeSync(fd);
  rmSync(path, { force: true });
  return mbPerSec(written, seconds);
}

/** Writes a log of `totalBytes` (no close when `leaveOpen`: the SIGKILL state) and returns its dir. */
function writeLog(ctx: Ctx, totalBytes: number, leaveOpen: boolean): string {
  const dir = freshDir(ctx, 'data');
  const log = Log.open({ dir, config: { maxBatchBytes: 2 * MIB, segmentBytesMax: 256 * MIB } });
  let written = 0;
  for (let i = 0; written < totalBytes; i++) {
    const batch = ctx.large[i % ctx.large.length]!;
    log.append(batch);
    written += batch.length;
  }
  if (!leaveOpen) log.close();
  return dir;
}

function syncAll(dir: string): void {
  for (const name of readdirSync(dir)) {
    const fd = openSync(join(dir, name), 'r');
    fdatasyncSync(fd);
    closeSync(fd);
  }
}

function rawRead(dir: string, chunkBytes: number): number {
  const buf = Buffer.allocUnsafe(chunkBytes);
  let total = 0;
  const start = nowMs();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort()) {
    const fd = openSync(join(dir, name), 'r');
    let position = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, chunkBytes, position);
      if (n <= 0) break;
      position += n;
    }
    closeSync(fd);
    total += position;
  }
  return total / ((nowMs() - start) / 1000);
}

export default defineBench<Ctx>({
  description: 'Log append/read/recovery vs raw writeSync/readSync over the same bytes (same run, same disk)',
  rounds: 3,
  warmup: 1,
  setup() {
    const root = mkdtempSync(join(tmpdir(), 'kt-log-bench-'));
    return { root, small: batches(16, 16), large: batches(1024, 4) };
  },
  teardown(ctx) {
    rmSync(ctx.root, { recursive: true, force: true });
  },
  comparisons: (ctx) => [
    {
      label: 'append 16 KiB batches, 256 MiB, no fsync',
      metrics: [{ name: 'append_16k_mb_per_s', unit: 'MB/s', better: 'higher' }],
      kt: () => ktAppend(ctx, ctx.small, 256 * MIB, Number.POSITIVE_INFINITY),
      peer: peer('raw-write', () => rawAppend(ctx, ctx.small, 256 * MIB, Number.POSITIVE_INFINITY)),
    },
    {
      label: 'append 1 MiB batches, 512 MiB, no fsync',
      metrics: [{ name: 'append_1m_mb_per_s', unit: 'MB/s', better: 'higher' }],
      kt: () => ktAppend(ctx, ctx.large, 512 * MIB, Number.POSITIVE_INFINITY),
      peer: peer('raw-write', () => rawAppend(ctx, ctx.large, 512 * MIB, Number.POSITIVE_INFINITY)),
    },
    {
      label: 'append 16 KiB batches, 128 MiB, fsync per 1 MiB',
      metrics: [{ name: 'append_16k_fsync_1m_mb_per_s', unit: 'MB/s', better: 'higher' }],
      kt: () => ktAppend(ctx, ctx.small, 128 * MIB, 1024),
      peer: peer('raw-write', () => rawAppend(ctx, ctx.small, 128 * MIB, MIB)),
    },
    {
      label: 'append 1 MiB batches, 128 MiB, fsync per 1 MiB',
      metrics: [{ name: 'append_1m_fsync_1m_mb_per_s', unit: 'MB/s', better: 'higher' }],
      kt: () => ktAppend(ctx, ctx.large, 128 * MIB, 1024),
      peer: peer('raw-write', () => rawAppend(ctx, ctx.large, 128 * MIB, MIB)),
    },
    {
      label: 'read 256 MiB in 1 MiB fetches',
      metrics: [{ name: 'read_mb_per_s', unit: 'MB/s', better: 'higher' }],
      kt: () => {
        const dir = writeLog(ctx, 256 * MIB, false);
        const log = Log.open({ dir, cleanShutdown: true });
        let offset = 0n;
        let total = 0;
        // A reused scratch buffer, as a broker sending each fetch before the next would use.
        const scratch = Buffer.allocUnsafe(2 * MIB);
        const start = nowMs();
        while (offset < log.logEndOffset) {
          const { records } = log.read(offset, MIB, log.logEndOffset, scratch);
          const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
          let at = 0;
          while (at < records.length) {
            offset = view.getBigInt64(at) + BigInt(view.getInt32(at + 23)) + 1n;
            at += view.getInt32(at + 8) + 12;
          }
          total += records.length;
        }
        const result = mbPerSec(total, (nowMs() - start) / 1000);
        log.close();
        rmSync(dir, { recursive: true, force: true });
        return result;
      },
      peer: peer('raw-read', () => {
        const dir = writeLog(ctx, 256 * MIB, false);
        const bytesPerS = rawRead(dir, MIB);
        rmSync(dir, { recursive: true, force: true });
        return bytesPerS / 1e6;
      }),
    },
    {
      label: 'recovery after SIGKILL, 512 MiB, full rescan',
      metrics: [{ name: 'recovery_s_per_gb', unit: 's/GB', better: 'lower' }],
      kt: () => {
        const dir = writeLog(ctx, 512 * MIB, true);
        // Let the OS finish writeback first (as it would during a restart): recovery fdatasyncs what it
        // rescanned, and dirty pages left over from the writer would bill writeback to recovery.
        syncAll(dir);
        const start = nowMs();
        const log = Log.open({ dir });
        const seconds = (nowMs() - start) / 1000;
        const bytes = log.sizeBytes;
        if (log.recovery.rescannedSegments < 2 || log.recovery.truncatedBytes !== 0)
          throw new Error('rescan did not run');
        log.close();
        rmSync(dir, { recursive: true, force: true });
        return seconds / (bytes / 1e9);
      },
      peer: peer('raw-read', () => {
        const dir = writeLog(ctx, 512 * MIB, false);
        const bytesPerS = rawRead(dir, 8 * MIB);
        rmSync(dir, { recursive: true, force: true });
        return 1e9 / bytesPerS;
      }),
    },
  ],
});
