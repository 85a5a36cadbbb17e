import { Flags } from '@oclif/core';
import { KtCommand } from '../src/cli/base-command.js';

export default class Quickstart extends KtCommand {
  static override summary = 'Start a local kt broker and try kt on it';
  static override description =
    `Starts the embedded broker in the background when none runs, then creates a topic, produces sample records, consumes them back and describes the topic, showing each kt command as it runs. Stop the broker afterwards with "kt broker stop".

JSON shape (--output json; the commands' own output then goes to stderr): {"bootstrap": string, "startedBroker": boolean, "dataDir": string, "topic": string, "steps": [{"command": string, "exitCode": number}]}`;
  static override examples = ['<%= config.bin %> <%= command.id %>'];
  static override flags = {
    'data-dir': Flags.string({
      summary: 'Log directory of the background broker (default: $XDG_DATA_HOME/kt/broker)',
    }),
    port: Flags.integer({
      summary: 'Port for a new broker (a free one if taken)',
      default: 9092,
      min: 0,
      max: 65535,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(Quickstart);
    const { runQuickstart } = await import('../src/ops/quickstart.js');
    const structured = this.outputFormat !== 'table';
    const result = await runQuickstart({
      ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}),
      port: flags.port,
      write: (text) => (structured ? process.stderr : process.stdout).write(text),
    });
    if (structured) this.output(result, () => '');
  }
}
