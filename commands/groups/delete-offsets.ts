import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class GroupsDeleteOffsets extends KtCommand {
  static override summary = "Delete a group's committed offsets for topics (OffsetDelete)";
  static override description =
    `--topic T deletes the offsets of every partition of T the group committed; T:0,2 only those. No active member may subscribe to the topic. Asks for confirmation on a terminal; otherwise needs --yes.

JSON shape: {"group": string, "partitions": [{"topic": string, "partition": number, "status": "deleted"}]}`;
  static override examples = ['<%= config.bin %> <%= command.id %> my-group --topic old-topic --yes'];
  static override args = { group: Args.string({ description: 'Group id', required: true }) };
  static override flags = {
    topic: Flags.string({
      char: 't',
      summary: 'TOPIC or TOPIC:P,P (repeatable)',
      multiple: true,
      required: true,
    }),
    yes: Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parseFlags(GroupsDeleteOffsets);
    const [{ withCluster }, { deleteGroupOffsets }, { confirm }, { parseTopicPartitions }, { formatTable }] =
      await Promise.all([
        import('../../src/ops/cluster/connect.js'),
        import('../../src/ops/groups/delete.js'),
        import('../../src/cli/confirm.js'),
        import('../../src/cli/partitions.js'),
        import('../../src/cli/output.js'),
      ]);
    const scopes = flags.topic.map((t) => parseTopicPartitions(t));
    const ok = await confirm(`Delete the offsets of group ${args.group} on ${flags.topic.join(', ')}?`, {
      yes: flags.yes,
      machineOutput: this.outputFormat !== 'table',
    });
    if (!ok) {
      this.note('Nothing deleted');
      return;
    }
    const data = await withCluster(this.connection(), (client) =>
      deleteGroupOffsets(client, args.group, scopes),
    );
    this.output(data, () =>
      formatTable({
        head: ['TOPIC', 'PARTITION', 'STATUS'],
        rows: data.partitions.map((p) => [p.topic, p.partition, p.status]),
        alignRight: [1],
      }),
    );
  }
}
