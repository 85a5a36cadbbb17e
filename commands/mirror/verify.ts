import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class MirrorVerify extends KtCommand {
  static override summary = 'Compare mirrored topics with their source, record by record';
  static override description =
    `For every selected source partition and its mirrored target partition, compares key, value, headers (in order) and CreateTime timestamp of each record through 64-bit content hashes, aligned by content (the mirror's offset syncs and progress are not trusted), and reports ranges with source and target offsets:

  missing      a source record that is not on the target (a trailing range may only mean the mirror is behind)
  duplicated   a source record copied more than once (at-least-once re-copies after a restart)
  diverging    a source and a target record at the same aligned place that differ, with the fields that differ
  unexpected   a target record that is not from the source (or out of order)

Exit 0 when every compared source record is on the target, equal and in order, and the target holds nothing else (duplicates are listed and counted; --fail-on-duplicates makes them fail); exit 1 otherwise, also when a target partition does not exist. Target records before the first matching one (copies of source records outside the range) are only counted. Both sides are read read_committed up to their current end; one partition at a time is held in memory, about 100 bytes a record a side.

--source/--target take a profile name or host:port[,host:port]; --topics, --source-alias and --rename select and name topics as kt mirror run does.

JSON shape: {"ok": boolean, "failOnDuplicates": boolean, "totals": {"partitions", "partitionsFailed", "targetPartitionsMissing", "sourceRecords", "targetRecords", "matched", "missing", "duplicated", "diverging", "unexpected"}, "partitions": [{"topic", "partition", "targetTopic", "ok": boolean, "targetPartitionMissing": boolean, "source": {"startOffset", "endOffset", "records"}, "target": {"startOffset", "endOffset", "records", "skippedBefore"}|null, "matched", "missing", "duplicated", "diverging", "unexpected", "missingRanges": [{"sourceFrom", "sourceTo", "count", "trailing": boolean}], "duplicatedRanges": [{"sourceFrom", "sourceTo", "count", "targetFrom", "targetTo", "duplicateFrom", "duplicateTo"}], "divergingRanges": [{"sourceFrom", "sourceTo", "targetFrom", "targetTo", "count", "fields": ("key"|"value"|"headers"|"timestamp")[]}], "unexpectedRanges": [{"targetFrom", "targetTo", "count"}], "rangesTruncated": boolean}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --source 10.0.0.1:9092 --target 10.1.0.1:9092 --source-alias east --topics orders',
    "<%= config.bin %> <%= command.id %> --source prod-east --target prod-west --topics 'orders|payments' --rename identity -o json",
    '<%= config.bin %> <%= command.id %> --source east --target west --source-alias east --topics orders --partitions 0,3 --from-source-offset 1000000',
  ];
  static override flags = {
    source: Flags.string({
      summary: 'Source cluster: profile name or host:port[,host:port]',
      required: true,
    }),
    target: Flags.string({
      summary: 'Target cluster: profile name or host:port[,host:port]',
      required: true,
    }),
    topics: Flags.string({
      summary: 'Source topics: a whole-name regex or a comma-separated list',
      required: true,
    }),
    'source-alias': Flags.string({
      summary: 'Alias of the source cluster (the target topic prefix with --rename prefix)',
      default: 'source',
    }),
    'target-alias': Flags.string({
      summary:
        'Alias of the target cluster (topics named <target-alias>.* are not verified, as run skips them)',
      default: 'target',
    }),
    rename: Flags.option({
      options: ['prefix', 'identity'] as const,
      default: 'prefix',
      summary: 'Target topic names: <source-alias>.<topic> or unchanged',
    })(),
    partitions: Flags.string({ summary: 'Only these partitions of each topic, e.g. 0,1,4-7' }),
    'from-source-offset': Flags.string({
      summary: 'Compare from this source offset on (default: the log start of each partition)',
    }),
    'fail-on-duplicates': Flags.boolean({ summary: 'Duplicated records fail the check too' }),
    'records-max': Flags.integer({
      summary: 'Records per partition and side held in memory; more is an error',
      default: 5_000_000,
      min: 1,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(MirrorVerify);
    const [
      { resolveEndpoint },
      { clusterClientOptions, toOpsError },
      { ClusterClient },
      { verifyMirror },
      { failureSummary, renderVerifyText },
      { KtError, usageError },
      { parsePartitionList },
    ] = await Promise.all([
      import('../../src/mirror/endpoints.js'),
      import('../../src/ops/cluster/connect.js'),
      import('../../src/protocol/client/cluster.js'),
      import('../../src/mirror/verify.js'),
      import('../../src/mirror/verify-render.js'),
      import('../../src/errors/kt-error.js'),
      import('../../src/cli/partitions.js'),
    ]);
    for (const [flag, alias] of [
      ['--source-alias', flags['source-alias']],
      ['--target-alias', flags['target-alias']],
    ] as const) {
      if (!/^[A-Za-z0-9_-]+$/.test(alias)) {
        throw usageError(`${flag} ${JSON.stringify(alias)}: use letters, digits, '_' and '-' only`);
      }
    }
    const from = flags['from-source-offset'];
    if (from !== undefined && !/^\d{1,18}$/.test(from)) {
      throw usageError(`--from-source-offset ${JSON.stringify(from)}: expected an offset (0 or more)`);
    }
    const partitions =
      flags.partitions === undefined ? undefined : parsePartitionList(flags.partitions, '--partitions');
    const source = new ClusterClient(clusterClientOptions(resolveEndpoint(flags.source, '--source')));
    const target = new ClusterClient(clusterClientOptions(resolveEndpoint(flags.target, '--target')));
    let report: Awaited<ReturnType<typeof verifyMirror>>;
    try {
      await source.connect();
      await target.connect();
      report = await verifyMirror({
        source,
        target,
        sourceAlias: flags['source-alias'],
        targetAlias: flags['target-alias'],
        rename: flags.rename,
        topics: flags.topics,
        ...(partitions !== undefined ? { partitions } : {}),
        ...(from !== undefined ? { fromSourceOffset: BigInt(from) } : {}),
        failOnDuplicates: flags['fail-on-duplicates'],
        recordsMax: flags['records-max'],
        log: (line) => this.note(line),
      });
    } catch (error) {
      throw toOpsError(error);
    } finally {
      await Promise.all([source.close().catch(() => undefined), target.close().catch(() => undefined)]);
    }
    this.output(report, () => renderVerifyText(report));
    if (!report.ok) {
      // The report is on stdout; the error line and exit code 1 make scripts and CI fail the check.
      throw new KtError('KT_CHECK_FAILED', `Mirror verification failed: ${failureSummary(report)}`);
    }
  }
}
