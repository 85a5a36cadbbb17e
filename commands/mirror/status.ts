import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class MirrorStatus extends KtCommand {
  static override summary = "Show a mirror's position, checkpoints and heartbeats from the target cluster";
  static override description =
    `Reads what kt mirror run leaves in the target cluster, so it works while the mirror is down: the progress topic kt-mirror-offsets.<source-alias>.internal (per source partition the next offset to copy and when it was written), the checkpoints topic <source-alias>.checkpoints.internal (the latest per group and partition, with its age) and the heartbeats topic (the newest heartbeat of each flow from <source-alias>, with its age).

With --source, also the source's end offsets and so the lag in records per partition; a source that cannot be reached is reported (source.reachable false), not an error.

JSON shape: {"sourceAlias", "atMs", "topics": {"progress", "checkpoints", "heartbeats"}, "source": {"checked": boolean, "reachable": boolean|null, "error": string|null}, "totals": {"partitions", "lagRecords": number|null, "progressAgeSecondsMax": number|null, "newestHeartbeatAgeSeconds": number|null, "checkpoints", "skippedRecords"}, "partitions": [{"topic", "partition", "position", "progressAtMs", "progressAgeSeconds", "sourceEnd": number|null, "lagRecords": number|null}], "checkpoints": [{"group", "topic", "partition", "upstreamOffset", "downstreamOffset", "atMs", "ageSeconds"}], "heartbeats": [{"sourceAlias", "targetAlias", "timestampMs", "ageSeconds"}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --target 10.1.0.1:9092 --source-alias east',
    '<%= config.bin %> <%= command.id %> --target prod-west --source prod-east --source-alias east -o json',
  ];
  static override flags = {
    target: Flags.string({
      summary: 'Target cluster: profile name or host:port[,host:port]',
      required: true,
    }),
    source: Flags.string({
      summary: 'Source cluster, for lag: profile name or host:port[,host:port]',
    }),
    'source-alias': Flags.string({
      summary: 'Alias of the source cluster, as given to kt mirror run',
      default: 'source',
    }),
    'source-timeout': Flags.integer({
      summary: 'Seconds to wait for the source before reporting it unreachable',
      default: 10,
      min: 1,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(MirrorStatus);
    const [
      { resolveEndpoint },
      { clusterClientOptions, toOpsError },
      { ClusterClient },
      { mirrorStatus, renderStatus },
    ] = await Promise.all([
      import('../../src/mirror/endpoints.js'),
      import('../../src/ops/cluster/connect.js'),
      import('../../src/protocol/client/cluster.js'),
      import('../../src/mirror/status.js'),
    ]);
    const target = new ClusterClient(clusterClientOptions(resolveEndpoint(flags.target, '--target')));
    const timeoutMs = flags['source-timeout'] * 1000;
    const source =
      flags.source === undefined
        ? undefined
        : new ClusterClient(
            clusterClientOptions(resolveEndpoint(flags.source, '--source'), {
              connectTimeoutMs: timeoutMs,
              requestTimeoutMs: timeoutMs,
            }),
          );
    let status: Awaited<ReturnType<typeof mirrorStatus>>;
    try {
      await target.connect();
      status = await mirrorStatus({
        target,
        sourceAlias: flags['source-alias'],
        ...(source ? { source } : {}),
      });
    } catch (error) {
      throw toOpsError(error);
    } finally {
      await Promise.all([target.close().catch(() => undefined), source?.close().catch(() => undefined)]);
    }
    this.output(status, () => renderStatus(status));
  }
}
