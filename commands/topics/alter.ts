import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { runTopics } from './_shared.js';

export default class TopicsAlter extends KtCommand {
  static override summary = 'Add partitions to a topic, set or delete its configs';
  static override description =
    `Configs change incrementally (other overrides stay). Everything is validated by the broker before anything is applied; --dry-run prints before → after and changes nothing.

JSON shape: {"dryRun": boolean, "topic": string, "partitions": {"before": number, "after": number}|null, "configs": [{"name": string, "op": "set"|"delete", "before": string|null, "after": string|null}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders --partitions 12',
    '<%= config.bin %> <%= command.id %> orders --config retention.ms=3600000 --delete-config cleanup.policy --dry-run',
  ];
  static override args = { name: Args.string({ required: true, description: 'Topic name' }) };
  static override flags = {
    partitions: Flags.integer({ char: 'p', summary: 'New (larger) partition count' }),
    'replica-assignment': Flags.string({ summary: 'Broker ids for the new partitions: 1:2,2:3' }),
    config: Flags.string({ char: 'c', summary: 'Set a topic config key=value (repeatable)', multiple: true }),
    'delete-config': Flags.string({ summary: 'Remove a topic config override (repeatable)', multiple: true }),
    'dry-run': Flags.boolean({ summary: 'Validate and show before → after, change nothing' }),
    'if-exists': Flags.boolean({ summary: 'A missing topic is not an error (nothing is altered)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parseFlags(TopicsAlter);
    const { parseConfigPairs, parseReplicaAssignment } = await import('../../src/ops/topics/input.js');
    await runTopics(
      {
        connection: this.connection(),
        output: (d, t) => this.output(d, t),
        machineOutput: this.outputFormat !== 'table',
      },
      {
        action: 'alter',
        input: {
          name: args.name,
          ...(flags.partitions !== undefined ? { partitions: flags.partitions } : {}),
          ...(flags['replica-assignment']
            ? { replicaAssignment: parseReplicaAssignment(flags['replica-assignment']) }
            : {}),
          ...(flags.config?.length ? { setConfigs: parseConfigPairs(flags.config) } : {}),
          ...(flags['delete-config']?.length ? { deleteConfigs: flags['delete-config'] } : {}),
          ...(flags['dry-run'] ? { dryRun: true } : {}),
          ...(flags['if-exists'] ? { ifExists: true } : {}),
        },
      },
      false,
    );
  }
}
