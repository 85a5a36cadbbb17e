/**
 * A KeyValueLog over one partition of the commit log (src/log's Log): how the broker keeps the group
 * coordinator's records in an ordinary `__consumer_offsets` partition.
 *
 * Behavior:
 * * `append` writes the records as one uncompressed RecordBatch (create time = now) with a single
 *   Log.append, so a commit is all-or-nothing; with `flushEachAppend` it also fsyncs before resolving
 *   (offsets acknowledged survive a machine crash), otherwise the log's own flush policy applies.
 * * `readAll` reads every batch from the log start to the end, in order: control batches and records
 *   without a key are skipped; keys and values are copied out of the read buffer. Compacted logs
 *   (cleanup.policy=compact) read the same way, since the last record per key wins on replay.
 * * Only the methods listed in PartitionLog are used, so the broker may pass a Log or anything shaped
 *   like it. The high watermark follows the log end after each append (a single replica).
 */
import { ATTR_CONTROL } from '../../protocol/batch-header.js';
import { decodeRecordBatch, encodeRecordBatch, iterateBatches } from '../../protocol/record-batch.js';
import type { EncodedRecord } from './records.js';
import type { KeyValueLog } from './store.js';

export interface PartitionLog {
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  append(records: Uint8Array): unknown;
  flush(): void;
  /** When present, called with the log end after each append: one replica, so everything is committed. */
  setHighWatermark?(offset: bigint): void;
  read(offset: bigint, maxBytes: number): { records: Uint8Array };
}

export interface LogKeyValueLogOptions {
  /** fsync after every append (default false: the log's flush policy decides). */
  flushEachAppend?: boolean;
  /** Bytes per read while loading (at least one whole batch is always returned). */
  readBytesMax?: number;
  /** Create time of the written batches (default Date.now). */
  nowMs?: () => number;
}

const READ_BYTES_MAX_DEFAULT = 1024 * 1024;

export class LogKeyValueLog implements KeyValueLog {
  readonly #log: PartitionLog;
  readonly #flushEachAppend: boolean;
  readonly #readBytesMax: number;
  readonly #nowMs: () => number;

  constructor(log: PartitionLog, options: LogKeyValueLogOptions = {}) {
    this.#log = log;
    this.#flushEachAppend = options.flushEachAppend ?? false;
    this.#readBytesMax = options.readBytesMax ?? READ_BYTES_MAX_DEFAULT;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  async append(records: readonly EncodedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = encodeRecordBatch(
      records.map((r) => ({ key: r.key, value: r.value })),
      { baseTimestamp: BigInt(this.#nowMs()) },
    );
    this.#log.append(batch);
    if (this.#flushEachAppend) this.#log.flush();
    // Compaction only cleans below the high watermark: without this, __consumer_offsets would never shrink.
    this.#log.setHighWatermark?.(this.#log.logEndOffset);
  }

  async *readAll(): AsyncIterable<EncodedRecord> {
    let offset = this.#log.logStartOffset;
    while (offset < this.#log.logEndOffset) {
      const { records } = this.#log.read(offset, this.#readBytesMax);
      if (records.length === 0) return;
      for (const bytes of iterateBatches(records)) {
        const { header, records: decoded } = decodeRecordBatch(bytes);
        offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
        if ((header.attributes & ATTR_CONTROL) !== 0) continue;
        for (const r of decoded) {
          if (r.key === null) continue;
          // Plain Uint8Array copies: the read buffer is reused, and callers compare bytes, not Buffers.
          yield { key: new Uint8Array(r.key), value: r.value === null ? null : new Uint8Array(r.value) };
        }
      }
    }
  }
}
