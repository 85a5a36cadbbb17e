/** A simple in-test model of a partition: the records appended, and helpers to read a Log back. */

import type { Log } from '../../src/log/index.js';
import { decodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { text } from './helpers.js';

export interface ModelRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
  timestampMs: number;
}

/** Every record the log serves from its start, in order (control batches skipped). */
export function readAll(log: Log): ModelRecord[] {
  const out: ModelRecord[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20);
    if (records.length === 0) break;
    for (const batch of iterateBatches(records)) {
      const decoded = decodeRecordBatch(batch);
      const control = (decoded.header.attributes & 0x20) !== 0;
      for (const r of decoded.records) {
        if (!control && r.offset >= offset) {
          out.push({
            offset: r.offset,
            key: text(r.key),
            value: text(r.value),
            timestampMs: Number(r.timestamp),
          });
        }
      }
      offset = decoded.header.baseOffset + BigInt(decoded.header.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

export const show = (records: readonly ModelRecord[]): string[] =>
  records.map((r) => `${r.offset}:${r.key}=${r.value ?? '<tombstone>'}`);
