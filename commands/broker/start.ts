import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class BrokerStart extends KtCommand {
  static override summary = 'Start the embedded Kafka-compatible broker';
  static override description =
    `Runs in the foreground until SIGINT/SIGTERM (then flushes, writes checkpoints and a clean-shutdown marker). With --detach it runs in the background with a pid file; manage it with "kt broker status" and "kt broker stop". Starting updates the "local" profile so later commands find the broker without flags.

Broker settings use Apache Kafka's names: --config num.partitions=3 --config log.retention.ms=3600000 …`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --detach --port 19092',
    '<%= config.bin %> <%= command.id %> --in-memory --port 0 --config num.partitions=3',
  ];
  static override flags = {
    host: Flags.string({ summary: 'Address to listen on', default: '127.0.0.1' }),
    port: Flags.integer({ summary: 'Port (0 picks a free one)', default: 9092, min: 0, max: 65535 }),
    'data-dir': Flags.string({ summary: 'Log directory (default: $XDG_DATA_HOME/kt/broker)' }),
    'in-memory': Flags.boolean({ summary: 'Keep everything in memory (nothing survives a stop)' }),
    config: Flags.string({ summary: 'Broker setting key=value (repeatable)', multiple: true, default: [] }),
    detach: Flags.boolean({ summary: 'Run in the background' }),
    'pid-file': Flags.boolean({ hidden: true, summary: 'Write the pid file (used by --detach)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(BrokerStart);
    const { defaultDataDir, startDetached, brokerStatus } = await import('../../src/broker/daemon.js');
    const { parseConfigPairs, brokerSettings } = await import('../../src/broker/config.js');
    const dataDir = flags['data-dir'] ?? defaultDataDir();
    const config = parseConfigPairs(flags.config);
    brokerSettings(config); // validate before starting anything
    if (flags.detach) {
      const status = await brokerStatus(dataDir);
      if (status.running) {
        const p = status.pidFile!;
        this.error(`A broker already runs on ${p.host}:${p.port} (pid ${p.pid}, data ${dataDir})`, {
          exit: 1,
        });
      }
      const pid = await startDetached({
        host: flags.host,
        port: flags.port,
        dataDir,
        inMemory: flags['in-memory'],
        config: flags.config,
      });
      const data = { pid: pid.pid, bootstrap: `${pid.host}:${pid.port}`, dataDir, logFile: pid.logFile };
      this.output(
        data,
        () =>
          `kt broker started in the background on ${data.bootstrap} (pid ${pid.pid}, log ${pid.logFile})\n`,
      );
      return;
    }
    const { runBroker } = await import('../../src/broker/run.js');
    const broker = await runBroker({
      host: flags.host,
      port: flags.port,
      dataDir,
      inMemory: flags['in-memory'],
      config,
      pidFile: flags['pid-file'],
      saveLocalProfile: true,
      log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    });
    const where = broker.dataDir ?? 'in memory';
    process.stdout.write(
      `kt broker listening on ${broker.bootstrap} (cluster id ${broker.clusterId}, data ${where})\n`,
    );
    await new Promise(() => {}); // until a signal stops the process
  }
}
