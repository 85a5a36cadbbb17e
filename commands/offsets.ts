import { Flags } from '@oclif/core';
import { KtCommand } from '../src/cli/base-command.js';

export default class Offsets extends KtCommand {
  static override summary = 'Offsets of partitions at a time (kafka-get-offsets)';
  static override description =
    `TOPIC selects every partition, TOPIC:0,2 or TOPIC:0-3 some. --time takes earliest, latest (default), max-timestamp, Kafka's -1/-2/-3, epoch milliseconds, an ISO-8601 date (UTC unless it has a zone) or a time relative to now (-30s, -15m, -1h, -2d, -1w): the offset is that of the first record at or after the time (null when there is none).

JSON shape: {"time": string, "timestamp": number, "offsets": [{"topic": string, "partition": number, "offset": number|null, "timestamp": number|null}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    '<%= config.bin %> <%= command.id %> orders:0,1 --time earliest',
    '<%= config.bin %> <%= command.id %> orders --time -1h --output json',
    '<%= config.bin %> <%= command.id %> orders --time 2026-01-31T12:00:00Z',
  ];
  static override strict = false;
  static override flags = {
    time: Flags.string({
      char: 't',
      summary: 'earliest|latest|max-timestamp|<ISO-8601>|<epoch ms>|-1h',
      default: 'latest',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(Offsets);
    const { argv } = await this.parse(Offsets);
    const [
      { withCluster },
      { offsetsForTime, parseTopicPartitions },
      { parseTimeSpec },
      { formatTable },
      { usageError },
    ] = await Promise.all([
      import('../src/ops/cluster/connect.js'),
      import('../src/ops/offsets/list.js'),
      import('../src/ops/offsets/time.js'),
      import('../src/cli/output.js'),
      import('../src/errors/kt-error.js'),
    ]);
    if (argv.length === 0) throw usageError('Name at least one TOPIC or TOPIC:PARTITIONS');
    const selections = (argv as string[]).map(parseTopicPartitions);
    const time = parseTimeSpec(flags.time);
    const data = await withCluster(this.connection(), (client) => offsetsForTime(client, selections, time));
    this.output(data, () =>
      formatTable({
        head: ['TOPIC', 'PARTITION', 'OFFSET', 'TIMESTAMP'],
        rows: data.offsets.map((o) => [
          o.topic,
          o.partition,
          o.offset,
          o.timestamp === null ? null : new Date(Number(o.timestamp)).toISOString(),
        ]),
        alignRight: [1, 2],
      }),
    );
  }
}
