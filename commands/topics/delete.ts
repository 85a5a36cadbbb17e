import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { runTopics } from './_shared.js';

export default class TopicsDelete extends KtCommand {
  static override summary = 'Delete topics by name or regex';
  static override description =
    `Asks for confirmation on a terminal; without a terminal (or with --output json) it needs --yes. Named topics must all exist (else nothing is deleted, exit 1) unless --if-exists.

JSON shape: {"dryRun": boolean, "topics": [{"name": string, "status": "deleted"|"would-delete"|"absent"}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders --yes',
    "<%= config.bin %> <%= command.id %> --regex 'tmp-.*' --dry-run",
  ];
  static override strict = false;
  static override flags = {
    regex: Flags.string({ char: 'r', summary: 'Delete every topic whose whole name matches' }),
    'include-internal': Flags.boolean({ summary: 'Let --regex match internal topics' }),
    'if-exists': Flags.boolean({ summary: 'Named topics that do not exist are not an error' }),
    'dry-run': Flags.boolean({ summary: 'Show what would be deleted' }),
    yes: Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(TopicsDelete);
    const { argv } = await this.parse(TopicsDelete);
    const names = argv as string[];
    const [{ topicRegex }, { usageError }] = await Promise.all([
      import('../../src/ops/topics/input.js'),
      import('../../src/errors/kt-error.js'),
    ]);
    if (names.length > 0 && flags.regex !== undefined)
      throw usageError('Give topic names or --regex, not both');
    await runTopics(
      {
        connection: this.connection(),
        output: (d, t) => this.output(d, t),
        machineOutput: this.outputFormat !== 'table',
      },
      {
        action: 'delete',
        input: {
          ...(names.length > 0 ? { names } : {}),
          ...(flags.regex !== undefined ? { regex: topicRegex(flags.regex) } : {}),
          includeInternal: flags['include-internal'],
          ...(flags['if-exists'] ? { ifExists: true } : {}),
          ...(flags['dry-run'] ? { dryRun: true } : {}),
        },
      },
      flags.yes,
    );
  }
}
