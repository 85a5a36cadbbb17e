/**
 * Idempotent-producer state of one partition (Kafka's ProducerStateManager, reduced to what a single
 * node without transactions needs), plus the broker-wide producer-id allocator.
 *
 * Per producer id: the current epoch and the metadata (first/last sequence, first/last offset, max
 * timestamp) of its last 5 batches — a producer has at most 5 requests in flight, so a retried batch is
 * always one of them. Rules, as in Kafka (ProducerAppendInfo.checkSequence / ProducerStateEntry):
 * - same epoch and the same first and last sequence as a retained batch → a duplicate: answered with the
 *   original offsets, not appended again;
 * - epoch below the current one → INVALID_PRODUCER_EPOCH;
 * - a new (higher) epoch must start at sequence 0 → else OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - same epoch: the first sequence must follow the last one (wrapping after 2^31-1) → else
 *   OUT_OF_ORDER_SEQUENCE_NUMBER. A producer with no state (new, or its batches deleted by retention /
 *   DeleteRecords) may start at any sequence, like Kafka.
 *
 * Persistence: the state is derived from the log. It is rebuilt by walking batch headers only (producer
 * id, epoch, base sequence, offsets: no record decoding). A snapshot (`kt-producer-state.json` in the
 * partition directory) written on clean close holds the state at an offset, so a restart scans only the
 * batches after it; a snapshot beyond the log end (the log was truncated) is ignored.
 *
 * Thread-safety: synchronous, on the broker's event loop.
 */
import { writeFileAtomic } from '../log/fs.js';
import type { Log } from '../log/log.js';
import { ATTR_CONTROL, BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD_BYTES } from '../protocol/batch-header.js';
import type { TopicManager } from './topics.js';

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN (= max.in.flight.requests.per.connection limit). */
export const BATCHES_TO_RETAIN = 5;
/** Kafka's producer.id.expiration.ms default: a producer silent this long is forgotten. */
export const PRODUCER_ID_EXPIRATION_MS = 86_400_000;
/** Kafka's producer.id.expiration.check.interval.ms default. */
export const PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = 600_000;
export const PRODUCER_SNAPSHOT_FILE = 'kt-producer-state.json';
const INT32_MAX = 0x7fffffff;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
  /** The batch's max timestamp (LogAppendTime when stamped). */
  timestampMs: bigint;
}

export interface ProducerEntry {
  epoch: number;
  /** Oldest first; at most BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
}

/** What a producer batch's header says about its producer. */
export interface ProducerBatchInfo {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  /** lastOffsetDelta of the batch (records - 1). */
  lastOffsetDelta: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; batch: BatchMetadata }
  | { kind: 'error'; error: 'INVALID_PRODUCER_EPOCH' | 'OUT_OF_ORDER_SEQUENCE_NUMBER'; message: string };

/** The last sequence of a batch, wrapping like DefaultRecordBatch.incrementSequence. */
export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (lastSeq === INT32_MAX && nextSeq === 0);
}

export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerEntry>();
  /** Offsets below this are reflected in the state. */
  private mappedUpTo = 0n;

  get size(): number {
    return this.producers.size;
  }

  entry(producerId: bigint): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /** Decides what to do with a client batch; changes nothing. */
  check(info: ProducerBatchInfo, where: string): SequenceCheck {
    const entry = this.producers.get(info.producerId);
    if (entry === undefined) return { kind: 'append' };
    const lastSeq = lastSequenceOf(info.baseSequence, info.lastOffsetDelta);
    if (info.producerEpoch === entry.epoch) {
      const duplicate = entry.batches.find((b) => b.firstSeq === info.baseSequence && b.lastSeq === lastSeq);
      if (duplicate) return { kind: 'duplicate', batch: duplicate };
    }
    if (info.producerEpoch < entry.epoch) {
      return {
        kind: 'error',
        error: 'INVALID_PRODUCER_EPOCH',
        message: `Epoch of producer ${info.producerId} in ${where} is ${info.producerEpoch}, which is smaller than the last seen epoch ${entry.epoch}`,
      };
    }
    if (info.producerEpoch > entry.epoch) {
      if (info.baseSequence !== 0) {
        return {
          kind: 'error',
          error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
          message: `Invalid sequence number for new epoch of producer ${info.producerId} in ${where}: ${info.producerEpoch} (request epoch), ${info.baseSequence} (seq. number), ${entry.epoch} (current producer epoch)`,
        };
      }
      return { kind: 'append' };
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last !== undefined && !inSequence(last.lastSeq, info.baseSequence)) {
      return {
        kind: 'error',
        error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
        message: `Out of order sequence number for producer ${info.producerId} in ${where}: ${info.baseSequence} (incoming seq. number), ${last.lastSeq} (current end sequence number)`,
      };
    }
    return { kind: 'append' };
  }

  /** Records an appended batch (from a produce, or found in the log while rebuilding). */
  update(info: ProducerBatchInfo, firstOffset: bigint, timestampMs: bigint): void {
    let entry = this.producers.get(info.producerId);
    if (entry === undefined || info.producerEpoch !== entry.epoch) {
      entry = { epoch: info.producerEpoch, batches: [] };
      this.producers.set(info.producerId, entry);
    }
    entry.batches.push({
      firstSeq: info.baseSequence,
      lastSeq: lastSequenceOf(info.baseSequence, info.lastOffsetDelta),
      firstOffset,
      lastOffset: firstOffset + BigInt(info.lastOffsetDelta),
      timestampMs,
    });
    if (entry.batches.length > BATCHES_TO_RETAIN) entry.batches.shift();
    const next = firstOffset + BigInt(info.lastOffsetDelta) + 1n;
    if (next > this.mappedUpTo) this.mappedUpTo = next;
  }

  /** Forgets producers whose every retained batch is below the log start (Kafka's truncateHead). */
  truncateHead(logStartOffset: bigint): void {
    for (const [id, entry] of this.producers) {
      const last = entry.batches[entry.batches.length - 1];
      if (last === undefined || last.lastOffset < logStartOffset) this.producers.delete(id);
      else entry.batches = entry.batches.filter((b) => b.lastOffset >= logStartOffset);
    }
  }

  /**
   * Forgets producers whose newest batch timestamp is `expirationMs` or more before `nowMs` (Kafka's
   * producer.id.expiration.ms, default 1 day, measured like Kafka on the batches' max timestamps).
   */
  removeExpired(nowMs: number, expirationMs: number): void {
    const horizon = BigInt(nowMs - expirationMs);
    for (const [id, entry] of this.producers) {
      const last = entry.batches[entry.batches.length - 1];
      if (last === undefined || last.timestampMs <= horizon) this.producers.delete(id);
    }
  }

  /** Builds the state of `log`: a snapshot if one fits, then the batch headers after it. */
  static load(log: Log): ProducerStateManager {
    const state = ProducerStateManager.readSnapshot(log) ?? new ProducerStateManager();
    // bigints: no Math.max
    let from = log.logStartOffset;
    if (state.mappedUpTo > from) from = state.mappedUpTo;
    scanProducerBatches(log, from, (info, baseOffset, timestampMs) =>
      state.update(info, baseOffset, timestampMs),
    );
    state.mappedUpTo = log.logEndOffset;
    state.truncateHead(log.logStartOffset);
    state.removeExpired(log.nowMs(), PRODUCER_ID_EXPIRATION_MS);
    return state;
  }

  private static readSnapshot(log: Log): ProducerStateManager | undefined {
    const path = `${log.dir}/${PRODUCER_SNAPSHOT_FILE}`;
    try {
      if (!log.fs.exists(path)) return undefined;
      const file = JSON.parse(new TextDecoder().decode(log.fs.readFile(path))) as SnapshotFile;
      if (file.version !== 1) return undefined;
      const offset = BigInt(file.offset);
      if (offset > log.logEndOffset) return undefined;
      const state = new ProducerStateManager();
      for (const p of file.producers) {
        state.producers.set(BigInt(p.id), {
          epoch: p.epoch,
          batches: p.batches.map((b) => ({
            firstSeq: b[0],
            lastSeq: b[1],
            firstOffset: BigInt(b[2]),
            lastOffset: BigInt(b[3]),
            timestampMs: BigInt(b[4]),
          })),
        });
      }
      state.mappedUpTo = offset;
      return state;
    } catch {
      // A damaged snapshot only costs a longer scan: the log is the source of truth.
      return undefined;
    }
  }

  /** Writes the snapshot (atomically); called on clean close, when the state covers the whole log. */
  writeSnapshot(log: Log): void {
    const file: SnapshotFile = {
      version: 1,
      offset: log.logEndOffset.toString(),
      producers: [...this.producers].map(([id, e]) => ({
        id: id.toString(),
        epoch: e.epoch,
        batches: e.batches.map((b) => [
          b.firstSeq,
          b.lastSeq,
          b.firstOffset.toString(),
          b.lastOffset.toString(),
          b.timestampMs.toString(),
        ]),
      })),
    };
    writeFileAtomic(log.fs, log.dir, PRODUCER_SNAPSHOT_FILE, new TextEncoder().encode(JSON.stringify(file)));
  }
}

/** Removes a partition's producer snapshot, if any. */
export function dropProducerSnapshot(log: Log): void {
  const path = `${log.dir}/${PRODUCER_SNAPSHOT_FILE}`;
  if (log.fs.exists(path)) log.fs.unlink(path);
}

interface SnapshotFile {
  version: 1;
  offset: string;
  producers: Array<{
    id: string;
    epoch: number;
    batches: Array<[number, number, string, string, string]>;
  }>;
}

const SCAN_CHUNK_BYTES = 1 << 20;

/**
 * Calls `onBatch` for every idempotent data batch of `log` whose offsets reach `fromOffset`, reading only
 * headers (in 1 MiB chunks; a batch larger than a chunk costs one more read of its header).
 */
export function scanProducerBatches(
  log: Log,
  fromOffset: bigint,
  onBatch: (info: ProducerBatchInfo, baseOffset: bigint, timestampMs: bigint) => void,
): void {
  const segments = log.segments;
  for (let i = log.segmentIndexFor(fromOffset); i < segments.length; i++) {
    const segment = segments[i]!;
    const size = segment.sizeBytes;
    let position = 0;
    while (position + BATCH_HEADER_BYTES <= size) {
      const chunk = segment.read(position, Math.min(SCAN_CHUNK_BYTES, size - position));
      if (chunk.length < BATCH_HEADER_BYTES) return;
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
      let at = 0;
      while (at + BATCH_HEADER_BYTES <= chunk.length) {
        const batchBytes = view.getInt32(at + 8) + BATCH_LOG_OVERHEAD_BYTES;
        if (batchBytes < BATCH_HEADER_BYTES) return; // the log validated these bytes; stop rather than loop
        const baseOffset = view.getBigInt64(at);
        const lastOffsetDelta = view.getInt32(at + 23);
        const producerId = view.getBigInt64(at + 43);
        const attributes = view.getInt16(at + 21);
        if (
          producerId >= 0n &&
          (attributes & ATTR_CONTROL) === 0 &&
          baseOffset + BigInt(lastOffsetDelta) >= fromOffset
        ) {
          onBatch(
            {
              producerId,
              producerEpoch: view.getInt16(at + 51),
              baseSequence: view.getInt32(at + 53),
              lastOffsetDelta,
            },
            baseOffset,
            view.getBigInt64(at + 35),
          );
        }
        at += batchBytes;
      }
      position += at;
    }
  }
}

/**
 * Producer ids, unique for the life of the data directory: handed out from blocks of 1000 like Kafka's
 * controller does; the end of the current block is persisted before any id from it is used, so a restart
 * never hands out an id twice (which would collide with the restored state of an old producer).
 */
export class ProducerIdAllocator {
  static readonly BLOCK_SIZE = 1000n;
  static readonly FILE = 'kt-producer-ids';
  private next = 0n;
  private blockEnd = 0n;
  private readonly topics: TopicManager;

  constructor(topics: TopicManager) {
    this.topics = topics;
    const path = `${topics.dataDir}/${ProducerIdAllocator.FILE}`;
    if (topics.fs.exists(path)) {
      const match = /^next\.block=(\d+)$/m.exec(new TextDecoder().decode(topics.fs.readFile(path)));
      if (match) this.next = this.blockEnd = BigInt(match[1]!);
    }
  }

  allocate(): bigint {
    if (this.next >= this.blockEnd) {
      this.blockEnd = this.next + ProducerIdAllocator.BLOCK_SIZE;
      const text = `next.block=${this.blockEnd}\n`;
      writeFileAtomic(
        this.topics.fs,
        this.topics.dataDir,
        ProducerIdAllocator.FILE,
        new TextEncoder().encode(text),
      );
    }
    return this.next++;
  }
}

const allocators = new WeakMap<TopicManager, ProducerIdAllocator>();

/** The allocator of a broker's data directory (one per TopicManager). */
export function producerIdAllocator(topics: TopicManager): ProducerIdAllocator {
  let allocator = allocators.get(topics);
  if (allocator === undefined) {
    allocator = new ProducerIdAllocator(topics);
    allocators.set(topics, allocator);
  }
  return allocator;
}
