/**
 * Configs as DescribeConfigs/AlterConfigs/IncrementalAlterConfigs see them, for topics (resource type 2)
 * and brokers (4; name "1" for this broker, "" for the cluster-wide default).
 *
 * Topic values: the topic's override (source DYNAMIC_TOPIC_CONFIG), else the broker's value for the
 * matching `log.*` setting (DYNAMIC_DEFAULT_BROKER_CONFIG when altered at runtime, STATIC_BROKER_CONFIG
 * when set at start, else DEFAULT_CONFIG). Broker resources list every BrokerSettings entry; the
 * dynamically alterable ones are `DYNAMIC_BROKER_CONFIGS` (Kafka's DynamicLogConfig set), everything else
 * is read-only at runtime.
 */

import { ErrorCode } from '../errors/codes.generated.js';
import { ProtocolError } from '../errors/kafka.js';
import { BROKER_DEFAULTS, type BrokerSettings, brokerSettings } from './config.js';
import { type ConfigType, TOPIC_CONFIGS, topicConfigDefault, validateTopicConfig } from './topic-configs.js';

export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;

export const CONFIG_SOURCE = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** DescribeConfigs v3+ config types. */
const CONFIG_TYPE_CODE: Record<ConfigType, number> = {
  boolean: 1,
  string: 2,
  int: 3,
  long: 5,
  double: 6,
  list: 7,
  class: 8,
  password: 9,
};

export const OP_SET = 0;
export const OP_DELETE = 1;
export const OP_APPEND = 2;
export const OP_SUBTRACT = 3;

export const DYNAMIC_BROKER_CONFIGS: readonly (keyof BrokerSettings)[] = [
  'log.retention.ms',
  'log.retention.bytes',
  'log.segment.bytes',
  'log.roll.ms',
  'log.cleanup.policy',
  'log.flush.interval.messages',
  'log.flush.interval.ms',
  'log.message.timestamp.type',
  'message.max.bytes',
  'min.insync.replicas',
];

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  isSensitive: boolean;
  type: number;
  documentation: string | null;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
}

export interface BrokerConfigState {
  settings: BrokerSettings;
  /** Settings given at start (--config): their source is STATIC_BROKER_CONFIG. */
  staticNames: ReadonlySet<string>;
  /** Cluster-wide dynamic overrides (resource name ""), by name. */
  dynamicDefaults: Record<string, string>;
}

function brokerSource(name: string, state: BrokerConfigState): number {
  if (name in state.dynamicDefaults) return CONFIG_SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG;
  if (state.staticNames.has(name)) return CONFIG_SOURCE.STATIC_BROKER_CONFIG;
  return CONFIG_SOURCE.DEFAULT_CONFIG;
}

function settingString(value: number | boolean | string): string {
  return typeof value === 'number' && value >= Number.MAX_SAFE_INTEGER
    ? '9223372036854775807'
    : String(value);
}

export function describeTopicConfigs(
  overrides: Record<string, string>,
  state: BrokerConfigState,
): ConfigEntry[] {
  return Object.entries(TOPIC_CONFIGS).map(([name, def]) => {
    const synonyms: ConfigEntry['synonyms'] = [];
    if (name in overrides)
      synonyms.push({ name, value: overrides[name]!, source: CONFIG_SOURCE.DYNAMIC_TOPIC_CONFIG });
    if (def.brokerSetting) {
      const source = brokerSource(def.brokerSetting, state);
      synonyms.push({
        name: def.brokerSetting,
        value: settingString(state.settings[def.brokerSetting]),
        source,
      });
    } else {
      synonyms.push({ name, value: def.defaultValue, source: CONFIG_SOURCE.DEFAULT_CONFIG });
    }
    const first = synonyms[0]!;
    return {
      name,
      value: name in overrides ? overrides[name]! : (topicConfigDefault(name, state.settings) ?? null),
      readOnly: false,
      source: first.source,
      isSensitive: false,
      type: CONFIG_TYPE_CODE[def.type],
      documentation: def.doc,
      synonyms,
    };
  });
}

export function describeBrokerConfigs(state: BrokerConfigState): ConfigEntry[] {
  return (Object.keys(BROKER_DEFAULTS) as (keyof BrokerSettings)[]).sort().map((name) => {
    const value = settingString(state.settings[name]);
    const source = brokerSource(name, state);
    const fallback = BROKER_DEFAULTS[name];
    return {
      name,
      value,
      readOnly: !DYNAMIC_BROKER_CONFIGS.includes(name),
      source,
      isSensitive: false,
      type: typeof fallback === 'boolean' ? 1 : typeof fallback === 'number' ? 5 : 2,
      documentation: null,
      synonyms: [{ name, value, source }],
    };
  });
}

/** Applies IncrementalAlterConfigs operations to a set of values; throws ProtocolError(INVALID_CONFIG…). */
export function applyIncremental(
  current: Record<string, string>,
  ops: ReadonlyArray<{ name: string; configOperation: number; value: string | null }>,
  isList: (name: string) => boolean,
  defaultOf: (name: string) => string | undefined,
): Record<string, string> {
  const next = { ...current };
  for (const op of ops) {
    switch (op.configOperation) {
      case OP_SET:
        if (op.value === null)
          throw new ProtocolError(ErrorCode.INVALID_REQUEST, `Null value not supported for ${op.name}`);
        next[op.name] = op.value;
        break;
      case OP_DELETE:
        delete next[op.name];
        break;
      case OP_APPEND:
      case OP_SUBTRACT: {
        if (!isList(op.name)) {
          throw new ProtocolError(
            ErrorCode.INVALID_CONFIG,
            `Config value append/subtract is not allowed for config ${op.name} (not a list)`,
          );
        }
        const base = (next[op.name] ?? defaultOf(op.name) ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        const items = (op.value ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        const result =
          op.configOperation === OP_APPEND
            ? [...base, ...items.filter((i) => !base.includes(i))]
            : base.filter((b) => !items.includes(b));
        next[op.name] = result.join(',');
        break;
      }
      default:
        throw new ProtocolError(
          ErrorCode.INVALID_REQUEST,
          `Unknown config operation ${op.configOperation} for ${op.name}`,
        );
    }
  }
  return next;
}

/** Validates a full set of topic overrides (unknown names, types, enumerations). */
export function checkTopicConfigs(configs: Record<string, string>): void {
  for (const [name, value] of Object.entries(configs)) {
    const problem = validateTopicConfig(name, value);
    if (problem) throw new ProtocolError(ErrorCode.INVALID_CONFIG, problem);
  }
}

/** Validates dynamic broker config values and returns the settings they produce. */
export function checkBrokerConfigs(base: BrokerSettings, dynamic: Record<string, string>): BrokerSettings {
  for (const name of Object.keys(dynamic)) {
    if (!(name in BROKER_DEFAULTS))
      throw new ProtocolError(ErrorCode.INVALID_CONFIG, `Unknown broker config ${name}`);
    if (!DYNAMIC_BROKER_CONFIGS.includes(name as keyof BrokerSettings)) {
      throw new ProtocolError(
        ErrorCode.INVALID_CONFIG,
        `Cannot update these configs dynamically: Set(${name})`,
      );
    }
  }
  try {
    const overrides: Record<string, string> = {};
    for (const [k, v] of Object.entries(base)) overrides[k] = String(v);
    return brokerSettings({ ...overrides, ...dynamic });
  } catch (error) {
    throw new ProtocolError(ErrorCode.INVALID_CONFIG, (error as Error).message);
  }
}

export function isTopicListConfig(name: string): boolean {
  return TOPIC_CONFIGS[name]?.type === 'list';
}
