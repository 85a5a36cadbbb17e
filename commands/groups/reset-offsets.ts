import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

const MODES = [
  'to-earliest',
  'to-latest',
  'to-offset',
  'shift-by',
  'to-datetime',
  'by-duration',
  'to-current',
  'to-group',
  'from-file',
] as const;

export default class GroupsResetOffsets extends KtCommand {
  static override summary = "Plan (and with --execute apply) a reset of a group's committed offsets";
  static override description =
    `Scope with --topic T[:P,…] (repeatable) or --all-topics (the topics the group has offsets on), and give exactly one mode. Without --execute nothing changes: kt prints the plan (current, new, lag after). --execute applies it only when the group has no active members, and first writes an undo file (--undo-file, default ./kt-undo-GROUP-TIME.json) that --from-file replays. Offsets outside the log are clamped to its start or end, with a warning. --export prints the plan as Kafka's CSV (topic,partition,offset), which --from-file reads back.

--from-file takes Kafka's CSV (topic,partition,offset or group,topic,partition,offset) or kt's JSON (an undo file, {"offsets": [{"topic","partition","offset"}]}, or a saved --output json plan).

JSON shape: {"group": string, "mode": string, "executed": boolean, "undoFile": string|null, "partitions": [{"topic", "partition", "currentOffset": number|null, "newOffset": number|null, "logStartOffset", "logEndOffset", "lagAfter": number|null, "clampedFrom": number|null}], "warnings": string[]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-group --topic orders --to-earliest',
    '<%= config.bin %> <%= command.id %> my-group --topic orders:0,1 --shift-by=-100 --execute',
    '<%= config.bin %> <%= command.id %> my-group --all-topics --by-duration PT1H --execute --undo-file undo.json',
    '<%= config.bin %> <%= command.id %> my-group --from-file undo.json --execute',
  ];
  static override args = { group: Args.string({ description: 'Group id', required: true }) };
  static override flags = {
    topic: Flags.string({
      char: 't',
      summary: 'TOPIC or TOPIC:P,P (repeatable)',
      multiple: true,
      helpGroup: 'SCOPE',
    }),
    'all-topics': Flags.boolean({
      summary: 'Every topic the group has committed offsets on',
      helpGroup: 'SCOPE',
    }),
    'allow-new-topics': Flags.boolean({
      summary: 'Allow topics (or a group) without committed offsets: the reset creates them',
      helpGroup: 'SCOPE',
    }),
    'to-earliest': Flags.boolean({ summary: 'To the log start', helpGroup: 'MODE' }),
    'to-latest': Flags.boolean({ summary: 'To the log end', helpGroup: 'MODE' }),
    'to-offset': Flags.string({ summary: 'To offset N', helpGroup: 'MODE' }),
    'shift-by': Flags.string({
      summary: 'By ±N from the committed offset (--shift-by=-5)',
      helpGroup: 'MODE',
    }),
    'to-datetime': Flags.string({
      summary: 'To the first record at or after a time: ISO-8601 (UTC unless zoned), epoch ms, or -1h',
      helpGroup: 'MODE',
    }),
    'by-duration': Flags.string({
      summary: 'To now minus an ISO-8601 duration PnDTnHnMnS',
      helpGroup: 'MODE',
    }),
    'to-current': Flags.boolean({
      summary: 'To the committed offset (log end where none)',
      helpGroup: 'MODE',
    }),
    'to-group': Flags.string({ summary: "To another group's committed offsets", helpGroup: 'MODE' }),
    'from-file': Flags.string({
      summary: 'To the offsets in a CSV or kt JSON file (an undo file too)',
      helpGroup: 'MODE',
    }),
    execute: Flags.boolean({ summary: 'Apply the plan (the group must have no active members)' }),
    'dry-run': Flags.boolean({ summary: 'Only show the plan (the default)' }),
    export: Flags.boolean({ summary: 'Print the plan as CSV (topic,partition,offset) instead of a table' }),
    'undo-file': Flags.string({ summary: 'Where --execute writes the undo file' }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parseFlags(GroupsResetOffsets);
    const [
      { withCluster },
      { resetOffsets },
      plan,
      { renderPlan },
      { usageError, KtError },
      { parseTopicPartitions },
      time,
    ] = await Promise.all([
      import('../../src/ops/cluster/connect.js'),
      import('../../src/ops/groups/reset.js'),
      import('../../src/ops/groups/plan.js'),
      import('../../src/ops/groups/render.js'),
      import('../../src/errors/kt-error.js'),
      import('../../src/cli/partitions.js'),
      import('../../src/cli/time.js'),
    ]);
    const given = MODES.filter((m) => flags[m] !== undefined && flags[m] !== false);
    if (given.length === 0) throw usageError(`Give one reset mode: ${MODES.map((m) => `--${m}`).join(', ')}`);
    if (given.length > 1)
      throw usageError(`Conflicting reset modes: ${given.map((m) => `--${m}`).join(', ')}`);
    const topics = flags.topic ?? [];
    if (topics.length > 0 && flags['all-topics']) throw usageError('Give --topic or --all-topics, not both');
    if (topics.length === 0 && !flags['all-topics'] && flags['from-file'] === undefined)
      throw usageError('Scope the reset with --topic TOPIC[:P,…] or --all-topics');
    if (flags['from-file'] !== undefined && flags['all-topics'])
      throw usageError(
        '--from-file takes its partitions from the file; narrow it with --topic, not --all-topics',
      );
    if (flags.execute && flags['dry-run']) throw usageError('Give --execute or --dry-run, not both');
    if (flags.export && this.outputFormat !== 'table')
      throw usageError('--export prints CSV; it conflicts with --output');
    const invalid = (message: string) => new KtError('KT_INVALID_INPUT', message);

    let mode: import('../../src/ops/groups/plan.js').ResetMode;
    const m = given[0]!;
    if (m === 'to-earliest') mode = { kind: 'earliest' };
    else if (m === 'to-latest') mode = { kind: 'latest' };
    else if (m === 'to-current') mode = { kind: 'current' };
    else if (m === 'to-offset') {
      const v = flags['to-offset']!.trim();
      if (!/^\d{1,19}$/.test(v)) throw invalid(`--to-offset ${v}: expected a non-negative offset`);
      mode = { kind: 'offset', offset: BigInt(v) };
    } else if (m === 'shift-by') {
      const v = flags['shift-by']!.trim();
      if (!/^[-+]?\d{1,19}$/.test(v))
        throw invalid(`--shift-by ${v}: expected a signed number like -100 or +5`);
      mode = { kind: 'shift', by: BigInt(v) };
    } else if (m === 'to-datetime') {
      const v = flags['to-datetime']!;
      const ts = time.tryParseTimestamp(v);
      if (ts === undefined)
        throw invalid(
          `--to-datetime ${v}: expected an ISO-8601 time (2024-05-01T10:00:00Z), epoch milliseconds or -1h`,
        );
      mode = { kind: 'datetime', timestampMs: ts, spec: v };
    } else if (m === 'by-duration') {
      const v = flags['by-duration']!;
      mode = { kind: 'duration', durationMs: plan.parseIsoDuration(v), spec: v };
    } else if (m === 'to-group') mode = { kind: 'group', group: flags['to-group']! };
    else {
      const path = flags['from-file']!;
      const { readFile } = await import('node:fs/promises');
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new KtError('KT_IO', `Cannot read ${path}: ${(error as Error).message}`);
      }
      mode = { kind: 'file', path, offsets: plan.parseOffsetsFile(text, path, args.group) };
    }
    const scopes = topics.map((t) => parseTopicPartitions(t));
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const undoPath =
      flags['undo-file'] ?? `kt-undo-${args.group.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.json`;
    const data = await withCluster(this.connection(), (client) =>
      resetOffsets(client, {
        group: args.group,
        scopes,
        allTopics: flags['all-topics'],
        mode,
        execute: flags.execute,
        allowNewTopics: flags['allow-new-topics'],
        undoPath,
      }),
    );
    for (const w of data.warnings) this.note(`Warning: ${w}`);
    if (data.executed)
      this.note(
        `Undo file: ${data.undoFile} (replay: kt groups reset-offsets ${args.group} --from-file ${data.undoFile} --execute)`,
      );
    if (flags.export) {
      process.stdout.write(plan.planCsv(data.partitions));
      return;
    }
    this.output(data, () => renderPlan(data));
  }
}
