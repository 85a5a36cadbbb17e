import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class GroupsDescribe extends KtCommand {
  static override summary = 'Describe consumer groups: members, assignments, lag in records and in seconds';
  static override description =
    `Per partition: the committed offset, the log-end offset, the lag in records and the time lag, the seconds between now and the timestamp of the first record the group has not consumed yet. Totals per topic (TOTAL rows) and per group. --watch SECONDS redraws in place on a terminal until Ctrl-C.

JSON shape: {"describedAt": number, "groups": [{"group", "state", "protocolType", "assignor", "coordinator": {"id", "host", "port"}, "members": [{"memberId", "groupInstanceId": string|null, "clientId", "host", "assignments": [{"topic", "partitions": number[]}]}], "partitions": [{"topic", "partition", "committedOffset": number|null, "logEndOffset": number|null, "lag": number|null, "firstUnconsumedTimestamp": number|null, "timeLagSeconds": number|null, "memberId": string|null, "clientId": string|null, "host": string|null}], "topics": [{"topic", "lag", "timeLagSeconds": number|null}], "lag": number, "timeLagSeconds": number|null}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-service',
    '<%= config.bin %> <%= command.id %> --all --only-with-lag',
    '<%= config.bin %> <%= command.id %> orders-service --watch 2',
  ];
  static override strict = false;
  static override args = { group: Args.string({ description: 'Group ids', required: false }) };
  static override flags = {
    all: Flags.boolean({ summary: 'Describe every group of the cluster' }),
    'only-with-lag': Flags.boolean({ summary: 'Only partitions (and topics) with lag' }),
    watch: Flags.integer({ summary: 'Redraw every SECONDS until interrupted', min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(GroupsDescribe);
    const { argv } = await this.parse(GroupsDescribe);
    const groups = argv as string[];
    const [
      { withCluster },
      { describeGroups, listGroups },
      { renderDescribe },
      { usageError },
      { formatOutput },
    ] = await Promise.all([
      import('../../src/ops/cluster/connect.js'),
      import('../../src/ops/groups/describe.js'),
      import('../../src/ops/groups/render.js'),
      import('../../src/errors/kt-error.js'),
      import('../../src/cli/output.js'),
    ]);
    if (groups.length > 0 && flags.all) throw usageError('Give group ids or --all, not both');
    if (groups.length === 0 && !flags.all) throw usageError('Name at least one group, or pass --all');
    const format = this.outputFormat;
    await withCluster(this.connection(), async (client) => {
      const once = async () => {
        const ids = flags.all ? (await listGroups(client)).groups.map((g) => g.group) : groups;
        return describeGroups(client, ids, { onlyWithLag: flags['only-with-lag'] });
      };
      if (flags.watch === undefined) {
        const data = await once();
        this.output(data, () => renderDescribe(data));
        return;
      }
      let stopped = false;
      let wake: (() => void) | undefined;
      const onSignal = (): void => {
        stopped = true;
        wake?.();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        while (!stopped) {
          const data = await once();
          const text = formatOutput(data, format, () => renderDescribe(data));
          // On a terminal: home the cursor and clear, so the view redraws in place.
          const prefix = process.stdout.isTTY ? '\u001b[H\u001b[2J' : '';
          process.stdout.write(`${prefix}${text}${process.stdout.isTTY ? '' : '\n'}`);
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, (flags.watch ?? 1) * 1000).unref();
          });
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  }
}
