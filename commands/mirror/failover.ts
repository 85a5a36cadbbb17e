import { KtCommand } from '../../src/cli/base-command.js';
import type { FailoverResult } from '../../src/mirror/failover.js';
import {
  type FailoverCommandInput,
  failoverInput,
  pairFlags,
  sharedFailoverFlags,
} from '../../src/mirror/failover-flags.js';

/** The body of both commands: connect (the source may be down), plan, confirm, commit, print. */
export async function runFailoverCommand(command: FailoverCommandBase, input: FailoverCommandInput) {
  const [
    { resolveEndpoint },
    { clusterClientOptions, toOpsError },
    { ClusterClient },
    failover,
    { KtError },
  ] = await Promise.all([
    import('../../src/mirror/endpoints.js'),
    import('../../src/ops/cluster/connect.js'),
    import('../../src/protocol/client/cluster.js'),
    import('../../src/mirror/failover.js'),
    import('../../src/errors/kt-error.js'),
  ]);
  for (const [flag, alias] of [
    [`${input.from.flag}-alias`, input.from.alias],
    [`${input.to.flag}-alias`, input.to.alias],
  ] as const) {
    if (!/^[A-Za-z0-9_-]+$/.test(alias)) {
      throw new KtError(
        'KT_USAGE',
        `${flag} ${JSON.stringify(alias)}: use letters, digits, '_' and '-' only`,
      );
    }
  }
  const target = new ClusterClient(clusterClientOptions(resolveEndpoint(input.to.value, input.to.flag)));
  const source = new ClusterClient(
    clusterClientOptions(resolveEndpoint(input.from.value, input.from.flag), {
      connectTimeoutMs: input.from.timeoutMs,
    }),
  );
  let sourceUp: typeof source | null = null;
  let sourceError: string | undefined;
  try {
    await target.connect();
    if (input.from.down) sourceError = `${input.from.flag}-down given`;
    else {
      try {
        await source.connect();
        sourceUp = source;
      } catch (error) {
        const code = error instanceof KtError ? error.code : undefined;
        if (code !== 'KT_CONNECTION' && code !== 'KT_TIMEOUT') throw error;
        sourceError = (error as Error).message;
        command.note(`${input.from.flag} ${input.from.value} unreachable: using checkpoints on the target`);
      }
    }
    const machineOutput = command.machineOutput();
    const result = await failover.runFailover({
      direction: input.direction,
      source: sourceUp,
      ...(sourceError !== undefined ? { sourceError } : {}),
      target,
      groups: input.groups,
      sourceAlias: input.from.alias,
      targetAlias: input.to.alias,
      rename: input.rename,
      ...(input.topics !== undefined ? { topics: input.topics } : {}),
      dryRun: input.dryRun,
      allowRewind: input.allowRewind,
      confirm: async (plan: FailoverResult) => {
        if (input.yes) return true;
        // The plan first, so the question is about what the operator just read.
        if (!machineOutput) process.stderr.write(failover.renderFailover(plan));
        const { confirm } = await import('../../src/cli/confirm.js');
        return confirm(`Commit these offsets on ${input.to.value}?`, { yes: false, machineOutput });
      },
    });
    command.emit(result, () => failover.renderFailover(result));
    if (result.executed && result.verified === false) {
      throw new KtError(
        'KT_KAFKA',
        `The offsets read back differ from the plan for ${result.mismatches.length} partition(s)`,
        {
          hint: 'another client may have committed at the same time; run the command again to see the state',
        },
      );
    }
  } catch (error) {
    throw toOpsError(error);
  } finally {
    await Promise.all([source.close().catch(() => undefined), target.close().catch(() => undefined)]);
  }
}

/** What runFailoverCommand needs of the command (KtCommand keeps these protected). */
export abstract class FailoverCommandBase extends KtCommand {
  override note(message: string): void {
    super.note(message);
  }

  machineOutput(): boolean {
    return this.outputFormat !== 'table';
  }

  emit(data: unknown, table: () => string): void {
    this.output(data, table);
  }
}

export default class MirrorFailover extends FailoverCommandBase {
  static override summary =
    'Move consumer groups from the source to the target of a mirror, at exact offsets';
  static override description =
    `For each --group: checks that the group has no active members on the target, translates its committed offsets on the source exactly (the offset syncs on the source and the mirror's saved positions on the target), prints the plan per partition (source offset, target offset, mirror lag, what is at risk), then — after confirmation, or with --yes — commits them on the target, reads them back and checks they equal the plan (exit 1 if not). A partition whose target offset is already ahead of the translation is left alone unless --allow-rewind.

If the source does not answer within --source-timeout-ms (or with --source-down), the latest MirrorMaker 2 checkpoints of the group on the target (<source-alias>.checkpoints.internal) are used instead, and the plan shows the RPO window: the mirror's last saved position per partition and its age, and the checkpoint's age (source records after that position are unknown until the source returns). A source broker that stops answering while the plan is read (the bootstrap answered, a leader or coordinator does not) also switches to the checkpoints, with a warning.

JSON (--output json): { direction, source: { alias, reachable, error }, target: { alias }, translatedFrom: "offset-syncs"|"checkpoints", dryRun, executed, verified, groups: [ { group, targetState, partitions: [ { sourceTopic, targetTopic, partition, sourceOffset, targetOffset, currentTargetOffset, mirrorPosition, mirrorPositionAgeMs, sourceEnd, mirrorLag, aheadBy, checkpointAgeMs, action, note } ] } ], mismatches, warnings }. action: commit | unchanged | skip-rewind | skip-unmapped | skip-not-mirrored.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --group billing --source east --target west --source-alias east --target-alias west --dry-run',
    '<%= config.bin %> <%= command.id %> -g billing -g shipping --source east --target west --source-alias east --target-alias west --yes -o json',
  ];
  static override flags = {
    ...sharedFailoverFlags,
    ...pairFlags('source', 'target', {
      from: 'Source cluster (the group runs here now): profile or host:port',
      to: 'Target cluster (the group moves here): profile or host:port',
      fromAlias: 'Alias of the source cluster (as given to kt mirror run)',
      toAlias: 'Alias of the target cluster (as given to kt mirror run)',
      toAliasDefault: 'target',
      fromTimeout: 'Connect timeout for the source; past it the source counts as down',
      fromDown: 'Do not contact the source: use the checkpoints on the target',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(MirrorFailover);
    await runFailoverCommand(this, failoverInput('failover', 'source', 'target', flags));
  }
}
