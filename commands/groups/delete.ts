import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class GroupsDelete extends KtCommand {
  static override summary = 'Delete consumer groups (only groups without members)';
  static override description =
    `Every group must exist and have no members, else nothing is deleted (exit 1). Asks for confirmation on a terminal; without one (or with --output json) it needs --yes.

JSON shape: {"groups": [{"group": string, "status": "deleted"}]}`;
  static override examples = ['<%= config.bin %> <%= command.id %> old-group other-group --yes'];
  static override strict = false;
  static override flags = {
    yes: Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(GroupsDelete);
    const { argv } = await this.parse(GroupsDelete);
    const groups = argv as string[];
    const [{ withCluster }, { deleteGroups }, { confirm }, { usageError }, { formatTable }] =
      await Promise.all([
        import('../../src/ops/cluster/connect.js'),
        import('../../src/ops/groups/delete.js'),
        import('../../src/cli/confirm.js'),
        import('../../src/errors/kt-error.js'),
        import('../../src/cli/output.js'),
      ]);
    if (groups.length === 0) throw usageError('Name at least one group to delete');
    const ok = await confirm(`Delete group${groups.length > 1 ? 's' : ''} ${groups.join(', ')}?`, {
      yes: flags.yes,
      machineOutput: this.outputFormat !== 'table',
    });
    if (!ok) {
      this.note('Nothing deleted');
      return;
    }
    const data = await withCluster(this.connection(), (client) => deleteGroups(client, groups));
    this.output(data, () =>
      formatTable({ head: ['GROUP', 'STATUS'], rows: data.groups.map((g) => [g.group, g.status]) }),
    );
  }
}
