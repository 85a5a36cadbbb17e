import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { KtError } from '../../src/errors/kt-error.js';

export default class BrokerStop extends KtCommand {
  static override summary = 'Stop the background embedded broker';
  static override examples = ['<%= config.bin %> <%= command.id %>'];
  static override flags = {
    'data-dir': Flags.string({
      summary: 'Log directory of the broker to stop (default: $XDG_DATA_HOME/kt/broker)',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(BrokerStop);
    const { defaultDataDir, stopDetached } = await import('../../src/broker/daemon.js');
    const dataDir = flags['data-dir'] ?? defaultDataDir();
    const stopped = await stopDetached(dataDir);
    if (!stopped) throw new KtError('KT_NOT_FOUND', `No background broker for ${dataDir}`);
    this.output(
      { stopped: true, pid: stopped.pid, dataDir },
      () => `Stopped kt broker (pid ${stopped.pid})\n`,
    );
  }
}
