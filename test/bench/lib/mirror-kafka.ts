// Cluster-side helpers of the mirror benchmark, on kt's protocol client so the same code measures every
// tool: topic create/delete, summed end offsets, a fast pre-fill, a fixed-rate producer whose values carry
// their send time, and a target consumer that turns those values into replication latencies.
import { performance } from 'node:perf_hooks';
import { errorForCode } from '../../../src/errors/kafka.js';
import { partitionOffset } from '../../../src/mirror/internal-topics.js';
import { createTopics } from '../../../src/ops/topics/create.js';
import { deleteTopics } from '../../../src/ops/topics/delete.js';
import { fetchTopicMetadata } from '../../../src/ops/topics/metadata.js';
import { ClusterClient } from '../../../src/protocol/client/cluster.js';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  iterateBatches,
  type RecordInput,
} from '../../../src/protocol/record-batch.js';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const LATEST = -1n;
const PRODUCE_VERSION = 9;
const FETCH_VERSION = 12;
const REQUEST_TIMEOUT_MS = 30_000;
const PRODUCE_ATTEMPTS_MAX = 50;
const PRODUCE_BACKOFF_MS = 100;
/** Kafka's producer default batch.size: the pre-filled source looks like a default producer wrote it. */
export const PREFILL_BATCH_BYTES = 16_384;
/** Produce requests in flight while pre-filling (one batch per partition each). */
const PREFILL_IN_FLIGHT = 8;
/** Distinct random batches per partition the pre-fill cycles through (the broker assigns the offsets). */
const PREFILL_DISTINCT_BATCHES = 16;
const FETCH_PARTITION_BYTES_MAX = 1 << 20;
const FETCH_WAIT_MS_MAX = 500;

export async function connectCluster(bootstrap: string): Promise<ClusterClient> {
  const client = new ClusterClient({ bootstrapServers: [bootstrap] });
  await client.connect();
  return client;
}

/** Creates `topic` with `partitions` partitions (RF 1) and waits until every partition has a leader. */
export async function createTopic(client: ClusterClient, topic: string, partitions: number): Promise<void> {
  await createTopics(client, { names: [topic], partitions, replicationFactor: 1 });
  for (let p = 0; p < partitions; p++) await client.partitionLeader(topic, p);
}

/** Deletes every topic whose name contains `fragment` (internal ones too); returns how many. */
export async function deleteTopicsContaining(client: ClusterClient, fragment: string): Promise<number> {
  const response = await client.refreshMetadata(null);
  const doomed = response.topics.flatMap((t) => (t.name?.includes(fragment) ? [t.name] : []));
  if (doomed.length === 0) return 0;
  await deleteTopics(client, { doomed, absent: [] }, { timeoutMs: 60_000 });
  return doomed.length;
}

/** Partition count of `topic`, or 0 when it does not exist (yet). */
export async function partitionCount(client: ClusterClient, topic: string): Promise<number> {
  const { topics } = await fetchTopicMetadata(client, [topic]);
  return topics[0]?.partitions.length ?? 0;
}

/**
 * End offsets of partitions 0..partitions-1 of `topic` in one ListOffsets (single-broker clusters: one
 * leader). All 0 while the topic or a leader does not exist yet: the tool has not created it.
 */
export async function endOffsetsNow(
  client: ClusterClient,
  topic: string,
  partitions: number,
): Promise<bigint[]> {
  const none = (): bigint[] => Array.from({ length: partitions }, () => 0n);
  let leader: number;
  try {
    leader = await client.partitionLeader(topic, 0);
  } catch {
    client.invalidateLeaders(topic);
    return none();
  }
  const response = await client.send({ nodeId: leader }, LIST_OFFSETS, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [
      {
        name: topic,
        partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
          partitionIndex,
          currentLeaderEpoch: -1,
          timestamp: LATEST,
        })),
      },
    ],
  });
  const offsets = none();
  for (const p of response.topics[0]?.partitions ?? []) {
    if (p.errorCode !== 0) {
      client.invalidateLeaders(topic);
      return none();
    }
    offsets[p.partitionIndex] = p.offset;
  }
  return offsets;
}

/** End offset of every partition (exact, with retries), for where a consumer starts. */
export async function endOffsets(
  client: ClusterClient,
  topic: string,
  partitions: number,
): Promise<bigint[]> {
  return Promise.all(
    Array.from({ length: partitions }, (_, p) => partitionOffset(client, topic, p, 'latest')),
  );
}

/**
 * One Produce (acks=1) of one batch per listed partition. Partitions answering a retriable error are sent
 * again after a short backoff (a real Kafka names a new topic's leader before its logs exist and answers
 * NOT_LEADER_OR_FOLLOWER meanwhile); anything else, or too many attempts, throws.
 */
async function produceBatches(
  client: ClusterClient,
  topic: string,
  batches: ReadonlyMap<number, Uint8Array>,
): Promise<void> {
  let pending = new Map(batches);
  for (let attempt = 1; pending.size > 0; attempt++) {
    const leader = await client.partitionLeader(topic, 0);
    const response = await client.send(
      { nodeId: leader },
      PRODUCE,
      {
        transactionalId: null,
        acks: 1,
        timeoutMs: REQUEST_TIMEOUT_MS,
        topicData: [
          {
            name: topic,
            partitionData: [...pending].map(([index, records]) => ({ index, records })),
          },
        ],
      },
      { version: PRODUCE_VERSION, timeoutMs: REQUEST_TIMEOUT_MS + 5_000 },
    );
    const retry = new Map<number, Uint8Array>();
    for (const p of response?.responses[0]?.partitionResponses ?? []) {
      if (p.errorCode === 0) continue;
      if (!errorForCode(p.errorCode).retriable || attempt >= PRODUCE_ATTEMPTS_MAX) {
        throw new Error(`produce to ${topic}-${p.index}: ${errorForCode(p.errorCode).name}`);
      }
      retry.set(p.index, pending.get(p.index)!);
    }
    if (retry.size > 0) {
      client.invalidateLeaders(topic);
      await new Promise((resolve) => setTimeout(resolve, PRODUCE_BACKOFF_MS));
    }
    pending = retry;
  }
}

/** `bytes` random uppercase letters (like ProducerPerformance's payload: no newline, so kcat can pipe it). */
function randomLetters(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = 65 + Math.floor(Math.random() * 26);
  return out;
}

/** Records of `recordBytes` that fit one PREFILL_BATCH_BYTES batch, at least one. */
export function recordsPerPrefillBatch(recordBytes: number): number {
  // Per record: up to ~12 bytes of varint framing (length, deltas, value length) plus the value; 61 bytes
  // of batch header.
  return Math.max(1, Math.floor((PREFILL_BATCH_BYTES - 61) / (recordBytes + 12)));
}

/**
 * Fills `topic` with `records` key-less records of `recordBytes` random letters, spread evenly over its
 * partitions in uncompressed batches of about 16 KiB. Prepared batches are sent again and again (the broker
 * assigns offsets), so the pre-fill costs little CPU next to what it measures.
 */
export async function prefillTopic(
  client: ClusterClient,
  topic: string,
  partitions: number,
  records: number,
  recordBytes: number,
): Promise<void> {
  const perBatch = recordsPerPrefillBatch(recordBytes);
  const distinct = Array.from({ length: PREFILL_DISTINCT_BATCHES }, () => {
    const inputs: RecordInput[] = Array.from({ length: perBatch }, () => ({
      key: null,
      value: randomLetters(recordBytes),
    }));
    return inputs;
  });
  // Each partition gets ceil/floor of records/partitions; the last batch of a partition may be short.
  const remaining = Array.from(
    { length: partitions },
    (_, p) => Math.floor(records / partitions) + (p < records % partitions ? 1 : 0),
  );
  let round = 0;
  const nextRequest = (): Map<number, Uint8Array> | undefined => {
    const batches = new Map<number, Uint8Array>();
    for (let p = 0; p < partitions; p++) {
      const n = Math.min(perBatch, remaining[p]!);
      if (n === 0) continue;
      remaining[p]! -= n;
      const inputs = distinct[(round + p) % distinct.length]!;
      batches.set(p, encodeRecordBatch(n === perBatch ? inputs : inputs.slice(0, n)));
    }
    round++;
    return batches.size > 0 ? batches : undefined;
  };
  const worker = async (): Promise<void> => {
    for (let batches = nextRequest(); batches; batches = nextRequest()) {
      await produceBatches(client, topic, batches);
    }
  };
  await Promise.all(Array.from({ length: PREFILL_IN_FLIGHT }, worker));
}

/** Microseconds on this process's monotonic clock: producer and consumer share it, so no clock skew. */
export function monotonicUs(): number {
  return Math.round(performance.now() * 1000);
}

/** A latency record's value: its send time in µs as ASCII digits, padded with '.' to `recordBytes`. */
export function latencyValue(sentUs: number, recordBytes: number): Uint8Array {
  const text = String(sentUs);
  return Buffer.from(text.padEnd(Math.max(recordBytes, text.length), '.'));
}

/** The send time carried by a latency record's value, or undefined for anything else (probes). */
export function sentUsOf(value: Uint8Array | null): number | undefined {
  if (value === null) return undefined;
  let end = 0;
  while (end < value.length && value[end]! >= 48 && value[end]! <= 57) end++;
  if (end === 0 || end > 16) return undefined;
  return Number(Buffer.from(value.subarray(0, end)).toString('latin1'));
}

/** One probe record per partition (value 'probe'): shows a tool copies before the measured records flow. */
export async function produceProbes(client: ClusterClient, topic: string, partitions: number): Promise<void> {
  const batches = new Map<number, Uint8Array>();
  for (let p = 0; p < partitions; p++) {
    batches.set(p, encodeRecordBatch([{ key: null, value: Buffer.from('probe') }]));
  }
  await produceBatches(client, topic, batches);
}

export interface FixedRateOptions {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly recordBytes: number;
  readonly partitions: number;
  /** Tick of the send loop; records due by a tick go out in one Produce, one batch per partition. */
  readonly tickMs?: number;
}

/**
 * Produces `records` latency records at a fixed rate, round-robin over the partitions. Each record's value
 * is stamped right before its Produce is sent; waiting for the ack is not part of the latency.
 */
export async function produceAtFixedRate(
  client: ClusterClient,
  topic: string,
  options: FixedRateOptions,
): Promise<void> {
  const tickMs = options.tickMs ?? 10;
  const startMs = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  while (sent < options.records) {
    if (failure !== undefined) throw failure;
    const due = Math.min(
      options.records,
      Math.floor(((performance.now() - startMs) / 1000) * options.recordsPerSec),
    );
    if (due > sent) {
      const sentUs = monotonicUs();
      const perPartition = new Map<number, RecordInput[]>();
      for (let i = sent; i < due; i++) {
        const p = i % options.partitions;
        const list = perPartition.get(p) ?? [];
        if (list.length === 0) perPartition.set(p, list);
        list.push({ key: null, value: latencyValue(sentUs, options.recordBytes) });
      }
      const batches = new Map([...perPartition].map(([p, list]) => [p, encodeRecordBatch(list)]));
      sent = due;
      const request = produceBatches(client, topic, batches).then(
        () => {
          inFlight.delete(request);
        },
        (error: unknown) => {
          failure ??= error;
          inFlight.delete(request);
        },
      );
      inFlight.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
}

export interface LatencyConsumer {
  /** Resolves with one latency (ms) per latency record once `expected` arrived; rejects after timeoutMs. */
  readonly done: Promise<number[]>;
  stop(): void;
}

/**
 * Follows `topic` on the target from `from` (per-partition offsets) with long-poll Fetches (minBytes 1, so
 * the broker answers as soon as a record lands) and records receive time − send time for every value that
 * carries a send time.
 */
export function consumeLatencies(
  client: ClusterClient,
  topic: string,
  from: readonly bigint[],
  expected: number,
  timeoutMs: number,
): LatencyConsumer {
  let stopped = false;
  const latenciesMs: number[] = [];
  const next = [...from];
  const run = async (): Promise<number[]> => {
    const deadline = performance.now() + timeoutMs;
    const leader = await client.partitionLeader(topic, 0);
    while (!stopped && latenciesMs.length < expected) {
      if (performance.now() > deadline) {
        throw new Error(
          `latency consumer: ${latenciesMs.length} of ${expected} records after ${timeoutMs} ms`,
        );
      }
      const response = await client.send(
        { nodeId: leader },
        FETCH,
        {
          replicaId: -1,
          maxWaitMs: FETCH_WAIT_MS_MAX,
          minBytes: 1,
          maxBytes: FETCH_PARTITION_BYTES_MAX * next.length,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            {
              topic,
              partitions: next.map((fetchOffset, partition) => ({
                partition,
                currentLeaderEpoch: -1,
                fetchOffset,
                lastFetchedEpoch: -1,
                logStartOffset: -1n,
                partitionMaxBytes: FETCH_PARTITION_BYTES_MAX,
              })),
            },
          ],
        },
        { version: FETCH_VERSION, timeoutMs: REQUEST_TIMEOUT_MS },
      );
      const receivedUs = monotonicUs();
      for (const p of response.responses[0]?.partitions ?? []) {
        if (p.errorCode !== 0)
          throw new Error(`fetch ${topic}-${p.partitionIndex}: Kafka error ${p.errorCode}`);
        for (const batch of iterateBatches(p.records ?? new Uint8Array(0))) {
          const decoded = decodeRecordBatch(batch);
          for (const record of decoded.records) {
            if (record.offset < next[p.partitionIndex]!) continue;
            const sentUs = sentUsOf(record.value);
            if (sentUs !== undefined) latenciesMs.push((receivedUs - sentUs) / 1000);
            next[p.partitionIndex] = record.offset + 1n;
          }
        }
      }
    }
    return latenciesMs;
  };
  return {
    done: run(),
    stop() {
      stopped = true;
    },
  };
}
