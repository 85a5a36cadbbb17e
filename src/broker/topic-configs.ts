/**
 * The topic configs kt's broker knows, with Apache Kafka's names and defaults (LogConfig.java /
 * TopicConfig.java, 4.x). The broker rejects unknown names with INVALID_CONFIG, answers DescribeConfigs
 * from this table, and hands the log core the ones it honours (`LOG_CONFIG_NAMES`).
 *
 * Defaults that come from a broker setting name it in `brokerSetting`, so `kt broker start --config
 * log.retention.ms=…` changes the default every topic without an override sees.
 */
import type { BrokerSettings } from './config.js';

export type ConfigType = 'long' | 'int' | 'double' | 'boolean' | 'string' | 'list' | 'password' | 'class';

export interface TopicConfigDef {
  type: ConfigType;
  /** Kafka's default as DescribeConfigs prints it, when no broker setting supplies it. */
  defaultValue: string;
  brokerSetting?: keyof BrokerSettings;
  /** Allowed values, for enumerations (compared case-sensitively like Kafka's validators). */
  allowed?: readonly string[];
  doc: string;
}

const LONG_MAX = '9223372036854775807';

export const TOPIC_CONFIGS: Readonly<Record<string, TopicConfigDef>> = {
  'cleanup.policy': {
    type: 'list',
    defaultValue: 'delete',
    brokerSetting: 'log.cleanup.policy',
    allowed: ['delete', 'compact'],
    doc: 'delete old segments, compact by key, or both',
  },
  'compression.type': {
    type: 'string',
    defaultValue: 'producer',
    allowed: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    doc: 'final compression of the topic; producer keeps what the producer sent',
  },
  'delete.retention.ms': { type: 'long', defaultValue: '86400000', doc: 'how long tombstones are kept' },
  'file.delete.delay.ms': { type: 'long', defaultValue: '60000', doc: 'delay before deleting a file' },
  'flush.messages': {
    type: 'long',
    defaultValue: LONG_MAX,
    brokerSetting: 'log.flush.interval.messages',
    doc: 'fsync after this many messages',
  },
  'flush.ms': {
    type: 'long',
    defaultValue: LONG_MAX,
    brokerSetting: 'log.flush.interval.ms',
    doc: 'fsync after this much time',
  },
  'follower.replication.throttled.replicas': { type: 'list', defaultValue: '', doc: 'throttled followers' },
  'index.interval.bytes': { type: 'int', defaultValue: '4096', doc: 'bytes between offset index entries' },
  'leader.replication.throttled.replicas': { type: 'list', defaultValue: '', doc: 'throttled leaders' },
  'local.retention.bytes': { type: 'long', defaultValue: '-2', doc: 'tiered storage: local size limit' },
  'local.retention.ms': { type: 'long', defaultValue: '-2', doc: 'tiered storage: local time limit' },
  'max.compaction.lag.ms': {
    type: 'long',
    defaultValue: LONG_MAX,
    doc: 'longest a record stays uncompacted',
  },
  'max.message.bytes': {
    type: 'int',
    defaultValue: '1048588',
    brokerSetting: 'message.max.bytes',
    doc: 'largest record batch',
  },
  'message.timestamp.after.max.ms': { type: 'long', defaultValue: '3600000', doc: 'future timestamp bound' },
  'message.timestamp.before.max.ms': { type: 'long', defaultValue: LONG_MAX, doc: 'past timestamp bound' },
  'message.timestamp.type': {
    type: 'string',
    defaultValue: 'CreateTime',
    brokerSetting: 'log.message.timestamp.type',
    allowed: ['CreateTime', 'LogAppendTime'],
    doc: 'which timestamp records carry',
  },
  'min.cleanable.dirty.ratio': {
    type: 'double',
    defaultValue: '0.5',
    doc: 'dirty ratio that triggers compaction',
  },
  'min.compaction.lag.ms': { type: 'long', defaultValue: '0', doc: 'shortest a record stays uncompacted' },
  'min.insync.replicas': {
    type: 'int',
    defaultValue: '1',
    brokerSetting: 'min.insync.replicas',
    doc: 'replicas that must acknowledge acks=all',
  },
  preallocate: { type: 'boolean', defaultValue: 'false', doc: 'preallocate segment files' },
  'remote.storage.enable': { type: 'boolean', defaultValue: 'false', doc: 'tiered storage' },
  'retention.bytes': {
    type: 'long',
    defaultValue: '-1',
    brokerSetting: 'log.retention.bytes',
    doc: 'size limit per partition',
  },
  'retention.ms': {
    type: 'long',
    defaultValue: '604800000',
    brokerSetting: 'log.retention.ms',
    doc: 'time limit for segments',
  },
  'segment.bytes': {
    type: 'int',
    defaultValue: '1073741824',
    brokerSetting: 'log.segment.bytes',
    doc: 'segment file size',
  },
  'segment.index.bytes': { type: 'int', defaultValue: '10485760', doc: 'offset index size' },
  'segment.jitter.ms': { type: 'long', defaultValue: '0', doc: 'random jitter on segment.ms' },
  'segment.ms': {
    type: 'long',
    defaultValue: '604800000',
    brokerSetting: 'log.roll.ms',
    doc: 'segment roll time',
  },
  'unclean.leader.election.enable': {
    type: 'boolean',
    defaultValue: 'false',
    doc: 'elect out-of-sync replicas',
  },
};

/** The configs the log core applies; the rest are accepted and reported but change nothing on one node. */
export const LOG_CONFIG_NAMES: readonly string[] = [
  'cleanup.policy',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'index.interval.bytes',
  'max.message.bytes',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.ms',
];

/** The default of `name` given the broker's settings. */
export function topicConfigDefault(name: string, settings: BrokerSettings): string | undefined {
  const def = TOPIC_CONFIGS[name];
  if (!def) return undefined;
  if (def.brokerSetting) {
    const value = settings[def.brokerSetting];
    return typeof value === 'number' && value >= Number.MAX_SAFE_INTEGER ? LONG_MAX : String(value);
  }
  return def.defaultValue;
}

/** Why `value` is not valid for config `name`, or undefined when it is. */
export function validateTopicConfig(name: string, value: string | null): string | undefined {
  const def = TOPIC_CONFIGS[name];
  if (!def) return `Unknown topic config name: ${name}`;
  if (value === null) return undefined;
  switch (def.type) {
    case 'long':
    case 'int': {
      if (!/^-?\d+$/.test(value.trim()))
        return `Invalid value ${value} for configuration ${name}: Not a number`;
      const n = BigInt(value.trim());
      const max = def.type === 'int' ? 2_147_483_647n : 9_223_372_036_854_775_807n;
      if (n > max || n < -max - 1n) return `Invalid value ${value} for configuration ${name}: out of range`;
      break;
    }
    case 'double':
      if (!Number.isFinite(Number(value)))
        return `Invalid value ${value} for configuration ${name}: Not a number`;
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(value.trim())) return `Invalid value ${value} for configuration ${name}`;
      break;
    default:
      break;
  }
  if (def.allowed) {
    const parts = def.type === 'list' ? value.split(',').map((s) => s.trim()) : [value.trim()];
    const bad = parts.find((p) => !def.allowed!.includes(p));
    if (bad !== undefined)
      return `Invalid value ${value} for configuration ${name}: String must be one of: ${def.allowed.join(', ')}`;
  }
  return undefined;
}
