import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { runTopics } from './_shared.js';

export default class TopicsCreate extends KtCommand {
  static override summary = 'Create topics (all or nothing)';
  static override description =
    `Every topic is validated first (names locally, the rest by the broker with validate-only): when any is invalid, none is created. --dry-run stops after the validation.

JSON shape: {"dryRun": boolean, "topics": [{"name": string, "partitions": number|null, "replicationFactor": number|null, "configs": {name: string}, "status": "created"|"validated"|"exists"}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders --partitions 6 --replication-factor 3 --config retention.ms=86400000',
    '<%= config.bin %> <%= command.id %> a b c --partitions 3 --if-not-exists',
    '<%= config.bin %> <%= command.id %> orders --replica-assignment 1:2,2:3,3:1 --dry-run',
  ];
  static override strict = false;
  static override flags = {
    partitions: Flags.integer({
      char: 'p',
      summary: 'Partition count (default: the broker’s num.partitions)',
    }),
    'replication-factor': Flags.integer({
      summary: 'Replicas per partition (default: the broker’s default.replication.factor)',
    }),
    config: Flags.string({ char: 'c', summary: 'Topic config key=value (repeatable)', multiple: true }),
    'replica-assignment': Flags.string({
      summary: 'Broker ids per partition: 1:2,2:3 (replaces --partitions/--replication-factor)',
    }),
    'if-not-exists': Flags.boolean({ summary: 'Topics that exist already are not an error' }),
    'dry-run': Flags.boolean({ summary: 'Validate on the broker, create nothing' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(TopicsCreate);
    const { argv } = await this.parse(TopicsCreate);
    const { parseConfigPairs, parseReplicaAssignment } = await import('../../src/ops/topics/input.js');
    await runTopics(
      {
        connection: this.connection(),
        output: (d, t) => this.output(d, t),
        machineOutput: this.outputFormat !== 'table',
      },
      {
        action: 'create',
        input: {
          names: argv as string[],
          ...(flags.partitions !== undefined ? { partitions: flags.partitions } : {}),
          ...(flags['replication-factor'] !== undefined
            ? { replicationFactor: flags['replication-factor'] }
            : {}),
          ...(flags.config?.length ? { configs: parseConfigPairs(flags.config) } : {}),
          ...(flags['replica-assignment']
            ? { replicaAssignment: parseReplicaAssignment(flags['replica-assignment']) }
            : {}),
          ...(flags['if-not-exists'] ? { ifNotExists: true } : {}),
          ...(flags['dry-run'] ? { dryRun: true } : {}),
        },
      },
      false,
    );
  }
}
