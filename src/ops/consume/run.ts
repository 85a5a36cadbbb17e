/**
 * `kt consume`: resolves partitions and positions, runs the fetch loop (alone or as a group member),
 * filters, writes records to stdout, and stops on --exit (every partition reached the high watermark it
 * had at start, empty and idle ones included), --max-messages, --timeout-ms of idleness, SIGINT (after
 * committing, in a group) or a closed stdout (quietly).
 */
import type { Writable } from 'node:stream';
import type { EndBound, StartPosition } from '../../cli/time.js';
import type { ConsumedRecord } from '../../format/jsonl.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { fetchLoop } from './fetch.js';
import { combineFilters } from './filter.js';
import { GroupMember } from './group.js';
import { type PartitionRef, type Range, resolvePartitions, resolveRanges } from './positions.js';
import { type OutputMode, RecordWriter } from './writer.js';

export interface ConsumeOptions {
  topics: string[];
  regex?: string;
  partitions?: number[];
  /** Undefined: latest (or the group's committed offsets). */
  start?: StartPosition;
  end?: EndBound;
  group?: string;
  maxMessages?: number;
  exit: boolean;
  idleTimeoutMs?: number;
  isolationLevel: 0 | 1;
  filters: string[];
  output: OutputMode;
}

export interface ConsumeResult {
  records: number;
  elapsedMs: number;
  /** Why it stopped. */
  reason: 'end' | 'max-messages' | 'idle' | 'signal' | 'stdout-closed';
}

export interface ConsumeIo {
  stdout: Writable;
  /** Resolves... never; calling `stop()` asks the loop to end (SIGINT). */
  onStop: (stop: () => void) => void;
}

const COMMIT_INTERVAL_MS = 5_000;

export async function runConsume(
  client: ClusterClient,
  options: ConsumeOptions,
  io: ConsumeIo,
): Promise<ConsumeResult> {
  const started = performance.now();
  const writer = new RecordWriter(io.stdout, options.output);
  const filter = combineFilters(options.filters);
  let count = 0;
  let reason: ConsumeResult['reason'] = 'end';
  let stop = false;
  let lastActivity = performance.now();
  io.onStop(() => {
    stop = true;
    reason = 'signal';
  });
  const idleTimer =
    options.idleTimeoutMs === undefined
      ? undefined
      : setInterval(
          () => {
            if (performance.now() - lastActivity > options.idleTimeoutMs!) {
              stop = true;
              reason = 'idle';
            }
          },
          Math.min(100, options.idleTimeoutMs),
        );

  let sawRecords = false;
  const onRecord = (r: ConsumedRecord): boolean => {
    sawRecords = true;
    if (filter && !filter(r)) return true;
    count++;
    writer.write(r);
    if (options.maxMessages !== undefined && count >= options.maxMessages) {
      reason = 'max-messages';
      return false;
    }
    if (writer.closed) {
      reason = 'stdout-closed';
      return false;
    }
    return true;
  };

  const refsAll = await resolvePartitions(client, options.topics, options.regex, options.partitions);
  const end: EndBound | undefined = options.end ?? (options.exit ? { kind: 'end' } : undefined);
  const fetchOptions = (stopped: () => boolean, afterFetch: () => Promise<void>) => ({
    isolationLevel: options.isolationLevel,
    maxWaitMs: 500,
    fetchBytesMax: 52_428_800,
    partitionBytesMax: 8 * 1024 * 1024,
    onRecord,
    afterFetch: async () => {
      if (sawRecords) lastActivity = performance.now();
      sawRecords = false;
      await writer.flush();
      if (writer.closed) {
        reason = 'stdout-closed';
        stop = true;
      }
      await afterFetch();
    },
    stopped,
  });
  const done = (): boolean => stop || reason !== 'end';

  try {
    if (options.maxMessages === 0) return { records: 0, elapsedMs: 0, reason: 'max-messages' };
    if (options.group === undefined) {
      const ranges = await resolveRanges(
        client,
        refsAll,
        options.start ?? { kind: 'latest' },
        end,
        options.isolationLevel,
      );
      await fetchLoop(
        client,
        ranges,
        fetchOptions(done, async () => {}),
      );
    } else {
      await consumeAsGroup(client, options, refsAll, end, done, fetchOptions);
    }
    await writer.flush();
  } finally {
    if (idleTimer) clearInterval(idleTimer);
  }
  if (writer.error) throw writer.error;
  if (writer.closed && (reason as ConsumeResult['reason']) !== 'max-messages') reason = 'stdout-closed';
  return { records: count, elapsedMs: performance.now() - started, reason };
}

async function consumeAsGroup(
  client: ClusterClient,
  options: ConsumeOptions,
  refsAll: PartitionRef[],
  end: EndBound | undefined,
  done: () => boolean,
  fetchOptions: (stopped: () => boolean, afterFetch: () => Promise<void>) => Parameters<typeof fetchLoop>[2],
): Promise<void> {
  const topics = [...new Set(refsAll.map((r) => r.topic))];
  const counts = new Map<string, number>();
  for (const r of refsAll) counts.set(r.topic, Math.max(counts.get(r.topic) ?? 0, r.partition + 1));
  const member = new GroupMember(client, options.group!, topics);
  /** --exit: each partition's end is fixed the first time this member sees it. */
  const endByPartition = new Map<string, bigint | undefined>();
  try {
    for (;;) {
      const assigned = await member.join(counts);
      const refs = refsAll.filter((r) =>
        assigned.some((a) => a.topic === r.topic && a.partition === r.partition),
      );
      if (refs.length === 0 && options.exit) return;
      const committed = await member.committed(refs);
      const fallback = await resolveRanges(
        client,
        refs,
        options.start ?? { kind: 'latest' },
        end,
        options.isolationLevel,
      );
      const ranges: Range[] = fallback.map((range) => {
        const c = committed.get(range.ref) ?? -1n;
        const key = `${range.ref.topic}:${range.ref.partition}`;
        if (!endByPartition.has(key)) endByPartition.set(key, range.end);
        // An explicit --offset wins over the committed offset; otherwise resume where the group left off.
        const next = options.start === undefined && c >= 0n ? c : range.next;
        return { ref: range.ref, next, end: endByPartition.get(key) };
      });
      let lastCommit = performance.now();
      const commitNow = () => member.commit(ranges.map((r) => ({ ref: r.ref, next: r.next })));
      await fetchLoop(
        client,
        ranges,
        fetchOptions(
          () => done() || member.rebalanceNeeded,
          async () => {
            if (performance.now() - lastCommit > COMMIT_INTERVAL_MS) {
              lastCommit = performance.now();
              await commitNow();
            }
          },
        ),
      );
      await commitNow();
      if (!member.rebalanceNeeded || done()) return;
    }
  } finally {
    await member.leave();
  }
}
