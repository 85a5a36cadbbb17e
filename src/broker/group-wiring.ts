/**
 * The broker's classic group coordinator (src/broker/groups) wired to its storage and settings.
 *
 * Behavior:
 * - On start the internal topic `__consumer_offsets` is created if missing (offsets.topic.num.partitions
 *   partitions, cleanup.policy=compact, segment.bytes 100 MiB as Kafka's offsets.topic.segment.bytes,
 *   internal), as Kafka lays it out on disk; an existing one is reused as is. In memory (--in-memory) it
 *   lives on the in-memory fs like every other log.
 * - The broker's background pass (TopicManager, every log.retention.check.interval.ms) compacts it like
 *   any compacted topic (closed segments only, last record per key kept), so the log and the replay at
 *   start-up stay proportional to the live offsets rather than to every commit ever made.
 * - Every group's records go to partition 0 (one node coordinates every group, so spreading groups over
 *   partitions would only make start-up replay several logs); the other partitions stay empty.
 * - The coordinator replays the log in the background (`loaded`); until then every group request gets
 *   COORDINATOR_LOAD_IN_PROGRESS from the coordinator itself, so the listener opens without waiting.
 * - Commits are acknowledged after the log append; with log.flush.interval.messages=1 (or the topic's
 *   flush.messages=1) also after an fsync, so acknowledged offsets survive a machine crash.
 * - Session timeouts are bounded by group.min/max.session.timeout.ms, the first rebalance waits
 *   group.initial.rebalance.delay.ms, offsets expire after offsets.retention.minutes — read at start.
 * - close() stops timers and answers parked requests with NOT_COORDINATOR; the log is closed with the
 *   other topics afterwards.
 */
import type { BrokerSettings } from './config.js';
import { GroupCoordinator, KeyValueGroupStore, LogKeyValueLog, type PartitionLog } from './groups/index.js';
import type { TopicManager } from './topics.js';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';
/** Kafka's offsets.topic.segment.bytes default: small enough for compaction to find closed segments. */
const OFFSETS_SEGMENT_BYTES = 104_857_600;

export interface BrokerGroupsOptions {
  topics: TopicManager;
  settings: BrokerSettings;
  log: (line: string) => void;
}

export class BrokerGroups {
  readonly coordinator: GroupCoordinator;
  /** Resolves once the coordinator has replayed __consumer_offsets (never rejects: failures are logged). */
  readonly loaded: Promise<void>;

  private constructor(options: BrokerGroupsOptions) {
    const { topics, settings, log } = options;
    const topic =
      topics.get(CONSUMER_OFFSETS_TOPIC) ??
      topics.create({
        name: CONSUMER_OFFSETS_TOPIC,
        numPartitions: Math.max(1, settings['offsets.topic.num.partitions']),
        replicationFactor: 1,
        configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(OFFSETS_SEGMENT_BYTES) },
        internal: true,
      });
    const partition = topic.partitions[0]!;
    const partitionLog: PartitionLog = {
      get logStartOffset() {
        return partition.logStartOffset;
      },
      get logEndOffset() {
        return partition.logEndOffset;
      },
      // Partition.append moves the high watermark and wakes fetches, as for any other topic.
      append: (records) => partition.append(records),
      flush: () => partition.log.flush(),
      read: (offset, maxBytes) => partition.log.read(offset, maxBytes),
    };
    const flushEachAppend = partition.log.config.flushMessagesInterval <= 1;
    const store = new KeyValueGroupStore(new LogKeyValueLog(partitionLog, { flushEachAppend }));
    this.coordinator = new GroupCoordinator({
      store,
      initialRebalanceDelayMs: settings['group.initial.rebalance.delay.ms'],
      minSessionTimeoutMs: settings['group.min.session.timeout.ms'],
      maxSessionTimeoutMs: settings['group.max.session.timeout.ms'],
      offsetsRetentionMs: settings['offsets.retention.minutes'] * 60_000,
      partitionExists: (name, index) => topics.partition(name, index) !== undefined,
      logger: { warn: (message) => log(`groups: ${message}`) },
    });
    this.loaded = this.coordinator.load().catch((error: unknown) => {
      // The coordinator keeps answering COORDINATOR_LOAD_IN_PROGRESS: clients retry, nothing is lost.
      log(`groups: could not load ${CONSUMER_OFFSETS_TOPIC}-0: ${String(error)}`);
    });
  }

  /** Creates __consumer_offsets if needed and starts replaying it. */
  static start(options: BrokerGroupsOptions): BrokerGroups {
    return new BrokerGroups(options);
  }

  close(): void {
    this.coordinator.close();
  }
}

/** How Kafka prints a member's host in DescribeGroups ('/127.0.0.1'), from a socket's remote address. */
export function clientHostOf(remoteAddress: string): string {
  return `/${remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress}`;
}
