import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../src/cli/base-command.js';
import { usageError } from '../src/errors/kt-error.js';

export default class Consume extends KtCommand {
  static override summary = 'Read records from topics to stdout';
  static override description =
    `Follows the topics from their end by default. Positions (--offset): start, end, N, -N (the last N per partition), @TIME (ISO-8601, epoch ms, or relative like @-1h), each with an optional end bound :end, :N or :@TIME. --exit stops at the high watermark each partition had at start (it also exits for empty topics and idle partitions).

Output: the value per line by default; --print-key/--print-headers/… as Kafka's console consumer; --format templates (%t %p %o %k %v %T %h{name} %K %V, modifiers {hex} {base64} and %T{iso|unix}); --output jsonl, kt's lossless format (docs/jsonl.md), which "kt produce --input jsonl" reads back byte for byte.

Data goes to stdout only; a summary goes to stderr. A closed stdout ends the run quietly with exit 0 ("kt consume t | head"); Ctrl-C commits (with --group) and exits.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> events --from-beginning --exit',
    '<%= config.bin %> <%= command.id %> events --offset -10 --exit --print-key',
    '<%= config.bin %> <%= command.id %> events --offset @-1h:@-30m --output jsonl > window.jsonl',
    '<%= config.bin %> <%= command.id %> --regex "orders-.*" --group audit --filter "header:type=refund"',
    '<%= config.bin %> <%= command.id %> events --format "%p:%o %k{hex} %v\\n"',
  ];
  static override strict = false;
  static override args = { topic: Args.string({ description: 'Topic(s) to read', required: false }) };
  static override flags = {
    regex: Flags.string({ summary: 'Read every topic whose whole name matches this regex' }),
    partition: Flags.string({ char: 'p', summary: 'Partitions to read: 0,1,4-7 (default all)' }),
    'from-beginning': Flags.boolean({ summary: 'Start at the earliest offset (same as --offset start)' }),
    offset: Flags.string({ char: 'O', summary: 'start|end|N|-N|@TIME, optionally :end|:N|:@TIME' }),
    group: Flags.string({ char: 'g', summary: 'Consume as a member of this group and commit offsets' }),
    'max-messages': Flags.integer({ char: 'n', summary: 'Stop after this many records', min: 0 }),
    exit: Flags.boolean({ char: 'e', summary: 'Stop at the end of each partition as it was at start' }),
    follow: Flags.boolean({ summary: 'Keep reading new records (the default)' }),
    'timeout-ms': Flags.integer({ summary: 'Stop after this long without records', min: 1 }),
    'isolation-level': Flags.option({
      options: ['read_uncommitted', 'read_committed'] as const,
      summary: 'Transactional visibility',
      default: 'read_uncommitted',
    })(),
    filter: Flags.string({
      summary: 'key:RE, value:RE, header:NAME[=RE]; ! negates; repeatable (ANDed)',
      multiple: true,
    }),
    output: Flags.option({ options: ['text', 'jsonl'] as const, char: 'o', summary: 'Output format' })(),
    format: Flags.string({ summary: 'Output template, e.g. "%k\\t%v\\n"' }),
    'print-key': Flags.boolean({ summary: 'Print the key (Kafka console-consumer style)' }),
    'print-headers': Flags.boolean({ summary: 'Print headers k:v,…' }),
    'print-timestamp': Flags.boolean({ summary: 'Print CreateTime:ms' }),
    'print-partition': Flags.boolean({ summary: 'Print Partition:p' }),
    'print-offset': Flags.boolean({ summary: 'Print Offset:o' }),
    'key-separator': Flags.string({ summary: 'Separator between printed fields (default tab)' }),
    'null-literal': Flags.string({ summary: 'What a null key or value prints as (default null)' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Consume);
    await this.parseFlags(Consume);
    const topics = (argv as string[]).filter((a) => a !== '');
    if (topics.length === 0 && flags.regex === undefined) throw usageError('name a topic, or use --regex');
    if (topics.length > 0 && flags.regex !== undefined) throw usageError('give topics or --regex, not both');
    if (flags.exit && flags.follow) throw usageError('--exit and --follow contradict each other');
    if (flags['from-beginning'] && flags.offset !== undefined) {
      throw usageError('--from-beginning and --offset both set the start: keep one');
    }
    const { parseOffsetSpec } = await import('../src/cli/time.js');
    const { parsePartitionList } = await import('../src/cli/partitions.js');
    const spec = flags.offset === undefined ? {} : parseOffsetSpec(flags.offset, '--offset');
    // ':end' alone reads from the start to the end, as rpk's -o :end does.
    const start =
      flags['from-beginning'] || (spec.start === undefined && spec.end !== undefined)
        ? ({ kind: 'earliest' } as const)
        : spec.start;
    const printing =
      flags['print-key'] ||
      flags['print-headers'] ||
      flags['print-timestamp'] ||
      flags['print-partition'] ||
      flags['print-offset'];
    const jsonl = flags.output === 'jsonl' || flags.json;
    if (jsonl && (flags.format !== undefined || printing))
      throw usageError('--output jsonl does not take --format or --print-*');
    if (flags.format !== undefined && printing)
      throw usageError('--format does not take --print-*: put the fields in the template');
    const { parseTemplate } = await import('../src/format/template.js');
    if (flags.format !== undefined) parseTemplate(flags.format, '--format'); // fail before connecting
    const output = jsonl
      ? ({ kind: 'jsonl' } as const)
      : flags.format !== undefined
        ? ({ kind: 'template', template: flags.format } as const)
        : ({
            kind: 'console',
            options: {
              printKey: flags['print-key'],
              printHeaders: flags['print-headers'],
              printTimestamp: flags['print-timestamp'],
              printPartition: flags['print-partition'],
              printOffset: flags['print-offset'],
              ...(flags['key-separator'] === undefined ? {} : { keySeparator: flags['key-separator'] }),
              ...(flags['null-literal'] === undefined ? {} : { nullLiteral: flags['null-literal'] }),
            },
          } as const);
    const { combineFilters } = await import('../src/ops/consume/filter.js');
    combineFilters(flags.filter ?? []); // fail before connecting
    const { runConsume } = await import('../src/ops/consume/run.js');
    const { withCluster } = await import('../src/ops/cluster/connect.js');
    let signals = 0;
    const result = await withCluster(this.connection(), (client) =>
      runConsume(
        client,
        {
          topics,
          ...(flags.regex === undefined ? {} : { regex: flags.regex }),
          ...(flags.partition === undefined ? {} : { partitions: parsePartitionList(flags.partition) }),
          ...(start === undefined ? {} : { start }),
          ...(spec.end === undefined ? {} : { end: spec.end }),
          ...(flags.group === undefined ? {} : { group: flags.group }),
          ...(flags['max-messages'] === undefined ? {} : { maxMessages: flags['max-messages'] }),
          exit: flags.exit,
          ...(flags['timeout-ms'] === undefined ? {} : { idleTimeoutMs: flags['timeout-ms'] }),
          isolationLevel: flags['isolation-level'] === 'read_committed' ? 1 : 0,
          filters: flags.filter ?? [],
          output,
        },
        {
          stdout: process.stdout,
          onStop: (stop) => {
            const onSignal = (): void => {
              signals++;
              if (signals > 1) process.exit(130); // a second Ctrl-C: leave at once
              stop();
            };
            process.on('SIGINT', onSignal);
            process.on('SIGTERM', onSignal);
          },
        },
      ),
    );
    if (result.reason === 'stdout-closed') return;
    this.note(`Consumed ${result.records} records in ${(result.elapsedMs / 1000).toFixed(2)} s`);
  }
}
