/**
 * The broker's topics: names, ids, partition counts and config overrides, and the Log of every
 * partition in Kafka's on-disk layout under one log directory:
 *
 *   <dataDir>/meta.properties                     version, node.id, cluster.id (Kafka's format)
 *   <dataDir>/kt-topics.json                      topic metadata (kt's own; written atomically)
 *   <dataDir>/<topic>-<partition>/…                segments and indexes (src/log)
 *   <dataDir>/recovery-point-offset-checkpoint     and log-start-offset-checkpoint,
 *   <dataDir>/replication-offset-checkpoint        Kafka's text checkpoint formats
 *   <dataDir>/.kafka_cleanshutdown                 present only after a clean stop
 *
 * kt-topics.json: {"version":1,"topics":[{"name","topicId","partitions","configs":{…},"internal"}]}.
 * Readers accept version 1 only; a newer file is refused rather than misread.
 *
 * Thread-safety: synchronous, on the broker's event loop.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ErrorCode } from '../errors/codes.generated.js';
import { ProtocolError } from '../errors/kafka.js';
import {
  CLEAN_SHUTDOWN_MARKER,
  LOG_START_OFFSET_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_OFFSET_CHECKPOINT,
  readOffsetCheckpoint,
  type TopicPartitionOffset,
  writeOffsetCheckpoint,
} from '../log/checkpoint.js';
import { compactLog } from '../log/compaction.js';
import { type LogConfig, logConfigFromKafka } from '../log/config.js';
import { type LogFs, writeFileAtomic } from '../log/fs.js';
import { Log } from '../log/log.js';
import { MemFs } from '../log/mem-fs.js';
import { applyRetention } from '../log/retention.js';
import { uuidToString, ZERO_UUID } from '../protocol/reader.js';
import type { BrokerSettings } from './config.js';
import { Partition } from './partition.js';
import { LOG_CONFIG_NAMES, topicConfigDefault, validateTopicConfig } from './topic-configs.js';

export const TOPICS_FILE = 'kt-topics.json';
export const META_PROPERTIES = 'meta.properties';
/** Kafka's limit: 249 characters (255 minus room for the partition suffix and ".deleted"). */
export const TOPIC_NAME_LENGTH_MAX = 249;

export interface Topic {
  readonly name: string;
  readonly topicId: string;
  readonly internal: boolean;
  /** Config overrides set on the topic (not defaults). */
  configs: Record<string, string>;
  partitions: Partition[];
}

export interface CreateTopicSpec {
  name: string;
  /** -1 = the broker's num.partitions. */
  numPartitions: number;
  /** -1 = the broker's default.replication.factor. */
  replicationFactor: number;
  configs: Record<string, string | null>;
  /** Explicit assignment: partition → broker ids (only this broker on one node). */
  assignments?: number[][];
  internal?: boolean;
}

export interface TopicManagerOptions {
  /** The log directory; ignored for in-memory brokers. */
  dataDir: string;
  fs: LogFs;
  settings: BrokerSettings;
  clusterId: string;
  nowMs?: () => number;
  log: (line: string) => void;
}

/** Why a topic name is invalid (Kafka's rules), or undefined. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return `Topic name cannot be "." or ".."`;
  if (name.length > TOPIC_NAME_LENGTH_MAX) {
    return `Topic name is illegal, it can't be longer than ${TOPIC_NAME_LENGTH_MAX} characters, topic name: ${name}`;
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return undefined;
}

export class TopicManager {
  private readonly topics = new Map<string, Topic>();
  private options: TopicManagerOptions;
  private backgroundTimer: NodeJS.Timeout | undefined;
  readonly dataDir: string;
  readonly fs: LogFs;

  private constructor(options: TopicManagerOptions) {
    this.options = options;
    this.dataDir = options.dataDir;
    this.fs = options.fs;
  }

  /** Opens the log directory: recovers every partition (fast after a clean shutdown) and loads topics. */
  static open(options: TopicManagerOptions): TopicManager {
    const manager = new TopicManager(options);
    manager.load();
    return manager;
  }

  private load(): void {
    const { fs, dataDir } = this;
    fs.mkdirp(dataDir);
    this.writeMetaProperties();
    const path = `${dataDir}/${TOPICS_FILE}`;
    if (!fs.exists(path)) return;
    const file = JSON.parse(new TextDecoder().decode(fs.readFile(path))) as {
      version: number;
      topics: Array<{
        name: string;
        topicId: string;
        partitions: number;
        configs: Record<string, string>;
        internal?: boolean;
      }>;
    };
    if (file.version !== 1) throw new Error(`${path} has version ${file.version}; this kt reads version 1`);
    const marker = `${dataDir}/${CLEAN_SHUTDOWN_MARKER}`;
    const clean = fs.exists(marker);
    const recovery = offsetsByPartition(readOffsetCheckpoint(fs, dataDir, RECOVERY_POINT_CHECKPOINT));
    const starts = offsetsByPartition(readOffsetCheckpoint(fs, dataDir, LOG_START_OFFSET_CHECKPOINT));
    const hws = offsetsByPartition(readOffsetCheckpoint(fs, dataDir, REPLICATION_OFFSET_CHECKPOINT));
    for (const t of file.topics) {
      const topic: Topic = {
        name: t.name,
        topicId: t.topicId,
        internal: t.internal ?? false,
        configs: t.configs,
        partitions: [],
      };
      for (let p = 0; p < t.partitions; p++) {
        const key = `${t.name}-${p}`;
        topic.partitions.push(
          this.openPartition(topic, p, {
            cleanShutdown: clean,
            ...(recovery.has(key) ? { recoveryPoint: recovery.get(key)! } : {}),
            ...(starts.has(key) ? { logStartOffset: starts.get(key)! } : {}),
            ...(hws.has(key) ? { highWatermark: hws.get(key)! } : {}),
          }),
        );
      }
      this.topics.set(t.name, topic);
    }
    // From now on a crash is unclean until the next clean close writes the marker again.
    if (clean) fs.unlink(marker);
  }

  private writeMetaProperties(): void {
    const path = `${this.dataDir}/${META_PROPERTIES}`;
    if (this.fs.exists(path)) return;
    const text = `#kt embedded broker\nversion=1\nnode.id=${this.options.settings['node.id']}\ncluster.id=${this.options.clusterId}\n`;
    writeFileAtomic(this.fs, this.dataDir, META_PROPERTIES, new TextEncoder().encode(text));
  }

  private openPartition(
    topic: Topic,
    index: number,
    state: {
      cleanShutdown?: boolean;
      recoveryPoint?: bigint;
      logStartOffset?: bigint;
      highWatermark?: bigint;
    } = {},
  ): Partition {
    const log = Log.open({
      dir: `${this.dataDir}/${topic.name}-${index}`,
      fs: this.fs,
      config: this.logConfigOf(topic.configs),
      ...(this.options.nowMs ? { nowMs: this.options.nowMs } : {}),
      ...state,
    });
    log.onBackgroundError = (error) => this.options.log(`log ${topic.name}-${index}: ${error.message}`);
    return new Partition(topic.name, index, log);
  }

  /** The log core's settings for a topic: broker defaults overlaid with the topic's overrides. */
  logConfigOf(overrides: Record<string, string>): LogConfig {
    const props: Record<string, string> = {};
    for (const name of LOG_CONFIG_NAMES) {
      props[name] = overrides[name] ?? topicConfigDefault(name, this.options.settings)!;
    }
    return logConfigFromKafka(props);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[index];
  }

  /** Validates a create without side effects; throws ProtocolError with Kafka's code and message. */
  checkCreate(spec: CreateTopicSpec): void {
    const nameProblem = topicNameProblem(spec.name);
    if (nameProblem) throw new ProtocolError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    if (this.topics.has(spec.name))
      throw new ProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${spec.name}' already exists.`);
    const settings = this.options.settings;
    if (spec.assignments && spec.assignments.length > 0) {
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1) {
        throw new ProtocolError(
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set.',
        );
      }
      for (const replicas of spec.assignments) {
        if (replicas.length === 0 || replicas.some((id) => id !== settings['node.id'])) {
          throw new ProtocolError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Replica assignment ${JSON.stringify(replicas)} names brokers that do not exist; this cluster has broker ${settings['node.id']}`,
          );
        }
        if (new Set(replicas).size !== replicas.length) {
          throw new ProtocolError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Duplicate brokers in replica assignment ${JSON.stringify(replicas)}`,
          );
        }
      }
    } else {
      const partitions = spec.numPartitions === -1 ? settings['num.partitions'] : spec.numPartitions;
      if (partitions <= 0)
        throw new ProtocolError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      const rf =
        spec.replicationFactor === -1 ? settings['default.replication.factor'] : spec.replicationFactor;
      if (rf <= 0)
        throw new ProtocolError(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          'Replication factor must be larger than 0.',
        );
      if (rf > 1) {
        throw new ProtocolError(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only 1 broker(s) are registered.`,
        );
      }
    }
    for (const [key, value] of Object.entries(spec.configs)) {
      const problem = validateTopicConfig(key, value);
      if (problem) throw new ProtocolError(ErrorCode.INVALID_CONFIG, problem);
    }
    try {
      this.logConfigOf(withoutNulls(spec.configs));
    } catch (error) {
      throw new ProtocolError(ErrorCode.INVALID_CONFIG, (error as Error).message);
    }
  }

  create(spec: CreateTopicSpec): Topic {
    this.checkCreate(spec);
    const count = spec.assignments?.length
      ? spec.assignments.length
      : spec.numPartitions === -1
        ? this.options.settings['num.partitions']
        : spec.numPartitions;
    const topic: Topic = {
      name: spec.name,
      topicId: randomTopicId(),
      internal: spec.internal ?? false,
      configs: withoutNulls(spec.configs),
      partitions: [],
    };
    for (let p = 0; p < count; p++) topic.partitions.push(this.openPartition(topic, p));
    this.topics.set(spec.name, topic);
    this.saveTopics();
    return topic;
  }

  delete(name: string): void {
    const topic = this.topics.get(name);
    if (!topic)
      throw new ProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist.`);
    this.topics.delete(name);
    this.saveTopics();
    for (const partition of topic.partitions) {
      partition.close();
      removeTree(this.fs, partition.log.dir);
    }
  }

  /** Grows a topic to `total` partitions (Kafka never shrinks). */
  addPartitions(name: string, total: number, validateOnly = false): void {
    const topic = this.topics.get(name);
    if (!topic)
      throw new ProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist.`);
    const current = topic.partitions.length;
    if (total < current) {
      throw new ProtocolError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${current} partitions, which is higher than the requested ${total}.`,
      );
    }
    if (total === current)
      throw new ProtocolError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
    if (validateOnly) return;
    for (let p = current; p < total; p++) topic.partitions.push(this.openPartition(topic, p));
    this.saveTopics();
  }

  /** Replaces a topic's overrides (validated first); the logs pick the new settings up on reopen. */
  setConfigs(name: string, configs: Record<string, string>, validateOnly = false): void {
    const topic = this.topics.get(name);
    if (!topic)
      throw new ProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist.`);
    for (const [key, value] of Object.entries(configs)) {
      const problem = validateTopicConfig(key, value);
      if (problem) throw new ProtocolError(ErrorCode.INVALID_CONFIG, problem);
    }
    let config: LogConfig;
    try {
      config = this.logConfigOf(configs);
    } catch (error) {
      throw new ProtocolError(ErrorCode.INVALID_CONFIG, (error as Error).message);
    }
    if (validateOnly) return;
    topic.configs = { ...configs };
    for (const partition of topic.partitions) Object.assign(partition.log.config, config);
    this.saveTopics();
  }

  /** New broker settings (dynamic broker configs): topics without overrides follow the new defaults. */
  updateSettings(settings: BrokerSettings): void {
    this.options.settings = settings;
    for (const topic of this.topics.values()) {
      const config = this.logConfigOf(topic.configs);
      for (const partition of topic.partitions) Object.assign(partition.log.config, config);
    }
  }

  private saveTopics(): void {
    const file = {
      version: 1,
      topics: this.list().map((t) => ({
        name: t.name,
        topicId: t.topicId,
        partitions: t.partitions.length,
        configs: t.configs,
        internal: t.internal,
      })),
    };
    writeFileAtomic(
      this.fs,
      this.dataDir,
      TOPICS_FILE,
      new TextEncoder().encode(`${JSON.stringify(file, null, 1)}\n`),
    );
  }

  /** Writes the recovery-point, log-start and high-watermark checkpoints (after flushing every log). */
  checkpoint(): void {
    const recovery: TopicPartitionOffset[] = [];
    const starts: TopicPartitionOffset[] = [];
    const hws: TopicPartitionOffset[] = [];
    for (const topic of this.topics.values()) {
      for (const p of topic.partitions) {
        p.log.flush();
        recovery.push({ topic: topic.name, partition: p.index, offset: p.log.recoveryPoint });
        starts.push({ topic: topic.name, partition: p.index, offset: p.log.logStartOffset });
        hws.push({ topic: topic.name, partition: p.index, offset: p.log.highWatermark });
      }
    }
    writeOffsetCheckpoint(this.fs, this.dataDir, RECOVERY_POINT_CHECKPOINT, recovery);
    writeOffsetCheckpoint(this.fs, this.dataDir, LOG_START_OFFSET_CHECKPOINT, starts);
    writeOffsetCheckpoint(this.fs, this.dataDir, REPLICATION_OFFSET_CHECKPOINT, hws);
  }

  /**
   * One retention and compaction pass over every partition (Kafka's log.retention.check.interval.ms
   * task): delete whole expired segments, compact logs whose cleanup.policy includes compact, then write
   * the checkpoints. Compaction yields between 1 MiB slices, so appends and reads keep running.
   */
  async runBackgroundPass(): Promise<void> {
    for (const topic of [...this.topics.values()]) {
      for (const partition of topic.partitions) {
        const log = partition.log;
        if (log.isClosed) continue;
        applyRetention(log);
        if (log.config.cleanupPolicy.includes('compact')) await compactLog(log);
      }
    }
    this.checkpoint();
  }

  /** Starts the periodic background pass; errors are logged, never thrown. Stopped by close(). */
  startBackgroundWork(intervalMs: number): void {
    let running = false;
    this.backgroundTimer = setInterval(() => {
      if (running) return;
      running = true;
      this.runBackgroundPass()
        .catch((error: unknown) =>
          this.options.log(`background log pass failed: ${(error as Error).message}`),
        )
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    this.backgroundTimer.unref();
  }

  /** Clean stop: flush, checkpoints, close every log, then the clean-shutdown marker. */
  close(): void {
    if (this.backgroundTimer) clearInterval(this.backgroundTimer);
    this.checkpoint();
    for (const topic of this.topics.values()) for (const p of topic.partitions) p.close();
    writeFileAtomic(this.fs, this.dataDir, CLEAN_SHUTDOWN_MARKER, new Uint8Array(0));
  }
}

function offsetsByPartition(entries: TopicPartitionOffset[]): Map<string, bigint> {
  return new Map(entries.map((e) => [`${e.topic}-${e.partition}`, e.offset]));
}

function withoutNulls(configs: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(configs)) if (v !== null) out[k] = v;
  return out;
}

function removeTree(fs: LogFs, dir: string): void {
  if (fs instanceof MemFs) {
    fs.removeTree(dir);
    return;
  }
  // LogFs has no recursive delete (the log core never needs one); deleting a topic is the broker's job.
  rmSync(dir, { recursive: true, force: true });
}

/** A random topic id in Kafka's display form; like Kafka's Uuid.randomUuid, never one starting with "-". */
export function randomTopicId(): string {
  for (;;) {
    const id = uuidToString(randomBytes(16));
    if (!id.startsWith('-') && id !== ZERO_UUID) return id;
  }
}
