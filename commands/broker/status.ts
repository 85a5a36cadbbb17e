import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class BrokerStatus extends KtCommand {
  static override summary = 'Show whether the background embedded broker runs';
  static override description =
    'Exit code 0 when it runs, 1 when it does not. JSON shape: {"running": boolean, "pid": number|null, "bootstrap": string|null, "dataDir": string, "startedAt": string|null}';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --output json',
  ];
  static override flags = {
    'data-dir': Flags.string({ summary: 'Log directory of the broker (default: $XDG_DATA_HOME/kt/broker)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(BrokerStatus);
    const { defaultDataDir, brokerStatus } = await import('../../src/broker/daemon.js');
    const dataDir = flags['data-dir'] ?? defaultDataDir();
    const status = await brokerStatus(dataDir);
    const p = status.running ? status.pidFile : undefined;
    const data = {
      running: status.running,
      pid: p?.pid ?? null,
      bootstrap: p ? `${p.host}:${p.port}` : null,
      dataDir,
      startedAt: p?.startedAt ?? null,
    };
    this.output(data, () =>
      status.running
        ? `kt broker is running on ${data.bootstrap} (pid ${data.pid}, since ${data.startedAt})\n`
        : `kt broker is not running${status.stale ? ' (stale pid file)' : ''}\n`,
    );
    if (!status.running) process.exitCode = 1;
  }
}
