import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompactionOptions, CompactionReport, Log } from '../../src/log/index.js';
import { compactLog } from '../../src/log/index.js';
import type { EncodeBatchOptions, RecordInput } from '../../src/protocol/record-batch.js';
import { encodeRecordBatch } from '../../src/protocol/record-batch.js';

const enc = new TextEncoder();
export const bytes = (s: string): Uint8Array => enc.encode(s);
export const text = (b: Uint8Array | null): string | null =>
  b === null ? null : new TextDecoder().decode(b);

/** A batch of `count` records with keys `k<i>` and values `v<i>` (prefix optional). */
export function batchOf(
  values: readonly (readonly [string | null, string | null])[],
  options: EncodeBatchOptions & { timestamp?: bigint } = {},
): Uint8Array {
  const records: RecordInput[] = values.map(([k, v]) => ({
    key: k === null ? null : bytes(k),
    value: v === null ? null : bytes(v),
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  }));
  return encodeRecordBatch(records, options);
}

export function tempDir(prefix = 'kt-log-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A single-replica log: the high watermark follows the log end; then compact. */
export async function compactAll(log: Log, options: CompactionOptions = {}): Promise<CompactionReport> {
  log.setHighWatermark(log.logEndOffset);
  return compactLog(log, options);
}
