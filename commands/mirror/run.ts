import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class MirrorRun extends KtCommand {
  static override summary =
    'Replicate topics from a source cluster to a target cluster (MirrorMaker 2 style)';
  static override description =
    `Copies record batches as bytes (compressed batches stay compressed) with keys, values, headers, CreateTime timestamps and partitions kept. Runs until SIGINT/SIGTERM, then flushes and exits.

Topics: --topics is a whole-name regex or a comma-separated list (default: all); internal topics (__*, *.internal, *-internal, mm2-*, kt-mirror-*) are never copied. Target topics are named <source-alias>.<topic> (--rename prefix, MirrorMaker 2's default; topics named <target-alias>.* are skipped to prevent cycles) or keep their names (--rename identity), and are created with the source's partition count and topic configs except: leader/follower.replication.throttled.replicas, message.timestamp.*, unclean.leader.election.enable, min.insync.replicas. New topics and partitions are picked up every --refresh-interval.

Progress is stored in the target cluster (topic kt-mirror-offsets.<source-alias>.internal, Connect/MM2 source-offset JSON): a restart resumes where the last run left off; delivery is at least once. Offset syncs in MirrorMaker 2's format go to mm2-offset-syncs.<target-alias>.internal on the source at every gap and restart, so translation is exact.

--source/--target take a profile name (with its TLS/SASL settings) or host:port[,host:port] (plaintext).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --source 10.0.0.1:9092 --target 10.1.0.1:9092 --source-alias east --target-alias west',
    "<%= config.bin %> <%= command.id %> --source prod-east --target prod-west --topics 'orders|payments' --rename identity",
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
    'source-alias': Flags.string({
      summary: 'Alias of the source cluster (topic prefix)',
      default: 'source',
    }),
    'target-alias': Flags.string({
      summary: 'Alias of the target cluster (offset-syncs topic name)',
      default: 'target',
    }),
    topics: Flags.string({
      summary: 'Topics to copy: a whole-name regex or a comma-separated list (default all)',
    }),
    exclude: Flags.string({ summary: 'Whole-name regex of topics to leave out' }),
    rename: Flags.option({
      options: ['prefix', 'identity'] as const,
      default: 'prefix',
      summary: 'Target topic names',
    })(),
    'refresh-interval': Flags.integer({
      summary: 'Seconds between checks for new topics and partitions',
      default: 30,
      min: 1,
    }),
    'stats-interval': Flags.integer({
      summary: 'Seconds between progress lines on stderr',
      default: 10,
      min: 1,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(MirrorRun);
    const [{ resolveEndpoint }, { clusterClientOptions, toOpsError }, { ClusterClient }, { runMirror }] =
      await Promise.all([
        import('../../src/mirror/endpoints.js'),
        import('../../src/ops/cluster/connect.js'),
        import('../../src/protocol/client/cluster.js'),
        import('../../src/mirror/run.js'),
      ]);
    for (const [flag, alias] of [
      ['--source-alias', flags['source-alias']],
      ['--target-alias', flags['target-alias']],
    ] as const) {
      if (!/^[A-Za-z0-9_-]+$/.test(alias)) {
        const { KtError } = await import('../../src/cli/errors.js');
        throw new KtError(
          'KT_USAGE',
          `${flag} ${JSON.stringify(alias)}: use letters, digits, '_' and '-' only`,
        );
      }
    }
    const source = new ClusterClient(clusterClientOptions(resolveEndpoint(flags.source, '--source')));
    const target = new ClusterClient(clusterClientOptions(resolveEndpoint(flags.target, '--target')));
    const controller = new AbortController();
    const stop = () => {
      if (controller.signal.aborted) {
        // A second signal: the operator does not want to wait for the flush (at least once still holds).
        this.note('mirror: stopping now without flushing');
        process.exit(130);
      }
      this.note('mirror: stopping (flushing progress)…');
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      await source.connect();
      await target.connect();
      const summary = await runMirror({
        source,
        target,
        sourceAlias: flags['source-alias'],
        targetAlias: flags['target-alias'],
        rename: flags.rename,
        ...(flags.topics !== undefined ? { topics: flags.topics } : {}),
        ...(flags.exclude !== undefined ? { exclude: flags.exclude } : {}),
        refreshIntervalMs: flags['refresh-interval'] * 1000,
        statsIntervalMs: flags['stats-interval'] * 1000,
        signal: controller.signal,
        log: (line) => this.note(line),
      });
      const data = {
        records: summary.records,
        bytes: summary.bytes,
        offsetSyncs: summary.offsetSyncs,
        batches: summary.batches,
        topicsCreated: summary.topicsCreated,
        partitions: summary.partitions.map((p) => ({
          ...p,
          position: p.position.toString(),
          highWatermark: p.highWatermark.toString(),
        })),
      };
      this.output(
        data,
        () =>
          `Copied ${summary.records} records (${summary.bytes} bytes) in ${summary.batches.forwarded} forwarded and ${summary.batches.rebuilt} rebuilt batches; ${summary.offsetSyncs} offset syncs\n`,
      );
    } catch (error) {
      throw toOpsError(error);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await Promise.all([source.close().catch(() => undefined), target.close().catch(() => undefined)]);
    }
  }
}
