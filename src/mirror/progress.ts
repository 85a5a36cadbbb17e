/**
 * The mirror's two durable records of where it is: offset syncs (on the source, MM2 format) and progress
 * (resume positions, on the target); formats in formats.ts, the reasoning in run.ts.
 *
 * Both writers are serialized (one append in flight), and a sync leaves the queue only once written, so
 * the syncs of a partition land in order and progress is never written past a sync that is not on the
 * source yet: ProgressWriter.flush captures the positions first, then flushes every sync queued so far
 * (which covers those positions), then writes them.
 */
import type { ClusterClient } from '../protocol/client/cluster.js';
import {
  decodeProgress,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
  encodeProgressKey,
  encodeProgressValue,
} from './formats.js';
import { appendRecords, readToEnd } from './internal-topics.js';

interface QueuedSync {
  topic: string;
  partition: number;
  up: bigint;
  down: bigint;
}

/** Runs `fn` after the previous call settled; a failure rejects this call only. */
function serialize(fn: () => Promise<void>): () => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return () => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };
}

export class SyncWriter {
  private readonly queue: QueuedSync[] = [];
  written = 0;

  constructor(
    private readonly source: ClusterClient,
    private readonly topic: string,
    /** Sees every sync as it is queued (the in-memory segment maps). */
    private readonly onPush: (topic: string, partition: number, up: bigint, down: bigint) => void = () => {},
  ) {}

  push(topic: string, partition: number, up: bigint, down: bigint): void {
    this.queue.push({ topic, partition, up, down });
    this.onPush(topic, partition, up, down);
  }

  readonly flush = serialize(async () => {
    if (this.queue.length === 0) return;
    const batch = this.queue.slice();
    await appendRecords(
      this.source,
      this.topic,
      batch.map((s) => ({
        key: encodeOffsetSyncKey(s.topic, s.partition),
        value: encodeOffsetSyncValue(s.up, s.down),
      })),
    );
    this.queue.splice(0, batch.length);
    this.written += batch.length;
  });
}

export interface ProgressPartition {
  topic: string;
  partition: number;
  /** Next source offset to replicate (everything before it is acknowledged on the target). */
  position: bigint;
  progressWritten: bigint;
}

export class ProgressWriter {
  constructor(
    private readonly target: ClusterClient,
    private readonly topic: string,
    private readonly sourceAlias: string,
    private readonly syncs: SyncWriter,
    private readonly partitions: () => Iterable<ProgressPartition>,
  ) {}

  /** Resume positions (next source offset) by `topic\0partition`, read from the progress topic. */
  async load(): Promise<Map<string, bigint>> {
    const resume = new Map<string, bigint>();
    await readToEnd(this.target, this.topic, (k, v) => {
      const entry = decodeProgress(k, v);
      if (entry && entry.cluster === this.sourceAlias) {
        resume.set(`${entry.topic}\u0000${entry.partition}`, entry.offset + 1n);
      }
    });
    return resume;
  }

  readonly flush = serialize(async () => {
    const positions = [...this.partitions()]
      .filter((s) => s.position !== s.progressWritten)
      .map((s) => [s, s.position] as const);
    if (positions.length === 0) return;
    await this.syncs.flush();
    await appendRecords(
      this.target,
      this.topic,
      positions.map(([s, p]) => ({
        key: encodeProgressKey(this.sourceAlias, s.topic, s.partition),
        value: encodeProgressValue(p - 1n),
      })),
    );
    for (const [s, p] of positions) s.progressWritten = p;
  });
}
