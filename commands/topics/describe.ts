import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { healthFlags, runTopics } from './_shared.js';

export default class TopicsDescribe extends KtCommand {
  static override summary =
    'Describe topics: partitions (leader, replicas, ISR, offsets) and config overrides';
  static override description =
    `Without names or --regex, describes every (non-internal) topic; the health filters then work cluster-wide. A named topic that does not exist is an error (exit 1) unless --if-exists. Unhealthy partitions are coloured on a terminal.

JSON shape: {"topics": [{"name": string, "topicId": string|null, "internal": boolean, "partitionCount": number, "replicationFactor": number, "configs": {name: string|null}, "partitions": [{"partition": number, "leader": number|null, "replicas": number[], "isr": number[], "offline": number[], "logStartOffset": number|null, "highWatermark": number|null, "issues": ("unavailable"|"under-min-isr"|"at-min-isr"|"under-replicated")[]}]}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    '<%= config.bin %> <%= command.id %> --under-replicated-partitions',
    "<%= config.bin %> <%= command.id %> --regex 'orders.*' --output json",
  ];
  static override strict = false;
  static override args = {};
  static override flags = {
    regex: Flags.string({ char: 'r', summary: 'Topics whose whole name matches this regular expression' }),
    'include-internal': Flags.boolean({ summary: 'Include internal topics when describing all or by regex' }),
    'if-exists': Flags.boolean({ summary: 'Skip named topics that do not exist instead of failing' }),
    ...healthFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(TopicsDescribe);
    const { argv } = await this.parse(TopicsDescribe);
    const names = argv as string[];
    const [{ topicRegex, checkTopicNames }, { ISSUE_FLAGS }, { usageError }] = await Promise.all([
      import('../../src/ops/topics/input.js'),
      import('../../src/cli/kafka-flags.js'),
      import('../../src/errors/kt-error.js'),
    ]);
    if (names.length > 0 && flags.regex !== undefined)
      throw usageError('Give topic names or --regex, not both');
    if (names.length > 0) checkTopicNames(names, 'describe topic');
    const issues = ISSUE_FLAGS.filter(([flag]) => (flags as Record<string, unknown>)[flag] === true).map(
      ([, i]) => i,
    );
    await runTopics(
      {
        connection: this.connection(),
        output: (d, t) => this.output(d, t),
        machineOutput: this.outputFormat !== 'table',
      },
      {
        action: 'describe',
        options: {
          ...(names.length > 0 ? { names } : {}),
          ...(flags.regex !== undefined ? { regex: topicRegex(flags.regex) } : {}),
          includeInternal: flags['include-internal'],
          ...(flags['if-exists'] ? { ifExists: true } : {}),
          ...(issues.length > 0 ? { issues } : {}),
          ...(flags['topics-with-overrides'] ? { withOverrides: true } : {}),
        },
      },
      false,
    );
  }
}
