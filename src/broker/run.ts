/**
 * `kt broker start` as a service: start the broker, record the `local` profile and (for --detach
 * children) the pid file, and stop cleanly on SIGINT/SIGTERM. Kept out of the command so tests and
 * quickstart share it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigFile, saveProfile } from '../cli/config.js';
import { type BrokerPidFile, PID_FILE } from './daemon.js';
import { type RunningBroker, startBroker } from './index.js';

export interface RunBrokerOptions {
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  config: Record<string, string>;
  /** Write <dataDir>/kt-broker.pid.json (background brokers). */
  pidFile: boolean;
  /** Update the `local` profile to point at this broker. */
  saveLocalProfile: boolean;
  log: (line: string) => void;
}

export async function runBroker(options: RunBrokerOptions): Promise<RunningBroker> {
  const broker = await startBroker({
    host: options.host,
    port: options.port,
    ...(options.inMemory ? { inMemory: true } : { dataDir: options.dataDir }),
    config: options.config,
    log: options.log,
  });
  if (options.saveLocalProfile) {
    const config = readConfigFile();
    saveProfile(
      'local',
      { bootstrapServers: [broker.bootstrap] },
      { makeCurrent: config.currentProfile === undefined },
    );
  }
  const pidPath = join(options.dataDir, PID_FILE);
  if (options.pidFile) {
    const pid: BrokerPidFile = {
      pid: process.pid,
      host: broker.host === '0.0.0.0' || broker.host === '::' ? '127.0.0.1' : broker.host,
      port: broker.port,
      dataDir: options.dataDir,
      logFile: join(options.dataDir, 'broker.log'),
      startedAt: new Date().toISOString(),
    };
    writeFileSync(pidPath, `${JSON.stringify(pid)}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log(`received ${signal}, stopping`);
    void broker.close().then(
      () => {
        if (options.pidFile) rmSync(pidPath, { force: true });
        options.log('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        options.log(`error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return broker;
}
