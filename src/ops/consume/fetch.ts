/**
 * The fetch loop of `kt consume` (no group): one Fetch in flight per leader over the protocol core's
 * connection, batches decoded with decodeRecordBatch (CRC checked), records handed to `onRecord` in
 * offset order per partition. Control batches are skipped; read_committed drops aborted transactions
 * from the aborted-transactions list as Kafka's consumer does.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { errorForCode } from '../../errors/kafka.js';
import { KtError } from '../../errors/kt-error.js';
import type { ConsumedRecord } from '../../format/jsonl.js';
import {
  ATTR_TIMESTAMP_TYPE_LOG_APPEND,
  ATTR_TRANSACTIONAL,
  readBatchHeader,
} from '../../protocol/batch-header.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import {
  decodeControlRecord,
  decodeRecordBatch,
  isControlBatch,
  iterateBatches,
} from '../../protocol/record-batch.js';
import { EARLIEST, listOffsets, type Range } from './positions.js';

const FETCH = 1;
/** Fetch v13+ addresses topics by id. */
const FETCH_VERSION_MAX = 12;
const RETRY_BACKOFF_MS = 200;

export interface FetchLoopOptions {
  isolationLevel: number;
  /** Long-poll wait of each Fetch. */
  maxWaitMs: number;
  fetchBytesMax: number;
  partitionBytesMax: number;
  /** Returns false to stop everything (max messages reached, stdout closed). */
  onRecord: (r: ConsumedRecord) => boolean;
  /** After each fetch response was handled (flush output here). */
  afterFetch: () => Promise<void>;
  /** True once the caller wants to stop (SIGINT, idle timeout). */
  stopped: () => boolean;
}

/** Runs until every range reached its end (or forever when following), or until stopped. */
export async function fetchLoop(
  client: ClusterClient,
  ranges: Range[],
  options: FetchLoopOptions,
): Promise<void> {
  const isDone = (r: Range): boolean => r.end !== undefined && r.next >= r.end;
  let halt = false;
  // A leader change (or another retriable partition error) ends every per-leader loop; leaders are then
  // looked up again and the loops restart from where each partition got to.
  let regroup = false;
  for (;;) {
    const active = ranges.filter((r) => !isDone(r));
    const byLeader = new Map<number, Range[]>();
    for (const r of active) byLeader.set(r.ref.leader, [...(byLeader.get(r.ref.leader) ?? []), r]);
    regroup = false;
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        while (!halt && !regroup && !options.stopped()) {
          const open = list.filter((r) => !isDone(r));
          if (open.length === 0) return;
          const conn = await client.connection({ nodeId: leader });
          const version = Math.min(conn.versionFor(FETCH), FETCH_VERSION_MAX);
          const topics = new Map<string, Range[]>();
          for (const r of open) topics.set(r.ref.topic, [...(topics.get(r.ref.topic) ?? []), r]);
          const response = await conn.send(
            FETCH,
            {
              replicaId: -1,
              maxWaitMs: options.maxWaitMs,
              minBytes: 1,
              maxBytes: options.fetchBytesMax,
              isolationLevel: options.isolationLevel,
              sessionId: 0,
              sessionEpoch: -1,
              topics: [...topics].map(([topic, rs]) => ({
                topic,
                partitions: rs.map((r) => ({
                  partition: r.ref.partition,
                  currentLeaderEpoch: -1,
                  fetchOffset: r.next,
                  lastFetchedEpoch: -1,
                  logStartOffset: -1n,
                  partitionMaxBytes: options.partitionBytesMax,
                })),
              })),
            },
            { version, timeoutMs: options.maxWaitMs + 30_000 },
          );
          if (response.errorCode !== ErrorCode.NONE) {
            const e = errorForCode(response.errorCode);
            throw new KtError('KT_KAFKA', `Fetch: ${e.name}: ${e.message}`, {
              kafkaCode: response.errorCode,
            });
          }
          for (const t of response.responses) {
            for (const p of t.partitions) {
              const range = open.find((r) => r.ref.topic === t.topic && r.ref.partition === p.partitionIndex);
              if (!range) continue;
              if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
                // Retention deleted what we were about to read: continue from the log start, as kcat does.
                const lo = await listOffsets(client, [range.ref], () => EARLIEST, options.isolationLevel);
                range.next = lo.get(range.ref) ?? range.next;
                continue;
              }
              if (p.errorCode !== ErrorCode.NONE) {
                const e = errorForCode(p.errorCode);
                if (e.retriable) {
                  regroup = true;
                  continue;
                }
                throw new KtError(
                  'KT_KAFKA',
                  `Fetch ${t.topic}-${p.partitionIndex}: ${e.name}: ${e.message}`,
                  {
                    kafkaCode: p.errorCode,
                  },
                );
              }
              if (!p.records || p.records.length === 0) continue;
              if (!handleRecords(range, t.topic, p.records, p.abortedTransactions, options)) halt = true;
              if (halt) break;
            }
            if (halt) break;
          }
          await options.afterFetch();
        }
      }),
    );
    if (!regroup || halt || options.stopped()) return;
    await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS));
    for (const r of ranges) client.invalidateLeaders(r.ref.topic);
    for (const r of ranges.filter((x) => !isDone(x))) {
      r.ref.leader = await client.partitionLeader(r.ref.topic, r.ref.partition).catch(() => r.ref.leader);
    }
  }
}

function handleRecords(
  range: Range,
  topic: string,
  records: Uint8Array,
  aborted: { producerId: bigint; firstOffset: bigint }[] | null,
  options: FetchLoopOptions,
): boolean {
  const pendingAborts =
    options.isolationLevel === 1 && aborted
      ? [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
      : [];
  const abortedProducers = new Set<bigint>();
  for (const batch of iterateBatches(records)) {
    const header = readBatchHeader(batch);
    const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
    if (lastOffset < range.next) continue;
    while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= lastOffset) {
      abortedProducers.add(pendingAborts.shift()!.producerId);
    }
    if (isControlBatch(header)) {
      if (abortedProducers.has(header.producerId)) {
        const decoded = decodeRecordBatch(batch);
        const first = decoded.records[0];
        if (first && decodeControlRecord(first).type === 'abort') abortedProducers.delete(header.producerId);
      }
      range.next = lastOffset + 1n;
      continue;
    }
    if ((header.attributes & ATTR_TRANSACTIONAL) !== 0 && abortedProducers.has(header.producerId)) {
      range.next = lastOffset + 1n;
      continue;
    }
    const decoded = decodeRecordBatch(batch);
    const timestampType =
      (header.attributes & ATTR_TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? 'log-append' : 'create';
    for (const rec of decoded.records) {
      if (rec.offset < range.next) continue;
      if (range.end !== undefined && rec.offset >= range.end) {
        range.next = range.end;
        return true;
      }
      range.next = rec.offset + 1n;
      const keep = options.onRecord({
        topic,
        partition: range.ref.partition,
        offset: rec.offset,
        timestamp: rec.timestamp,
        timestampType,
        key: rec.key,
        value: rec.value,
        headers: rec.headers,
      });
      if (!keep) return false;
    }
    // Compaction can leave a batch whose last records are gone: its lastOffsetDelta still counts.
    if (range.next <= lastOffset) range.next = lastOffset + 1n;
  }
  return true;
}
