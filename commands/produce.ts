import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../src/cli/base-command.js';
import { KtError, usageError } from '../src/errors/kt-error.js';

export default class Produce extends KtCommand {
  static override summary = 'Write records to a topic from stdin or files';
  static override description =
    `One record per line (binary safe: a line is the bytes between newlines), one per file with --whole-file, or kt's lossless JSONL records with --input jsonl (docs/jsonl.md): "kt consume A --output jsonl --exit | kt produce B --input jsonl" copies records byte for byte.

Keyed records go to the partition Kafka's Java client would pick (murmur2). Records are batched and sent to partition leaders directly. A line that cannot be parsed stops the run (records still waiting for their batch are not sent); a record the broker rejects (for example over max.message.bytes) is reported with its line number. Exit code 1 if any record failed.

Output: with --print-offsets, "PARTITION<TAB>OFFSET" per delivered record on stdout (-1 offsets with --acks 0). A summary goes to stderr; a progress line too when reading files on a terminal.`;
  static override examples = [
    'echo hello | <%= config.bin %> <%= command.id %> events',
    '<%= config.bin %> <%= command.id %> events --key-separator : --file data.txt',
    '<%= config.bin %> <%= command.id %> events --format "%k\\t%h{trace}\\t%v" --null-marker NULL',
    '<%= config.bin %> consume dlq --output jsonl --exit | <%= config.bin %> <%= command.id %> retry --input jsonl',
  ];
  static override args = { topic: Args.string({ required: true, description: 'Topic to write to' }) };
  static override flags = {
    file: Flags.string({
      char: 'f',
      summary: 'Read from this file (repeatable) instead of stdin',
      multiple: true,
    }),
    'whole-file': Flags.boolean({ summary: 'One record per input (file or stdin) instead of one per line' }),
    input: Flags.option({ options: ['text', 'jsonl'] as const, summary: 'Input format', default: 'text' })(),
    format: Flags.string({ summary: 'Input template: %k %v %h{name} %p %T with {hex}/{base64}' }),
    'key-separator': Flags.string({ char: 'K', summary: 'Split each line into KEY<SEP>VALUE' }),
    header: Flags.string({
      char: 'H',
      summary: 'Header name=value added to every record (repeatable)',
      multiple: true,
    }),
    'null-marker': Flags.string({
      summary: 'A key, value or header value equal to this is null (tombstones)',
    }),
    partition: Flags.integer({ char: 'p', summary: 'Write every record to this partition', min: 0 }),
    partitioner: Flags.option({
      options: ['murmur2', 'random', 'round-robin'] as const,
      summary: 'Partitioner (murmur2: Java-compatible for keyed records, sticky for keyless)',
      default: 'murmur2',
    })(),
    compression: Flags.option({
      options: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const,
      char: 'z',
      summary: 'Compression codec',
      default: 'none',
    })(),
    acks: Flags.option({
      options: ['0', '1', 'all', '-1'] as const,
      summary: 'Acknowledgements',
      default: 'all',
    })(),
    idempotent: Flags.boolean({ summary: 'Idempotent producer (needs --acks all)' }),
    'linger-ms': Flags.integer({ summary: 'Wait this long for a batch to fill', default: 5, min: 0 }),
    'batch-size': Flags.integer({
      summary: 'Batch size in bytes (capped by max.message.bytes)',
      default: 512 * 1024,
      min: 1,
    }),
    rate: Flags.string({ summary: 'Limit to N records per second (N or N/s)' }),
    'print-offsets': Flags.boolean({
      summary: 'Print PARTITION<TAB>OFFSET of each delivered record on stdout',
    }),
    'timeout-ms': Flags.integer({ summary: 'Produce request timeout', default: 30_000, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parseFlags(Produce);
    if (flags.input === 'jsonl' && (flags.format !== undefined || flags['key-separator'] !== undefined)) {
      throw usageError('--input jsonl carries keys and headers itself: drop --format/--key-separator');
    }
    if (flags.format !== undefined && flags['key-separator'] !== undefined) {
      throw usageError('--format and --key-separator do not go together: put the separator in the template');
    }
    const acks = flags.acks === 'all' || flags.acks === '-1' ? -1 : flags.acks === '1' ? 1 : 0;
    if (flags.idempotent && acks !== -1) throw usageError('--idempotent needs --acks all');
    let rate: number | undefined;
    if (flags.rate !== undefined) {
      const m = /^(\d+)(\/s)?$/.exec(flags.rate);
      if (!m || Number(m[1]) <= 0)
        throw usageError(`--rate ${flags.rate}: expected N or N/s (records per second)`);
      rate = Number(m[1]);
    }
    const { parseHeaderFlags } = await import('../src/ops/produce/parse.js');
    const { runProduce, formatSummary } = await import('../src/ops/produce/run.js');
    const { withCluster } = await import('../src/ops/cluster/connect.js');
    const summary = await withCluster(
      this.connection(),
      (client) =>
        runProduce(
          client,
          {
            topic: args.topic,
            files: flags.file ?? [],
            wholeFile: flags['whole-file'],
            input: flags.input,
            ...(flags.format === undefined ? {} : { format: flags.format }),
            ...(flags['key-separator'] === undefined ? {} : { keySeparator: flags['key-separator'] }),
            ...(flags['null-marker'] === undefined ? {} : { nullMarker: flags['null-marker'] }),
            headers: parseHeaderFlags(flags.header ?? [], flags['null-marker']),
            ...(flags.partition === undefined ? {} : { partition: flags.partition }),
            partitioner: flags.partitioner,
            compression: flags.compression,
            acks,
            idempotent: flags.idempotent,
            lingerMs: flags['linger-ms'],
            batchBytesMax: flags['batch-size'],
            ...(rate === undefined ? {} : { rate }),
            printOffsets: flags['print-offsets'],
            requestTimeoutMs: flags['timeout-ms'],
          },
          { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        ),
      { requestTimeoutMs: flags['timeout-ms'] + 5_000 },
    );
    this.note(formatSummary(summary));
    if (summary.failed > 0) {
      throw new KtError('KT_KAFKA', `${summary.failed} records failed`);
    }
  }
}
