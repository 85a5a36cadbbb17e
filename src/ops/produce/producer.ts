/**
 * The produce hot path: records are partitioned, accumulated per partition into batches encoded with the
 * protocol core's encodeRecordBatch, and sent as Produce requests straight to each partition's leader,
 * several in flight per broker (kafkajs encodes ~130k records/s of 100 B per core; this path is not
 * bound by that).
 *
 * - Partitioning: an explicit partition (flag or input) wins; keyed records use Java's murmur2; keyless
 *   records stick to one partition until its batch is sealed (Kafka's sticky partitioner), or go
 *   random / round-robin per record.
 * - Batches are sealed when full (batchBytesMax, capped by the topic's max.message.bytes) or lingerMs
 *   after their first record. `flush()` seals everything and waits for every answer.
 * - Errors: retriable ones (leader moved, timeouts) are retried up to retriesMax after a metadata refresh;
 *   ErrorCode.MESSAGE_TOO_LARGE on a multi-record batch splits it (when not idempotent) so the failure lands on the
 *   record that is really too large; anything else fails the batch's records through onFailed.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { errorForCode } from '../../errors/kafka.js';
import { murmur2Partition } from '../../format/murmur2.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { type CompressionCodec, encodeRecordBatch } from '../../protocol/record-batch.js';
import type { OutRecord } from './parse.js';

export type Partitioner = 'murmur2' | 'random' | 'round-robin';

export interface ProducerOptions {
  topic: string;
  partitionCount: number;
  partitioner: Partitioner;
  /** --partition: every record goes here. */
  partition?: number;
  compression: CompressionCodec;
  acks: 0 | 1 | -1;
  idempotent: boolean;
  lingerMs: number;
  batchBytesMax: number;
  /** The topic's max.message.bytes, when known: a single uncompressed record above it fails at once. */
  messageBytesMax?: number;
  inFlightMax: number;
  /** Bytes of sealed, unanswered batches above which `waitForRoom` waits. */
  bufferBytesMax: number;
  requestTimeoutMs: number;
  retriesMax: number;
  onDelivered: (records: readonly OutRecord[], partition: number, baseOffset: bigint | null) => void;
  onFailed: (records: readonly OutRecord[], partition: number, message: string) => void;
}

interface Batch {
  partition: number;
  records: OutRecord[];
  encoded: Uint8Array;
  attempts: number;
  baseSequence: number;
}

interface Accumulator {
  records: OutRecord[];
  bytes: number;
  timer: NodeJS.Timeout | undefined;
}

const PRODUCE = 0;
const INIT_PRODUCER_ID = 22;
/** Produce v13 addresses topics by id; names are enough for us. */
const PRODUCE_VERSION_MAX = 12;
const RETRY_BACKOFF_MS = 100;
/** Batch framing (61 B) plus a Produce request's per-partition overhead, kept off the size budget. */
const BATCH_OVERHEAD_BYTES = 128;

/** Upper bound of one record's encoded size (varints at their widest). */
export function recordBytesEstimate(r: OutRecord): number {
  let n = 21 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  if (r.headers) for (const h of r.headers) n += 10 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return n;
}

export class BatchProducer {
  private readonly accumulators: Accumulator[];
  private readonly queues = new Map<number, Batch[]>();
  private readonly inFlight = new Map<number, number>();
  private readonly leaders = new Map<number, number>();
  private readonly sequences: number[];
  private producerId = -1n;
  private producerEpoch = -1;
  private stickyPartition = -1;
  private roundRobin = 0;
  private pendingBytes = 0;
  private pendingBatches = 0;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private fatal: Error | undefined;
  private readonly batchBytesMax: number;

  constructor(
    private readonly client: ClusterClient,
    private readonly options: ProducerOptions,
  ) {
    this.accumulators = Array.from({ length: options.partitionCount }, () => ({
      records: [],
      bytes: 0,
      timer: undefined,
    }));
    this.sequences = new Array(options.partitionCount).fill(0);
    const limit = options.messageBytesMax;
    this.batchBytesMax =
      limit === undefined
        ? options.batchBytesMax
        : Math.max(1, Math.min(options.batchBytesMax, limit - BATCH_OVERHEAD_BYTES));
  }

  /** Loads leaders and, when idempotent, a producer id. */
  async init(): Promise<void> {
    await this.refreshLeaders();
    if (this.options.idempotent) {
      const response = await this.client.send('any', INIT_PRODUCER_ID, {
        transactionalId: null,
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      if (response.errorCode !== ErrorCode.NONE) {
        const e = errorForCode(response.errorCode);
        throw new Error(`InitProducerId failed: ${e.name}: ${e.message}`);
      }
      this.producerId = response.producerId;
      this.producerEpoch = response.producerEpoch;
    }
  }

  private async refreshLeaders(): Promise<void> {
    this.client.invalidateLeaders(this.options.topic);
    const metadata = await this.client.refreshMetadata([this.options.topic]);
    const topic = metadata.topics.find((t) => t.name === this.options.topic);
    for (const p of topic?.partitions ?? []) this.leaders.set(p.partitionIndex, p.leaderId);
  }

  /** Throws the error that stopped the producer (a connection that cannot be re-established). */
  checkFatal(): void {
    if (this.fatal) throw this.fatal;
  }

  private choosePartition(r: OutRecord): number {
    const o = this.options;
    if (o.partition !== undefined) return o.partition;
    if (r.partition !== undefined) return r.partition;
    if (o.partitioner === 'random') return Math.floor(Math.random() * o.partitionCount);
    if (o.partitioner === 'round-robin') return this.roundRobin++ % o.partitionCount;
    if (r.key !== null) return murmur2Partition(r.key, o.partitionCount);
    if (this.stickyPartition < 0) this.stickyPartition = Math.floor(Math.random() * o.partitionCount);
    return this.stickyPartition;
  }

  /** Adds a record; it is sent when its batch fills or lingers long enough. */
  add(r: OutRecord): void {
    const partition = this.choosePartition(r);
    if (partition < 0 || partition >= this.options.partitionCount) {
      this.options.onFailed(
        [r],
        partition,
        `partition ${partition} does not exist (the topic has ${this.options.partitionCount})`,
      );
      return;
    }
    const size = recordBytesEstimate(r);
    const limit = this.options.messageBytesMax;
    if (limit !== undefined && this.options.compression === 'none' && size + 61 > limit) {
      this.options.onFailed(
        [r],
        partition,
        `ErrorCode.MESSAGE_TOO_LARGE: the record is about ${size + 61} bytes, over the topic's max.message.bytes ${limit}`,
      );
      return;
    }
    const acc = this.accumulators[partition]!;
    if (acc.records.length > 0 && acc.bytes + size > this.batchBytesMax) this.seal(partition);
    acc.records.push(r);
    acc.bytes += size;
    if (acc.bytes >= this.batchBytesMax) this.seal(partition);
    else if (acc.timer === undefined && acc.records.length === 1) {
      acc.timer = setTimeout(() => {
        acc.timer = undefined;
        this.seal(partition);
      }, this.options.lingerMs);
    }
  }

  /** True when sealed batches hold more than bufferBytesMax: the caller should await waitForRoom(). */
  get full(): boolean {
    return this.pendingBytes >= this.options.bufferBytesMax;
  }

  waitForRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Seals every batch and resolves once every batch has an outcome. */
  async flush(): Promise<void> {
    for (let p = 0; p < this.accumulators.length; p++) this.seal(p);
    if (this.pendingBatches === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops unsealed records (after bad input: nothing of a half-read input is sent later). */
  discardUnsent(): number {
    let dropped = 0;
    for (const acc of this.accumulators) {
      if (acc.timer) clearTimeout(acc.timer);
      acc.timer = undefined;
      dropped += acc.records.length;
      acc.records = [];
      acc.bytes = 0;
    }
    return dropped;
  }

  private seal(partition: number): void {
    const acc = this.accumulators[partition]!;
    if (acc.timer) clearTimeout(acc.timer);
    acc.timer = undefined;
    if (acc.records.length === 0) return;
    const records = acc.records;
    acc.records = [];
    acc.bytes = 0;
    if (partition === this.stickyPartition && this.options.partitionCount > 1) {
      // Kafka's sticky partitioner: a new partition for the next keyless batch.
      let next = Math.floor(Math.random() * (this.options.partitionCount - 1));
      if (next >= partition) next++;
      this.stickyPartition = next;
    }
    this.enqueue(this.makeBatch(partition, records, 0));
  }

  private makeBatch(partition: number, records: OutRecord[], attempts: number, baseSequence?: number): Batch {
    let sequence = baseSequence ?? -1;
    if (this.options.idempotent && baseSequence === undefined) {
      sequence = this.sequences[partition]!;
      this.sequences[partition] = (sequence + records.length) % 0x80000000; // wraps as Kafka's does
    }
    const encoded = encodeRecordBatch(records, {
      compression: this.options.compression,
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: sequence,
    });
    return { partition, records, encoded, attempts, baseSequence: sequence };
  }

  private enqueue(batch: Batch): void {
    this.pendingBatches++;
    this.requeue(batch);
  }

  /** Queues a batch already counted in pendingBatches (a new one or a retry) behind its leader. */
  private requeue(batch: Batch): void {
    this.pendingBytes += batch.encoded.length;
    const leader = this.leaders.get(batch.partition) ?? -1;
    let queue = this.queues.get(leader);
    if (!queue) {
      queue = [];
      this.queues.set(leader, queue);
    }
    queue.push(batch);
    this.pump(leader);
  }

  private settle(batch: Batch): void {
    this.pendingBytes -= batch.encoded.length;
    this.pendingBatches--;
    if (!this.full) for (const wake of this.roomWaiters.splice(0)) wake();
    if (this.pendingBatches === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private pump(leader: number): void {
    const queue = this.queues.get(leader);
    if (!queue || queue.length === 0) return;
    if (leader < 0) {
      // No known leader: refresh, then move the queue where it belongs.
      this.queues.delete(leader);
      void this.refreshLeaders()
        .catch(() => undefined)
        .then(() =>
          setTimeout(() => {
            for (const b of queue) this.retry(b, 'no leader');
          }, RETRY_BACKOFF_MS),
        );
      return;
    }
    while (queue.length > 0 && (this.inFlight.get(leader) ?? 0) < this.options.inFlightMax) {
      // One batch per partition per request keeps each partition's batches in order.
      const taken: Batch[] = [];
      const seen = new Set<number>();
      let bytes = 0;
      for (let i = 0; i < queue.length && bytes < 8 * 1024 * 1024; ) {
        const b = queue[i]!;
        if (seen.has(b.partition)) {
          i++;
          continue;
        }
        seen.add(b.partition);
        taken.push(b);
        bytes += b.encoded.length;
        queue.splice(i, 1);
      }
      this.inFlight.set(leader, (this.inFlight.get(leader) ?? 0) + 1);
      void this.sendRequest(leader, taken).finally(() => {
        this.inFlight.set(leader, (this.inFlight.get(leader) ?? 1) - 1);
        this.pump(leader);
      });
    }
  }

  private async sendRequest(leader: number, batches: Batch[]): Promise<void> {
    const o = this.options;
    let response: Awaited<ReturnType<typeof this.client.send<0>>>;
    try {
      const conn = await this.client.connection({ nodeId: leader });
      const version = Math.min(conn.versionFor(PRODUCE), PRODUCE_VERSION_MAX);
      response = await conn.send(
        PRODUCE,
        {
          transactionalId: null,
          acks: o.acks,
          timeoutMs: o.requestTimeoutMs,
          topicData: [
            {
              name: o.topic,
              partitionData: batches.map((b) => ({ index: b.partition, records: b.encoded })),
            },
          ],
        },
        { version, timeoutMs: o.requestTimeoutMs + 5_000 },
      );
    } catch (error) {
      const message = (error as Error).message;
      await this.refreshLeaders().catch(() => undefined);
      for (const b of batches) this.retry(b, message);
      return;
    }
    if (response === null) {
      for (const b of batches) {
        o.onDelivered(b.records, b.partition, null);
        this.settle(b);
      }
      return;
    }
    const results = new Map<number, (typeof response.responses)[number]['partitionResponses'][number]>();
    for (const t of response.responses) for (const p of t.partitionResponses) results.set(p.index, p);
    let refreshed = false;
    for (const b of batches) {
      const r = results.get(b.partition);
      if (!r) {
        this.retry(b, 'no answer for the partition');
        continue;
      }
      if (r.errorCode === ErrorCode.NONE) {
        o.onDelivered(b.records, b.partition, r.baseOffset);
        this.settle(b);
        continue;
      }
      const info = errorForCode(r.errorCode);
      const message = `${info.name}: ${r.errorMessage ?? info.message}`;
      if (
        (r.errorCode === ErrorCode.MESSAGE_TOO_LARGE || r.errorCode === ErrorCode.RECORD_LIST_TOO_LARGE) &&
        b.records.length > 1 &&
        !o.idempotent
      ) {
        const half = b.records.length >> 1;
        this.settle(b);
        this.enqueue(this.makeBatch(b.partition, b.records.slice(0, half), b.attempts));
        this.enqueue(this.makeBatch(b.partition, b.records.slice(half), b.attempts));
        continue;
      }
      if (info.retriable && b.attempts < o.retriesMax) {
        if (!refreshed) {
          refreshed = true;
          await this.refreshLeaders().catch(() => undefined);
        }
        this.retry(b, message);
        continue;
      }
      o.onFailed(b.records, b.partition, message);
      this.settle(b);
    }
  }

  private retry(batch: Batch, message: string): void {
    if (batch.attempts >= this.options.retriesMax) {
      this.options.onFailed(batch.records, batch.partition, message);
      this.settle(batch);
      return;
    }
    // Still pending for flush(), but not holding buffer room while it waits.
    this.pendingBytes -= batch.encoded.length;
    setTimeout(() => {
      batch.attempts++;
      this.requeue(batch);
    }, RETRY_BACKOFF_MS);
  }
}
