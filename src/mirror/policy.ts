/**
 * Which source topics the mirror copies, what they are called on the target and which topic configs
 * follow them.
 */
import { KtError } from '../errors/kt-error.js';

export type RenamePolicy = 'prefix' | 'identity';

export interface TopicFilterOptions {
  /** A regex (whole name) or a comma-separated list of names; default: every topic. */
  topics?: string;
  /** A regex (whole name) of topics to leave out, on top of the internal ones. */
  exclude?: string;
  sourceAlias: string;
  targetAlias: string;
  rename: RenamePolicy;
}

/**
 * Internal topics never mirrored by default: Kafka's own (`__*`), dot-prefixed ones, anything named
 * `*.internal`/`*-internal` (MM2's and Connect's), MM2's `mm2-*` and kt's own `kt-mirror-*`.
 */
export function isInternalTopic(name: string): boolean {
  return (
    name.startsWith('__') ||
    name.startsWith('.') ||
    name.endsWith('.internal') ||
    name.endsWith('-internal') ||
    name.startsWith('mm2-') ||
    name.startsWith('kt-mirror-')
  );
}

/**
 * Topic configs never copied to the target, as MM2's `config.properties.exclude` default: throttles
 * and ISR settings belong to the target's operators; message.timestamp.* would let the target rewrite or
 * reject the source's CreateTime timestamps. Plus what cannot be set at creation or is placement.
 */
export const CONFIG_EXCLUDE: ReadonlySet<string> = new Set([
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
  'message.timestamp.difference.max.ms',
  'message.timestamp.type',
  'message.timestamp.before.max.ms',
  'message.timestamp.after.max.ms',
  'unclean.leader.election.enable',
  'min.insync.replicas',
  'confluent.placement.constraints',
]);

/** `source` as a whole-name regex (MM2's topic and group filters match whole names); a usage error names `flag`. */
export function wholeRegex(source: string, flag: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    throw new KtError(
      'KT_USAGE',
      `${flag} ${JSON.stringify(source)} is not a valid regex: ${(error as Error).message}`,
    );
  }
}

/** A plain comma-separated list of topic names (no regex metacharacters besides '.', '-', '_'). */
function isNameList(value: string): boolean {
  return /^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/.test(value) && value.includes(',');
}

export class TopicPolicy {
  private readonly include: (name: string) => boolean;
  private readonly exclude: RegExp | undefined;

  constructor(private readonly options: TopicFilterOptions) {
    const topics = options.topics;
    if (topics === undefined || topics === '') this.include = () => true;
    else if (isNameList(topics)) {
      const names = new Set(topics.split(','));
      this.include = (name) => names.has(name);
    } else {
      const re = wholeRegex(topics, '--topics');
      this.include = (name) => re.test(name);
    }
    this.exclude = options.exclude ? wholeRegex(options.exclude, '--exclude') : undefined;
  }

  /** True when `name` on the source is to be mirrored. */
  matches(name: string): boolean {
    if (isInternalTopic(name)) return false;
    // Cycle guard (prefix policy): a topic that came from the target is not sent back to it.
    if (this.options.rename === 'prefix' && name.startsWith(`${this.options.targetAlias}.`)) return false;
    if (this.exclude?.test(name)) return false;
    return this.include(name);
  }

  /** The target topic for a source topic. */
  targetTopic(name: string): string {
    return this.options.rename === 'prefix' ? `${this.options.sourceAlias}.${name}` : name;
  }
}
