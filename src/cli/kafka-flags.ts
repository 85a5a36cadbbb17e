/**
 * The kafka-topics.sh flag form: `kt topics --list|--create|--describe|--delete|--alter --topic NAME …`
 * translated into the same service calls the subcommands make, so both forms give identical results.
 *
 * Kafka's semantics kept: --topic is a whole-name regex for list/describe/delete/alter (a plain legal
 * name selects exactly that topic, which must then exist unless --if-exists); internal topics are
 * included unless --exclude-internal; --alter takes --partitions (and kt also accepts --config and
 * --delete-config there). Kafka's flags that kt does not implement are rejected, not ignored.
 */

import { usageError } from '../errors/kt-error.js';
import type { AlterTopicInput } from '../ops/topics/alter.js';
import type { CreateTopicsInput } from '../ops/topics/create.js';
import type { DeleteTopicsInput } from '../ops/topics/delete.js';
import type { DescribeTopicsOptions, PartitionIssue } from '../ops/topics/describe.js';
import { isLiteralTopic, parseConfigPairs, parseReplicaAssignment, topicRegex } from '../ops/topics/input.js';

export interface KafkaTopicsFlags {
  list?: boolean;
  create?: boolean;
  describe?: boolean;
  delete?: boolean;
  alter?: boolean;
  topic?: string | undefined;
  partitions?: number | undefined;
  'replication-factor'?: number | undefined;
  config?: string[] | undefined;
  'delete-config'?: string[] | undefined;
  'replica-assignment'?: string | undefined;
  'if-exists'?: boolean;
  'if-not-exists'?: boolean;
  'exclude-internal'?: boolean;
  'under-replicated-partitions'?: boolean;
  'under-min-isr-partitions'?: boolean;
  'at-min-isr-partitions'?: boolean;
  'unavailable-partitions'?: boolean;
  'topics-with-overrides'?: boolean;
  'dry-run'?: boolean;
}

export type KafkaTopicsAction =
  | { action: 'list'; options: { regex?: RegExp; includeInternal: boolean } }
  | { action: 'create'; input: CreateTopicsInput }
  | { action: 'describe'; options: DescribeTopicsOptions }
  | { action: 'delete'; input: DeleteTopicsInput }
  | { action: 'alter'; input: AlterTopicInput };

const ACTIONS = ['list', 'create', 'describe', 'delete', 'alter'] as const;

/** Health filters of kafka-topics.sh --describe, by flag name. */
export const ISSUE_FLAGS: ReadonlyArray<readonly [string, PartitionIssue]> = [
  ['under-replicated-partitions', 'under-replicated'],
  ['under-min-isr-partitions', 'under-min-isr'],
  ['at-min-isr-partitions', 'at-min-isr'],
  ['unavailable-partitions', 'unavailable'],
];

function only(flags: KafkaTopicsFlags, action: string, allowed: readonly (keyof KafkaTopicsFlags)[]): void {
  const common = new Set<string>([...ACTIONS, 'topic', ...allowed]);
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue;
    if (!common.has(name)) throw usageError(`--${name} does not apply to --${action}`);
  }
}

/** Validates a kafka-topics.sh style flag set and says which service call it means. */
export function translateTopicsFlags(flags: KafkaTopicsFlags): KafkaTopicsAction {
  const chosen = ACTIONS.filter((a) => flags[a] === true);
  if (chosen.length !== 1) {
    throw usageError(
      chosen.length === 0
        ? 'Give one of --list, --create, --describe, --delete, --alter (or use a subcommand: kt topics list)'
        : `Give only one of ${chosen.map((a) => `--${a}`).join(', ')}`,
    );
  }
  const action = chosen[0]!;
  const topic = flags.topic;
  const selection = (): { names?: string[]; regex?: RegExp } =>
    topic === undefined ? {} : isLiteralTopic(topic) ? { names: [topic] } : { regex: topicRegex(topic) };
  switch (action) {
    case 'list': {
      only(flags, action, ['exclude-internal']);
      return {
        action,
        options: {
          ...(topic !== undefined ? { regex: topicRegex(topic) } : {}),
          includeInternal: flags['exclude-internal'] !== true,
        },
      };
    }
    case 'create': {
      only(flags, action, [
        'partitions',
        'replication-factor',
        'config',
        'replica-assignment',
        'if-not-exists',
        'dry-run',
      ]);
      if (topic === undefined) throw usageError('--create needs --topic NAME');
      const input: CreateTopicsInput = { names: [topic] };
      if (flags.partitions !== undefined) input.partitions = flags.partitions;
      if (flags['replication-factor'] !== undefined) input.replicationFactor = flags['replication-factor'];
      if (flags.config?.length) input.configs = parseConfigPairs(flags.config);
      if (flags['replica-assignment'])
        input.replicaAssignment = parseReplicaAssignment(flags['replica-assignment']);
      if (flags['if-not-exists']) input.ifNotExists = true;
      if (flags['dry-run']) input.dryRun = true;
      return { action, input };
    }
    case 'describe': {
      only(flags, action, [
        'exclude-internal',
        'if-exists',
        'under-replicated-partitions',
        'under-min-isr-partitions',
        'at-min-isr-partitions',
        'unavailable-partitions',
        'topics-with-overrides',
      ]);
      const issues = ISSUE_FLAGS.filter(([flag]) => flags[flag as keyof KafkaTopicsFlags] === true).map(
        ([, i]) => i,
      );
      return {
        action,
        options: {
          ...selection(),
          includeInternal: flags['exclude-internal'] !== true,
          ...(flags['if-exists'] ? { ifExists: true } : {}),
          ...(issues.length > 0 ? { issues } : {}),
          ...(flags['topics-with-overrides'] ? { withOverrides: true } : {}),
        },
      };
    }
    case 'delete': {
      only(flags, action, ['if-exists', 'exclude-internal', 'dry-run']);
      if (topic === undefined) throw usageError('--delete needs --topic NAME (or a regex)');
      return {
        action,
        input: {
          ...selection(),
          includeInternal: flags['exclude-internal'] !== true,
          ...(flags['if-exists'] ? { ifExists: true } : {}),
          ...(flags['dry-run'] ? { dryRun: true } : {}),
        },
      };
    }
    case 'alter': {
      only(flags, action, [
        'partitions',
        'replica-assignment',
        'config',
        'delete-config',
        'if-exists',
        'dry-run',
      ]);
      if (topic === undefined || !isLiteralTopic(topic))
        throw usageError('--alter needs --topic NAME (one topic)');
      const input: AlterTopicInput = { name: topic };
      if (flags.partitions !== undefined) input.partitions = flags.partitions;
      if (flags['replica-assignment'])
        input.replicaAssignment = parseReplicaAssignment(flags['replica-assignment']);
      if (flags.config?.length) input.setConfigs = parseConfigPairs(flags.config);
      if (flags['delete-config']?.length) input.deleteConfigs = flags['delete-config'];
      if (flags['if-exists']) input.ifExists = true;
      if (flags['dry-run']) input.dryRun = true;
      return { action, input };
    }
  }
}
