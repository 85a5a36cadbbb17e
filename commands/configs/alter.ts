import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { resourceFlags, resourceOf } from './_resource.js';

export default class ConfigsAlter extends KtCommand {
  static override summary = 'Change configs incrementally: set, delete, append to or subtract from lists';
  static override description =
    `Uses IncrementalAlterConfigs, so overrides you do not name stay as they are. The broker validates the change first; --dry-run stops there and prints before → after.

JSON shape: {"dryRun": boolean, "resource": {"type": "topic"|"broker"|"broker-defaults", "name": string}, "changes": [{"name": string, "op": "set"|"delete"|"append"|"subtract", "value": string|null, "before": string|null, "after": string|null}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --topic orders --set retention.ms=86400000 --delete cleanup.policy',
    '<%= config.bin %> <%= command.id %> --topic orders --append cleanup.policy=compact --dry-run',
    '<%= config.bin %> <%= command.id %> --broker-defaults --set log.retention.ms=604800000',
  ];
  static override flags = {
    ...resourceFlags,
    set: Flags.string({ char: 's', summary: 'Set key=value (repeatable)', multiple: true }),
    delete: Flags.string({ char: 'd', summary: 'Remove the override of a key (repeatable)', multiple: true }),
    append: Flags.string({ summary: 'Append to a list config: key=v1[,v2] (repeatable)', multiple: true }),
    subtract: Flags.string({
      summary: 'Remove from a list config: key=v1[,v2] (repeatable)',
      multiple: true,
    }),
    'dry-run': Flags.boolean({ summary: 'Validate and show before → after, change nothing' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(ConfigsAlter);
    const resource = await resourceOf(flags);
    const [{ withCluster }, { alterConfigs }, { renderAlteredConfigs }, { parseConfigPairs }] =
      await Promise.all([
        import('../../src/ops/cluster/connect.js'),
        import('../../src/ops/configs/alter.js'),
        import('../../src/ops/configs/render.js'),
        import('../../src/ops/topics/input.js'),
      ]);
    const pairs = (values: string[] | undefined, flag: string) =>
      Object.entries(parseConfigPairs(values ?? [], flag));
    const changes = [
      ...pairs(flags.set, '--set').map(([name, value]) => ({ name, op: 'set' as const, value })),
      ...(flags.delete ?? []).map((name) => ({ name, op: 'delete' as const, value: null })),
      ...pairs(flags.append, '--append').map(([name, value]) => ({ name, op: 'append' as const, value })),
      ...pairs(flags.subtract, '--subtract').map(([name, value]) => ({
        name,
        op: 'subtract' as const,
        value,
      })),
    ];
    const data = await withCluster(this.connection(), (client) =>
      alterConfigs(client, { resource, changes, dryRun: flags['dry-run'] }),
    );
    this.output(data, () => renderAlteredConfigs(data));
  }
}
