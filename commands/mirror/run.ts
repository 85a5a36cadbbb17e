import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class MirrorRun extends KtCommand {
  static override summary =
    'Replicate topics from a source cluster to a target cluster (MirrorMaker 2 style)';
  static override description =
    `Copies record batches as bytes (compressed batches stay compressed) with keys, values, headers, CreateTime timestamps and partitions kept. Runs until SIGINT/SIGTERM, then flushes and exits.

Topics: --topics is a whole-name regex or a comma-separated list (default: all); internal topics (__*, *.internal, *-internal, mm2-*, kt-mirror-*) are never copied. Target topics are named <source-alias>.<topic> (--rename prefix, MirrorMaker 2's default; topics named <target-alias>.* are skipped to prevent cycles) or keep their names (--rename identity), and are created with the source's partition count and topic configs except: leader/follower.replication.throttled.replicas, message.timestamp.*, unclean.leader.election.enable, min.insync.replicas. New topics, partitions and topic config changes are picked up every --refresh-interval.

Progress is stored in the target cluster (topic kt-mirror-offsets.<source-alias>.internal, Connect/MM2 source-offset JSON): a restart resumes where the last run left off; delivery is at least once. Offset syncs in MirrorMaker 2's format go to mm2-offset-syncs.<target-alias>.internal on the source at every gap and restart, so translation is exact.

Groups: every --checkpoint-interval the committed offsets of the source groups matching --groups (minus --groups-exclude) are translated and written as MirrorMaker 2 checkpoints to <source-alias>.checkpoints.internal on the target (readable by RemoteClusterUtils); --sync-group-offsets also commits them to target groups without active members. Heartbeats go to the target's heartbeats topic.

On a terminal, stderr shows a live table (lag, throughput, latency, checkpoints); otherwise a line every --stats-interval. --metrics-port serves Prometheus metrics. --config FILE runs several flows (docs/mirror-config.md).

--source/--target take a profile name (with its TLS/SASL settings) or host:port[,host:port] (plaintext).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --source 10.0.0.1:9092 --target 10.1.0.1:9092 --source-alias east --target-alias west',
    "<%= config.bin %> <%= command.id %> --source prod-east --target prod-west --topics 'orders|payments' --rename identity",
    "<%= config.bin %> <%= command.id %> --source prod-east --target prod-west --source-alias east --groups 'billing|shipping' --sync-group-offsets --metrics-port 9404",
    '<%= config.bin %> <%= command.id %> --config mirror.yaml',
  ];
  static override flags = {
    source: Flags.string({
      summary: 'Source cluster: profile name or host:port[,host:port]',
      exclusive: ['config'],
    }),
    target: Flags.string({
      summary: 'Target cluster: profile name or host:port[,host:port]',
      exclusive: ['config'],
    }),
    config: Flags.string({
      summary: 'YAML file with clusters and several flows (docs/mirror-config.md)',
      exclusive: ['source', 'target', 'topics', 'exclude', 'groups', 'groups-exclude'],
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
    groups: Flags.string({
      summary: 'Whole-name regex of source consumer groups to checkpoint (default all)',
    }),
    'groups-exclude': Flags.string({
      summary:
        "Whole-name regex of groups to leave out [default: MirrorMaker 2's console-consumer-.*|connect-.*|__.*]",
    }),
    'sync-group-offsets': Flags.boolean({
      summary: 'Also commit translated offsets in the target for groups with no active members there',
      default: false,
    }),
    'checkpoint-interval': Flags.integer({
      summary: "Seconds between group checkpoints [default: 5, or the --config file's settings]",
      min: 1,
    }),
    'heartbeat-interval': Flags.integer({
      summary: 'Seconds between heartbeats written to the target (0: none)',
      default: 1,
      min: 0,
    }),
    'metrics-port': Flags.integer({
      summary: 'Serve Prometheus metrics on this port (GET /metrics)',
      min: 0,
      max: 65535,
    }),
    'metrics-host': Flags.string({
      summary: 'Address the metrics endpoint binds to [default: 127.0.0.1]',
      dependsOn: ['metrics-port'],
    }),
    'refresh-interval': Flags.integer({
      summary:
        "Seconds between checks for new topics, partitions and config changes [default: 30, or the --config file's settings]",
      min: 1,
    }),
    'stats-interval': Flags.integer({
      summary:
        "Seconds between progress lines on stderr (when it is not a terminal) [default: 10, or the --config file's settings]",
      min: 1,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(MirrorRun);
    const [{ resolveEndpoint }, { toOpsError }, { runMirrorService }, { loadMirrorConfig }, { KtError }] =
      await Promise.all([
        import('../../src/mirror/endpoints.js'),
        import('../../src/ops/cluster/connect.js'),
        import('../../src/mirror/service.js'),
        import('../../src/mirror/config-file.js'),
        import('../../src/errors/kt-error.js'),
      ]);
    let flows: import('../../src/mirror/config-file.js').MirrorFlowConfig[];
    let settings: import('../../src/mirror/config-file.js').MirrorSettings = {};
    if (flags.config !== undefined) {
      const file = await loadMirrorConfig(flags.config);
      flows = file.flows;
      settings = file.settings;
    } else {
      if (flags.source === undefined || flags.target === undefined) {
        throw new KtError('KT_USAGE', 'give --source and --target, or --config FILE');
      }
      for (const [flag, alias] of [
        ['--source-alias', flags['source-alias']],
        ['--target-alias', flags['target-alias']],
      ] as const) {
        if (!/^[A-Za-z0-9_-]+$/.test(alias)) {
          throw new KtError(
            'KT_USAGE',
            `${flag} ${JSON.stringify(alias)}: use letters, digits, '_' and '-' only`,
          );
        }
      }
      if (flags['source-alias'] === flags['target-alias']) {
        throw new KtError('KT_USAGE', '--source-alias and --target-alias must differ');
      }
      flows = [
        {
          source: { alias: flags['source-alias'], connection: resolveEndpoint(flags.source, '--source') },
          target: { alias: flags['target-alias'], connection: resolveEndpoint(flags.target, '--target') },
          rename: flags.rename,
          ...(flags.topics !== undefined ? { topics: flags.topics } : {}),
          ...(flags.exclude !== undefined ? { exclude: flags.exclude } : {}),
          ...(flags.groups !== undefined ? { groups: flags.groups } : {}),
          ...(flags['groups-exclude'] !== undefined ? { groupsExclude: flags['groups-exclude'] } : {}),
          syncGroupOffsets: flags['sync-group-offsets'],
        },
      ];
    }
    // A flag given wins over the --config file's settings, which win over the defaults.
    const seconds = (flag: number | undefined, fromFile: number | undefined, fallback: number) =>
      (flag ?? fromFile ?? fallback) * 1000;
    const metricsPort = flags['metrics-port'] ?? settings.metricsPort;
    const controller = new AbortController();
    const stop = () => {
      if (controller.signal.aborted) {
        // A second signal: the operator does not want to wait for the flush (at least once still holds).
        this.note('mirror: stopping now without flushing');
        process.exit(130);
      }
      controller.abort(); // the service says it is stopping (above the live view on a terminal)
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const summaries = await runMirrorService({
        flows,
        signal: controller.signal,
        refreshIntervalMs: seconds(flags['refresh-interval'], settings.refreshIntervalS, 30),
        statsIntervalMs: seconds(flags['stats-interval'], settings.statsIntervalS, 10),
        checkpointIntervalMs: seconds(flags['checkpoint-interval'], settings.checkpointIntervalS, 5),
        heartbeatIntervalMs: flags['heartbeat-interval'] * 1000,
        ...(metricsPort !== undefined
          ? { metricsPort, metricsHost: flags['metrics-host'] ?? '127.0.0.1' }
          : {}),
        live: process.stderr, // drawn only when stderr is a terminal
        log: (line) => this.note(line),
      });
      const flowsOut = summaries.map((summary) => ({
        source: summary.sourceAlias,
        target: summary.targetAlias,
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
      }));
      // One flow: the flow's summary itself (the shape scripts already read); several: a list of them.
      const data = flowsOut.length === 1 ? flowsOut[0] : { flows: flowsOut };
      this.output(data, () =>
        summaries
          .map(
            (s) =>
              `${flowsOut.length > 1 ? `${s.sourceAlias}->${s.targetAlias}: ` : ''}Copied ${s.records} records (${s.bytes} bytes) in ${s.batches.forwarded} forwarded and ${s.batches.rebuilt} rebuilt batches; ${s.offsetSyncs} offset syncs\n`,
          )
          .join(''),
      );
    } catch (error) {
      throw toOpsError(error);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}
