/**
 * Broker configuration with Apache Kafka's property names and kt's defaults. `kt broker start --config
 * key=value` and `startBroker({ config })` take these names; unknown names are rejected (a typo must not
 * silently run with the default).
 *
 * Topic-level defaults come from the broker's `log.*` settings exactly as in Kafka (log.retention.ms →
 * retention.ms, log.segment.bytes → segment.bytes, …); a topic's own configs override them.
 */
import { KtError } from '../errors/kt-error.js';

export interface BrokerSettings {
  'node.id': number;
  'num.partitions': number;
  'default.replication.factor': number;
  'auto.create.topics.enable': boolean;
  'message.max.bytes': number;
  'socket.request.max.bytes': number;
  'log.retention.ms': number;
  'log.retention.bytes': number;
  'log.segment.bytes': number;
  'log.roll.ms': number;
  'log.cleanup.policy': string;
  'log.flush.interval.messages': number;
  'log.flush.interval.ms': number;
  'log.retention.check.interval.ms': number;
  'log.message.timestamp.type': string;
  'offsets.topic.num.partitions': number;
  'offsets.retention.minutes': number;
  'group.initial.rebalance.delay.ms': number;
  'group.min.session.timeout.ms': number;
  'group.max.session.timeout.ms': number;
  'min.insync.replicas': number;
}

/** Defaults: Kafka's, except where an embedded single-node broker wants otherwise (noted). */
export const BROKER_DEFAULTS: BrokerSettings = {
  'node.id': 1,
  'num.partitions': 1,
  'default.replication.factor': 1,
  'auto.create.topics.enable': true,
  'message.max.bytes': 1_048_588,
  'socket.request.max.bytes': 104_857_600,
  'log.retention.ms': 7 * 24 * 3_600_000,
  'log.retention.bytes': -1,
  'log.segment.bytes': 1_073_741_824,
  'log.roll.ms': 7 * 24 * 3_600_000,
  'log.cleanup.policy': 'delete',
  // Kafka leaves flushing to the OS (Long.MAX_VALUE); so does kt by default: acknowledged appends survive a
  // process crash (they are in the page cache) but not a machine crash. Set 1 to fsync every append.
  'log.flush.interval.messages': Number.MAX_SAFE_INTEGER,
  'log.flush.interval.ms': Number.MAX_SAFE_INTEGER,
  'log.retention.check.interval.ms': 300_000,
  'log.message.timestamp.type': 'CreateTime',
  // Kafka: 50. One node serves every group, so one partition keeps start-up and restore small.
  'offsets.topic.num.partitions': 1,
  'offsets.retention.minutes': 7 * 24 * 60,
  // Kafka: 3000. kt answers the first JoinGroup at once; tests and quickstart should not wait 3 s.
  'group.initial.rebalance.delay.ms': 0,
  'group.min.session.timeout.ms': 6_000,
  'group.max.session.timeout.ms': 1_800_000,
  'min.insync.replicas': 1,
};

export type BrokerConfigInput = Partial<Record<keyof BrokerSettings, string | number | boolean>>;

/** Merges overrides (strings from the command line, or typed values from code) into the defaults. */
export function brokerSettings(overrides: BrokerConfigInput | Record<string, string> = {}): BrokerSettings {
  const settings: BrokerSettings = { ...BROKER_DEFAULTS };
  for (const [key, raw] of Object.entries(overrides)) {
    if (!(key in BROKER_DEFAULTS)) {
      throw new KtError('KT_INVALID_INPUT', `Unknown broker config "${key}"`, {
        hint: `Known: ${Object.keys(BROKER_DEFAULTS).join(', ')}`,
      });
    }
    const name = key as keyof BrokerSettings;
    const fallback = BROKER_DEFAULTS[name];
    (settings as unknown as Record<string, unknown>)[name] = coerce(name, raw, fallback);
  }
  return settings;
}

function coerce(name: string, raw: unknown, fallback: number | boolean | string): number | boolean | string {
  if (typeof fallback === 'number') {
    const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!Number.isFinite(value) || !Number.isInteger(value)) {
      throw new KtError('KT_INVALID_INPUT', `Broker config ${name} must be an integer: "${String(raw)}"`);
    }
    return value;
  }
  if (typeof fallback === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    throw new KtError('KT_INVALID_INPUT', `Broker config ${name} must be true or false: "${String(raw)}"`);
  }
  return String(raw);
}

/** Parses `key=value` pairs from --config flags. */
export function parseConfigPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new KtError('KT_USAGE', `Expected key=value, got "${pair}"`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
