/**
 * LogConfig: the per-log settings of the log core, named after Kafka's topic configs (LogConfig.java,
 * ServerLogConfigs.java) with their defaults, the unit in every name. `logConfig(overrides)` fills defaults
 * and validates; `logConfigFromKafka(props)` maps Kafka's dotted names (`segment.bytes`, `flush.ms`, …).
 *
 * Durability knobs (see README.md "Durability contract"): `flushMessagesInterval` (flush.messages) and
 * `flushIntervalMs` (flush.ms). `flushMessagesInterval: 1` is fsync on every append.
 */
import { LogConfigError } from './errors.js';

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  /** segment.bytes: roll when the active segment would exceed this (default 1 GiB). */
  segmentBytesMax: number;
  /** segment.ms: roll when the active segment's first batch is older than this (default 7 d). */
  segmentMs: number;
  /** segment.index.bytes: most bytes an offset index may take; a full index rolls the segment (10 MiB). */
  segmentIndexBytesMax: number;
  /** index.interval.bytes: log bytes between sparse index entries (4096). */
  indexIntervalBytes: number;
  /** max.message.bytes: largest batch accepted, whole batch incl. its 12-byte log overhead (1 048 588). */
  maxBatchBytes: number;
  /** flush.messages: fsync after this many messages (records) appended; Infinity = leave it to the OS. */
  flushMessagesInterval: number;
  /** flush.ms: fsync when the oldest unflushed append is this old (checked on append and by a timer). */
  flushIntervalMs: number;
  /** retention.ms: delete segments whose largest timestamp is older (7 d); -1 = no time limit. */
  retentionMs: number;
  /** retention.bytes: delete oldest segments while the log is larger (-1 = no size limit). */
  retentionBytes: number;
  /** cleanup.policy. */
  cleanupPolicy: CleanupPolicy;
  /** delete.retention.ms: how long a tombstone survives after compaction first sees it (1 d). */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: a segment is cleanable only once its largest timestamp is this old (0). */
  minCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: compact when dirty bytes / total bytes reach this (0.5). */
  minCleanableDirtyRatio: number;
  /** file.delete.delay.ms: how long a deleted segment's files linger as `.deleted` (60 s). */
  fileDeleteDelayMs: number;
  /** message.timestamp.type. */
  messageTimestampType: TimestampType;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const LOG_CONFIG_DEFAULTS: Readonly<LogConfig> = Object.freeze({
  segmentBytesMax: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  segmentIndexBytesMax: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  maxBatchBytes: 1_048_588,
  flushMessagesInterval: Number.POSITIVE_INFINITY,
  flushIntervalMs: Number.POSITIVE_INFINITY,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: DAY_MS,
  minCompactionLagMs: 0,
  minCleanableDirtyRatio: 0.5,
  fileDeleteDelayMs: 60_000,
  messageTimestampType: 'CreateTime',
});

/** Defaults overlaid with `overrides`, validated. Throws LogConfigError naming the bad setting. */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...LOG_CONFIG_DEFAULTS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[name] = value;
  }
  const positive: (keyof LogConfig)[] = [
    'segmentBytesMax',
    'segmentMs',
    'segmentIndexBytesMax',
    'maxBatchBytes',
  ];
  for (const name of positive) {
    const v = config[name];
    if (typeof v !== 'number' || !(v > 0)) throw new LogConfigError(`${name} must be > 0, got ${String(v)}`);
  }
  if (!(config.flushMessagesInterval >= 1)) throw new LogConfigError('flushMessagesInterval must be >= 1');
  if (!(config.flushIntervalMs >= 0)) throw new LogConfigError('flushIntervalMs must be >= 0');
  if (!(config.indexIntervalBytes >= 0)) throw new LogConfigError('indexIntervalBytes must be >= 0');
  if (config.segmentIndexBytesMax < 8) throw new LogConfigError('segmentIndexBytesMax must be >= 8');
  if (config.segmentBytesMax > 0x7fffffff) throw new LogConfigError('segmentBytesMax must fit an int32');
  if (!['delete', 'compact', 'compact,delete'].includes(config.cleanupPolicy)) {
    throw new LogConfigError(
      `cleanupPolicy must be delete, compact or compact,delete, got ${config.cleanupPolicy}`,
    );
  }
  if (config.minCleanableDirtyRatio < 0 || config.minCleanableDirtyRatio > 1) {
    throw new LogConfigError('minCleanableDirtyRatio must be within [0, 1]');
  }
  return config;
}

const KAFKA_NAMES: Record<string, keyof LogConfig> = {
  'segment.bytes': 'segmentBytesMax',
  'segment.ms': 'segmentMs',
  'segment.index.bytes': 'segmentIndexBytesMax',
  'index.interval.bytes': 'indexIntervalBytes',
  'max.message.bytes': 'maxBatchBytes',
  'flush.messages': 'flushMessagesInterval',
  'flush.ms': 'flushIntervalMs',
  'retention.ms': 'retentionMs',
  'retention.bytes': 'retentionBytes',
  'cleanup.policy': 'cleanupPolicy',
  'delete.retention.ms': 'deleteRetentionMs',
  'min.compaction.lag.ms': 'minCompactionLagMs',
  'min.cleanable.dirty.ratio': 'minCleanableDirtyRatio',
  'file.delete.delay.ms': 'fileDeleteDelayMs',
  'message.timestamp.type': 'messageTimestampType',
};

/** Maps Kafka's topic config names/values (strings, as in DescribeConfigs) to a LogConfig. */
export function logConfigFromKafka(props: Record<string, string>): LogConfig {
  const overrides: Record<string, unknown> = {};
  for (const [kafkaName, raw] of Object.entries(props)) {
    const name = KAFKA_NAMES[kafkaName];
    if (name === undefined) throw new LogConfigError(`unknown log config ${kafkaName}`);
    if (name === 'cleanupPolicy') overrides[name] = raw.replace(/\s+/g, '').split(',').sort().join(',');
    else if (name === 'messageTimestampType') overrides[name] = raw;
    else {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new LogConfigError(`${kafkaName} must be a number, got ${raw}`);
      // Kafka spells "never" as Long.MAX_VALUE for flush.ms / flush.messages.
      overrides[name] = n >= Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : n;
    }
  }
  return logConfig(overrides as Partial<LogConfig>);
}
