import { failoverInput, pairFlags, sharedFailoverFlags } from '../../src/mirror/failover-flags.js';
import { FailoverCommandBase, runFailoverCommand } from './failover.js';

export default class MirrorFailback extends FailoverCommandBase {
  static override summary = 'Move consumer groups back to the original cluster after a failover';
  static override description =
    `The reverse of kt mirror failover: --from is the cluster the groups run on now (the old target, alias --from-alias), --to the one they return to (the old source, --to-alias). Same checks, plan, confirmation, commit and read-back.

Expected setup: a reverse mirror runs from --from to --to (kt mirror run --source <from> --target <to> --source-alias <from-alias> --target-alias <to-alias>) so what was produced on --from during the outage reaches --to; its offset syncs (on --from) and saved positions (on --to) translate those topics. With --rename prefix, topics on --from named <to-alias>.<topic> came from --to in the first place (the forward flow's copies; the reverse flow leaves them alone to prevent cycles): their offsets go back to <topic> on --to, translated through the forward flow's offset syncs (mm2-offset-syncs.<from-alias>.internal on --to) read the other way, as MirrorMaker 2's ReplicationPolicy.upstreamTopic maps them. Other topics go to <from-alias>.<topic> on --to through the reverse flow. With --rename identity every topic goes through the reverse flow under its own name.

If --from does not answer (or --from-down), the reverse flow's checkpoints on --to are used. JSON shape: as kt mirror failover, with direction "failback".`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --group billing --from west --to east --from-alias west --to-alias east --dry-run',
  ];
  static override flags = {
    ...sharedFailoverFlags,
    ...pairFlags('from', 'to', {
      from: 'Cluster the groups run on now: profile or host:port',
      to: 'Cluster the groups return to: profile or host:port',
      fromAlias: 'Alias of --from (the old target alias)',
      toAlias: 'Alias of --to (the old source alias)',
      fromTimeout: 'Connect timeout for --from; past it, it counts as down',
      fromDown: 'Do not contact --from: use the checkpoints on --to',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(MirrorFailback);
    await runFailoverCommand(this, failoverInput('failback', 'from', 'to', flags));
  }
}
