import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { runTopics } from './_shared.js';

export default class TopicsList extends KtCommand {
  static override summary = 'List topics with their partition count and replication factor';
  static override description =
    `Internal topics (__consumer_offsets, …) are left out unless --include-internal.

JSON shape: {"topics": [{"name": string, "partitions": number, "replicationFactor": number, "internal": boolean}]}, sorted by name.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    "<%= config.bin %> <%= command.id %> --regex 'orders\\..*' --output json",
  ];
  static override flags = {
    regex: Flags.string({
      char: 'r',
      summary: 'Only topics whose whole name matches this regular expression',
    }),
    'include-internal': Flags.boolean({ summary: 'Include internal topics' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(TopicsList);
    const { topicRegex } = await import('../../src/ops/topics/input.js');
    await runTopics(
      {
        connection: this.connection(),
        output: (d, t) => this.output(d, t),
        machineOutput: this.outputFormat !== 'table',
      },
      {
        action: 'list',
        options: {
          ...(flags.regex !== undefined ? { regex: topicRegex(flags.regex) } : {}),
          includeInternal: flags['include-internal'],
        },
      },
      false,
    );
  }
}
