/**
 * One topic-partition on the embedded broker: its Log (src/log) plus what a leader adds on top — a
 * notification for fetches waiting on new data (long polling). On a single node the high watermark is the
 * log end: every acknowledged append is "fully replicated".
 *
 * Thread-safety: synchronous methods on the broker's event loop; Log methods never interleave.
 */
import type { AppendResult, Log, ReadResult } from '../log/log.js';

export class Partition {
  readonly topic: string;
  readonly index: number;
  readonly log: Log;
  /** Leader epoch stamped on appended batches; one node, so it only changes across restarts. */
  readonly leaderEpoch: number;
  private readonly waiters = new Set<() => void>();

  constructor(topic: string, index: number, log: Log, leaderEpoch = 0) {
    this.topic = topic;
    this.index = index;
    this.log = log;
    this.leaderEpoch = leaderEpoch;
  }

  get logStartOffset(): bigint {
    return this.log.logStartOffset;
  }
  get logEndOffset(): bigint {
    return this.log.logEndOffset;
  }
  get highWatermark(): bigint {
    return this.log.highWatermark;
  }

  /** Appends leader batches (validated by the log; offsets assigned) and wakes waiting fetches. */
  append(records: Uint8Array): AppendResult {
    const result = this.log.append(records, { leaderEpoch: this.leaderEpoch });
    this.log.setHighWatermark(this.log.logEndOffset);
    this.notify();
    return result;
  }

  read(offset: bigint, maxBytes: number): ReadResult {
    return this.log.read(offset, maxBytes, this.highWatermark);
  }

  /** Calls `wake` once, the next time data is appended (or the partition closes). Returns an unsubscribe. */
  onData(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  notify(): void {
    if (this.waiters.size === 0) return;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  close(): void {
    this.notify();
    if (!this.log.isClosed) this.log.close();
  }
}
