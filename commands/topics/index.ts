import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { healthFlags, runTopics } from './_shared.js';

export default class Topics extends KtCommand {
  static override summary = 'kafka-topics.sh flags: --list|--create|--describe|--delete|--alter --topic NAME';
  static override description =
    `The flag form Kafka's own tool taught everyone; it runs the same code as the subcommands (kt topics list|create|describe|delete|alter) and prints the same JSON. --topic is a whole-name regex except for --create (a plain name selects exactly that topic); internal topics are included unless --exclude-internal, as in kafka-topics.sh. --delete asks for confirmation on a terminal and needs --yes otherwise.`;
  static override examples = [
    '<%= config.bin %> topics --list --bootstrap-server localhost:9092',
    '<%= config.bin %> topics --create --topic orders --partitions 6 --replication-factor 3 --config retention.ms=86400000 --bootstrap-server localhost:9092',
    '<%= config.bin %> topics --describe --topic orders --bootstrap-server localhost:9092 --command-config client.properties',
    '<%= config.bin %> topics --alter --topic orders --partitions 12 --bootstrap-server localhost:9092',
    '<%= config.bin %> topics --delete --topic orders --yes --bootstrap-server localhost:9092',
  ];
  static override flags = {
    list: Flags.boolean({ summary: 'List topics', helpGroup: 'ACTION' }),
    create: Flags.boolean({ summary: 'Create a topic', helpGroup: 'ACTION' }),
    describe: Flags.boolean({ summary: 'Describe topics', helpGroup: 'ACTION' }),
    delete: Flags.boolean({ summary: 'Delete topics', helpGroup: 'ACTION' }),
    alter: Flags.boolean({ summary: 'Add partitions (and set or delete configs)', helpGroup: 'ACTION' }),
    topic: Flags.string({ summary: 'Topic name, or a regex except with --create' }),
    partitions: Flags.integer({ summary: 'Partition count (--create, --alter)' }),
    'replication-factor': Flags.integer({ summary: 'Replication factor (--create)' }),
    config: Flags.string({ summary: 'Topic config key=value (repeatable)', multiple: true }),
    'delete-config': Flags.string({
      summary: 'Config override to remove (--alter, repeatable)',
      multiple: true,
    }),
    'replica-assignment': Flags.string({ summary: 'Broker ids per partition: 1:2,2:3' }),
    'if-exists': Flags.boolean({
      summary: 'With --describe/--delete/--alter: a missing topic is not an error',
    }),
    'if-not-exists': Flags.boolean({ summary: 'With --create: an existing topic is not an error' }),
    'exclude-internal': Flags.boolean({ summary: 'Leave internal topics out of --list/--describe/--delete' }),
    'dry-run': Flags.boolean({ summary: 'Validate only (--create, --alter, --delete)' }),
    yes: Flags.boolean({ char: 'y', summary: 'Do not ask before --delete' }),
    ...healthFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(Topics);
    const { translateTopicsFlags } = await import('../../src/cli/kafka-flags.js');
    const { yes, ...topicFlags } = flags as typeof flags & { yes: boolean };
    const kafkaFlags = Object.fromEntries(Object.entries(topicFlags).filter(([k]) => k in Topics.flags));
    const action = translateTopicsFlags(kafkaFlags);
    await runTopics(
      {
        connection: this.connection(),
        output: (d, t) => this.output(d, t),
        machineOutput: this.outputFormat !== 'table',
      },
      action,
      yes,
    );
  }
}
