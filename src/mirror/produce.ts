/**
 * One Produce (acks=all, not idempotent) of one prepared batch per partition to a target leader (Kafka
 * takes exactly one batch per partition per request), with bounded retries of retriable failures; each
 * partition is acknowledged with the base offset the target assigned. A retry after a lost answer may
 * duplicate (at least once); the caller's offset syncs follow the acknowledged copy, so translation
 * stays exact.
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { errorForCode } from '../errors/kafka.js';
import { KtError } from '../errors/kt-error.js';
import type { ClusterClient } from '../protocol/client/cluster.js';

const PRODUCE = 0;
const PRODUCE_VERSION_MAX = 12;
const RETRIES_MAX = 30;
const BACKOFF_START_MS = 50;
const BACKOFF_MAX_MS = 2_000;
const PRODUCE_TIMEOUT_MS = 30_000;

export interface ProduceItem {
  topic: string;
  partition: number;
  batch: Uint8Array;
}

async function sendOnce(
  client: ClusterClient,
  leader: number,
  items: readonly ProduceItem[],
): Promise<Map<ProduceItem, { errorCode: number; baseOffset: bigint; message: string | null }>> {
  const byTopic = new Map<string, ProduceItem[]>();
  for (const item of items) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item]);
  const conn = await client.connection({ nodeId: leader });
  const response = await conn.send(
    PRODUCE,
    {
      transactionalId: null,
      acks: -1,
      timeoutMs: PRODUCE_TIMEOUT_MS,
      topicData: [...byTopic].map(([name, list]) => ({
        name,
        partitionData: list.map((i) => ({ index: i.partition, records: i.batch })),
      })),
    },
    {
      version: Math.min(conn.versionFor(PRODUCE), PRODUCE_VERSION_MAX),
      timeoutMs: PRODUCE_TIMEOUT_MS + 5_000,
    },
  );
  const results = new Map<ProduceItem, { errorCode: number; baseOffset: bigint; message: string | null }>();
  for (const t of response?.responses ?? []) {
    for (const p of t.partitionResponses) {
      const item = items.find((i) => i.topic === t.name && i.partition === p.index);
      if (item)
        results.set(item, { errorCode: p.errorCode, baseOffset: p.baseOffset, message: p.errorMessage });
    }
  }
  return results;
}

/**
 * Produces `items` to `leader` (re-routing retried partitions to their current leader); calls
 * `onAck(index, baseOffset)` once per item on success; throws a KtError on a non-retriable error or when
 * the retries run out.
 */
export async function produceToLeader(
  client: ClusterClient,
  leader: number,
  items: readonly ProduceItem[],
  onAck: (index: number, baseOffset: bigint) => void,
): Promise<void> {
  let pending = items.map((item, index) => ({ item, index, leader }));
  let backoffMs = BACKOFF_START_MS;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const retry: typeof pending = [];
    let lastProblem = '';
    const groups = new Map<number, typeof pending>();
    for (const p of pending) groups.set(p.leader, [...(groups.get(p.leader) ?? []), p]);
    for (const [node, group] of groups) {
      let results: Awaited<ReturnType<typeof sendOnce>>;
      try {
        results = await sendOnce(
          client,
          node,
          group.map((g) => g.item),
        );
      } catch (error) {
        lastProblem = (error as Error).message;
        retry.push(...group);
        continue;
      }
      for (const g of group) {
        const r = results.get(g.item);
        if (r && r.errorCode === ErrorCode.NONE) {
          onAck(g.index, r.baseOffset);
          continue;
        }
        const e = r ? errorForCode(r.errorCode) : undefined;
        if (e && !e.retriable) {
          throw new KtError(
            'KT_KAFKA',
            `Produce to ${g.item.topic}-${g.item.partition}: ${e.name}: ${r?.message ?? e.message}`,
            {
              kafkaCode: r!.errorCode,
            },
          );
        }
        lastProblem = e ? `${e.name}: ${e.message}` : 'no answer for the partition';
        retry.push(g);
      }
    }
    if (retry.length === 0) return;
    if (attempt >= RETRIES_MAX) {
      throw new KtError(
        'KT_KAFKA',
        `Produce to the target failed after ${RETRIES_MAX} retries: ${lastProblem}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, backoffMs));
    backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
    for (const r of retry) {
      client.invalidateLeaders(r.item.topic);
      r.leader = await client.partitionLeader(r.item.topic, r.item.partition);
    }
    pending = retry;
  }
}
