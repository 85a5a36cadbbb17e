// Steps the mirror integration tests share: test records, a produce that waits out a just-created topic's
// missing leader, a mirror run until a condition holds, transactional and compacted source topics, the
// target's checkpoints, and `kt` (bin/dev.js) as a process.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { type Checkpoint, checkpointsTopic, decodeCheckpoint } from '../../src/mirror/formats.js';
import { readToEnd } from '../../src/mirror/internal-topics.js';
import { type MirrorOptions, type MirrorSummary, runMirror } from '../../src/mirror/run.js';
import { createTopics } from '../../src/ops/topics/create.js';
import { fetchTopicMetadata } from '../../src/ops/topics/metadata.js';
import type { ClusterClient } from '../../src/protocol/client/cluster.js';
import type { CompressionCodec, RecordInput } from '../../src/protocol/record-batch.js';
import { producePartition as produceOnce, readPartition, type SimpleRecord, waitFor } from './helpers.js';

const PRODUCE_ATTEMPTS_MAX = 30;
const PRODUCE_RETRY_DELAY_MS = 200;

/**
 * producePartition, asked again while a just-created topic's leader is not known everywhere yet (a real
 * Kafka answers NOT_LEADER_OR_FOLLOWER (6) or LEADER_NOT_AVAILABLE (5) for a moment after CreateTopics).
 */
export async function producePartition(
  client: ClusterClient,
  topic: string,
  partition: number,
  batch: readonly RecordInput[],
  compression?: CompressionCodec,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await produceOnce(client, topic, partition, batch, compression);
    } catch (error) {
      if (attempt >= PRODUCE_ATTEMPTS_MAX || !/error (5|6)$/.test((error as Error).message)) throw error;
      client.invalidateLeaders(topic);
      await new Promise((resolve) => setTimeout(resolve, PRODUCE_RETRY_DELAY_MS));
    }
  }
}

/** `n` records with keys (every 4th null), two headers and timestamps a minute old, increasing. */
export function records(n: number, tag: string): RecordInput[] {
  const now = BigInt(Date.now()) - 60_000n;
  return Array.from({ length: n }, (_, i) => ({
    key: i % 4 === 0 ? null : Buffer.from(`${tag}-key-${i}`),
    value: Buffer.from(`${tag}-value-${i}`),
    headers: [
      { key: 'seq', value: Buffer.from(String(i)) },
      { key: 'nil', value: null },
    ],
    // Recent (no retention pass removes them mid-test) and increasing: --from-source-offset seeks the
    // target by the smallest compared timestamp.
    timestamp: now + BigInt(i),
  }));
}

/** `n` plain records: key `TAG-kI`, value `TAG-I`. */
export function values(n: number, tag: string): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: Buffer.from(`${tag}-k${i}`),
    value: Buffer.from(`${tag}-${i}`),
  }));
}

/** Records in a partition, 0 while the topic or the partition does not exist (yet). */
export async function recordCount(client: ClusterClient, topic: string, partition: number): Promise<number> {
  const { topics } = await fetchTopicMetadata(client, [topic]);
  if ((topics[0]?.partitions.length ?? 0) <= partition) return 0;
  return (await readPartition(client, topic, partition)).records.length;
}

/**
 * runMirror until `until()` holds, then stop it and return its summary. A failure of the mirror ends the
 * wait at once (instead of a timeout or an unhandled rejection); the mirror has stopped when this returns.
 */
export async function mirrorUntil(
  options: Omit<MirrorOptions, 'signal'>,
  what: string,
  until: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<MirrorSummary> {
  const controller = new AbortController();
  let failure: unknown;
  const run = runMirror({ ...options, signal: controller.signal });
  run.catch((error: unknown) => {
    failure = error;
  });
  try {
    await waitFor(
      what,
      async () => {
        if (failure) throw failure;
        return until();
      },
      timeoutMs,
    );
  } finally {
    controller.abort();
    await run.catch(() => undefined);
  }
  return run;
}

/**
 * Real Kafka only: three transactions on partition 0 of an existing topic: committed a,b,c (offsets 0-2,
 * marker 3), aborted x,y (4-5, marker 6), committed d,e (7-8, marker 9).
 */
export async function produceTransactions(bootstrap: string, topic: string): Promise<void> {
  const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({
    transactionalId: `tx-${topic}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    for (const [batch, commit] of [
      [['a', 'b', 'c'], true],
      [['x', 'y'], false],
      [['d', 'e'], true],
    ] as const) {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: batch.map((value) => ({ value, partition: 0 })) });
      await (commit ? tx.commit() : tx.abort());
    }
  } finally {
    await producer.disconnect();
  }
}

const hasGap = (list: readonly SimpleRecord[]) =>
  list.some((r, i) => i > 0 && r.offset !== list[i - 1]!.offset + 1n);

/**
 * A one-partition compacted topic on a compacting embedded source (pairs.ts `compactingSource`): 30 rounds
 * of two records (keys k0-k2 superseded, u0-u29 not), compressed by `codec(round)`; returns once the cleaner
 * left an offset gap (with `settle`, once two reads half a second apart agree too) with the records read.
 */
export async function produceCompactionGaps(
  client: ClusterClient,
  topic: string,
  {
    codec = () => 'none',
    settle = false,
  }: { codec?: (round: number) => CompressionCodec; settle?: boolean } = {},
): Promise<SimpleRecord[]> {
  await createTopics(client, {
    names: [topic],
    partitions: 1,
    configs: {
      'cleanup.policy': 'compact',
      'segment.bytes': '1024',
      'min.cleanable.dirty.ratio': '0.01',
      'segment.ms': '100',
    },
  });
  for (let i = 0; i < 30; i++) {
    const pair = [
      { key: Buffer.from(`k${i % 3}`), value: Buffer.from(`v${i}`) },
      { key: Buffer.from(`u${i}`), value: Buffer.from(`w${i}`) },
    ];
    await producePartition(client, topic, 0, pair, codec(i));
  }
  let seen: SimpleRecord[] = [];
  await waitFor('compaction gaps', async () => {
    seen = (await readPartition(client, topic, 0)).records;
    return hasGap(seen);
  });
  if (!settle) return seen;
  // The cleaner may take more than one pass: wait until the log stops changing.
  const offsets = (list: readonly SimpleRecord[]) => list.map((r) => r.offset).join();
  await waitFor('compaction to settle', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = (await readPartition(client, topic, 0)).records;
    const same = offsets(again) === offsets(seen);
    seen = again;
    return same;
  });
  return seen;
}

/** Every checkpoint record on the target for source alias `alias`, in log order. */
export async function readCheckpoints(target: ClusterClient, alias: string): Promise<Checkpoint[]> {
  const out: Checkpoint[] = [];
  await readToEnd(target, checkpointsTopic(alias), (k, v) => out.push(decodeCheckpoint(k, v)));
  return out;
}

const KT_DEV = fileURLToPath(new URL('../../bin/dev.js', import.meta.url));

export interface KtDevProcess {
  child: ChildProcess;
  /** What the process wrote so far (empty with `quiet`). */
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code once it exited. */
  closed: Promise<number | null>;
}

/** `kt ARGS` from the sources (bin/dev.js through tsx); `quiet` discards its output. */
export function spawnKtDev(
  args: readonly string[],
  { env = {}, quiet = false }: { env?: Record<string, string>; quiet?: boolean } = {},
): KtDevProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', KT_DEV, ...args], {
    stdio: quiet ? 'ignore' : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    out.stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out.stderr += d.toString();
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
    closed,
  };
}
