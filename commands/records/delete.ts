import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class RecordsDelete extends KtCommand {
  static override summary = 'Delete records before an offset or a time (DeleteRecords)';
  static override description =
    `Either TOPIC:PARTITION=OFFSET… (OFFSET may be "latest": everything up to the high watermark), or TOPIC… --before TIME (every partition, records older than TIME; TIME as in kt offsets). Everything is checked before anything is deleted. Asks for confirmation on a terminal; needs --yes otherwise.

JSON shape: {"dryRun": boolean, "partitions": [{"topic": string, "partition": number, "offset": number, "lowWatermarkBefore": number|null, "lowWatermark": number|null}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders:0=1500 orders:1=1200 --yes',
    '<%= config.bin %> <%= command.id %> orders --before -7d --dry-run',
  ];
  static override strict = false;
  static override flags = {
    before: Flags.string({ summary: 'Delete records older than this time (with TOPIC arguments)' }),
    'dry-run': Flags.boolean({ summary: 'Show the new log start offsets, delete nothing' }),
    yes: Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(RecordsDelete);
    const { argv } = await this.parse(RecordsDelete);
    const specs = argv as string[];
    const [
      { withCluster },
      records,
      { parseTimeSpec },
      { formatTable },
      { usageError, KtError },
      { confirm },
    ] = await Promise.all([
      import('../../src/ops/cluster/connect.js'),
      import('../../src/ops/records/delete.js'),
      import('../../src/ops/offsets/time.js'),
      import('../../src/cli/output.js'),
      import('../../src/errors/kt-error.js'),
      import('../../src/cli/confirm.js'),
    ]);
    if (specs.length === 0) throw usageError('Name TOPIC:PARTITION=OFFSET… or TOPIC… with --before TIME');
    const before =
      flags.before === undefined ? undefined : parseTimeSpec(flags.before, Date.now(), '--before');
    const explicit = before === undefined ? specs.map(records.parseDeleteTarget) : undefined;
    if (before !== undefined && specs.some((s) => s.includes('='))) {
      throw usageError('With --before, name topics only (TOPIC), not TOPIC:PARTITION=OFFSET');
    }
    const data = await withCluster(this.connection(), async (client) => {
      const targets = explicit ?? (await records.targetsBefore(client, specs, before!));
      const preview = await records.deleteRecords(client, targets, { dryRun: true });
      if (flags['dry-run']) return preview;
      const ok = await confirm(
        `Delete records of ${targets.length} partition${targets.length === 1 ? '' : 's'}?`,
        {
          yes: flags.yes,
          machineOutput: this.outputFormat !== 'table',
        },
      );
      if (!ok) throw new KtError('KT_CONFIRMATION_REQUIRED', 'Not confirmed: nothing was deleted');
      return records.deleteRecords(client, targets);
    });
    this.output(data, () =>
      formatTable({
        head: [
          'TOPIC',
          'PARTITION',
          'LOW-WATERMARK-BEFORE',
          data.dryRun ? 'LOW-WATERMARK (DRY RUN)' : 'LOW-WATERMARK',
        ],
        rows: data.partitions.map((p) => [p.topic, p.partition, p.lowWatermarkBefore, p.lowWatermark]),
        alignRight: [1, 2, 3],
      }),
    );
  }
}
