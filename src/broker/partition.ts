/**
 * One topic-partition on the embedded broker: its Log (src/log) plus what a leader adds on top — a
 * notification for fetches waiting on new data (long polling) and the idempotent producers' state. On a
 * single node the high watermark is the log end: every acknowledged append is "fully replicated" (also
 * right after a restart, where the checkpointed high watermark may lag the recovered log end).
 *
 * Thread-safety: synchronous methods on the broker's event loop; Log methods never interleave.
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { LogError } from '../log/errors.js';
import type { AppendResult, Log, ReadResult } from '../log/log.js';
import {
  dropProducerSnapshot,
  PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
  PRODUCER_ID_EXPIRATION_MS,
  ProducerStateManager,
} from './producer-state.js';

export class Partition {
  readonly topic: string;
  readonly index: number;
  readonly log: Log;
  /** Leader epoch stamped on appended batches; one node, so it only changes across restarts. */
  readonly leaderEpoch: number;
  private readonly waiters = new Set<() => void>();
  private producerState: ProducerStateManager | undefined;
  private expiryCheckedAtMs = 0;
  private closed = false;

  constructor(topic: string, index: number, log: Log, leaderEpoch = 0) {
    this.topic = topic;
    this.index = index;
    this.log = log;
    this.leaderEpoch = leaderEpoch;
    if (!log.isClosed) log.setHighWatermark(log.logEndOffset);
    // Recovery cut the log: a producer snapshot may describe batches that are gone, and appends made
    // before the (lazy) state load could hide that. Drop it; the state is rebuilt from batch headers.
    if (log.recovery.truncatedBytes > 0 || log.recovery.deletedSegments > 0) dropProducerSnapshot(log);
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
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * The idempotent producers' state, built on first use from a snapshot and the batch headers after it
   * (so a broker with no idempotent producers never scans its logs at start-up).
   */
  get producers(): ProducerStateManager {
    const nowMs = this.log.nowMs();
    if (this.producerState === undefined) {
      this.producerState = ProducerStateManager.load(this.log);
      this.expiryCheckedAtMs = nowMs;
    } else if (nowMs - this.expiryCheckedAtMs >= PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS) {
      this.producerState.removeExpired(nowMs, PRODUCER_ID_EXPIRATION_MS);
      this.expiryCheckedAtMs = nowMs;
    }
    return this.producerState;
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

  /** DeleteRecords: moves the log start offset (<= high watermark); returns the new log start. */
  deleteRecordsBefore(offset: bigint): bigint {
    const start = this.log.deleteRecordsBefore(offset);
    this.producerState?.truncateHead(start);
    return start;
  }

  /**
   * Calls `wake` once, the next time data is appended or the partition closes (at once when it is already
   * closed). Returns an unsubscribe.
   */
  onData(wake: () => void): () => void {
    if (this.closed) {
      queueMicrotask(wake);
      return () => {};
    }
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
    this.closed = true;
    this.notify();
    if (this.log.isClosed) return;
    // The snapshot lets the next start skip scanning the whole log; losing it only costs that scan.
    if (this.producerState !== undefined) {
      try {
        this.producerState.writeSnapshot(this.log);
      } catch {
        // best effort: the log remains the source of truth
      }
    }
    this.log.close();
  }
}

/**
 * The Kafka error code for a failure of a partition's log, or undefined for errors that are bugs (those
 * propagate and close the connection after one log line).
 */
export function logErrorCode(error: unknown): number | undefined {
  if (!(error instanceof LogError)) return undefined;
  switch (error.code) {
    case 'KT_LOG_CORRUPT_BATCH':
      return ErrorCode.CORRUPT_MESSAGE;
    case 'KT_LOG_BATCH_TOO_LARGE':
      return ErrorCode.MESSAGE_TOO_LARGE;
    case 'KT_LOG_OFFSET_OUT_OF_RANGE':
      return ErrorCode.OFFSET_OUT_OF_RANGE;
    // The partition went away under the request (topic deleted, broker closing): the client refreshes
    // metadata and retries elsewhere, as after a leader move.
    case 'KT_LOG_CLOSED':
      return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    case 'KT_LOG_IO':
    case 'KT_LOG_FAILED':
      return ErrorCode.KAFKA_STORAGE_ERROR;
    default:
      return undefined;
  }
}
