import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class GroupsList extends KtCommand {
  static override summary = 'List consumer groups with their state and protocol type';
  static override description =
    `Asks every broker (each lists the groups it coordinates). --state keeps groups in the given states (repeatable); --topic keeps groups with committed offsets on a topic.

JSON shape: {"groups": [{"group": string, "state": string, "protocolType": string, "type": string, "coordinator": number}]}, sorted by group.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --state Empty --state Dead',
    '<%= config.bin %> <%= command.id %> --topic orders --output json',
  ];
  static override flags = {
    state: Flags.option({
      options: ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead'] as const,
      summary: 'Only groups in this state (repeatable)',
      multiple: true,
    })(),
    topic: Flags.string({ char: 't', summary: 'Only groups with committed offsets on this topic' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(GroupsList);
    const [{ withCluster }, { listGroups }, { renderList }] = await Promise.all([
      import('../../src/ops/cluster/connect.js'),
      import('../../src/ops/groups/describe.js'),
      import('../../src/ops/groups/render.js'),
    ]);
    const data = await withCluster(this.connection(), (client) =>
      listGroups(client, {
        ...(flags.state ? { states: flags.state } : {}),
        ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
      }),
    );
    this.output(data, () => renderList(data));
  }
}
