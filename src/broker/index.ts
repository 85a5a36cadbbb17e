/**
 * The embedded Kafka-compatible broker, embeddable from code:
 *
 *   const broker = await startBroker({ port: 0 });          // in memory, free port, 127.0.0.1
 *   const persistent = await startBroker({ port: 0, dataDir: '/tmp/kt-data' });
 *   …clients connect to broker.bootstrap…
 *   await broker.close();                                   // flush, checkpoints, clean-shutdown marker
 *
 * Without `dataDir` the broker keeps everything in memory (as with `inMemory: true`).
 */
import { randomBytes } from 'node:crypto';
import { type LogFs, nodeFs } from '../log/fs.js';
import { MemFs } from '../log/mem-fs.js';
import { uuidToString } from '../protocol/reader.js';
import { type BrokerConfigInput, brokerSettings } from './config.js';
import { checkBrokerConfigs } from './configs.js';
import { BrokerCore, DYNAMIC_CONFIGS_FILE } from './core.js';
import { BrokerGroups } from './group-wiring.js';
import { listen } from './server.js';
import { META_PROPERTIES, TopicManager } from './topics.js';

export { BROKER_DEFAULTS, type BrokerConfigInput, brokerSettings, parseConfigPairs } from './config.js';
export { BrokerCore } from './core.js';

export interface StartBrokerOptions {
  /** Listen address; default 127.0.0.1 (never all interfaces unless asked). */
  host?: string;
  /** Port; 0 picks a free one. Default 9092. */
  port?: number;
  /** Host advertised to clients in Metadata; default: `host`, or 127.0.0.1 when listening on 0.0.0.0/::. */
  advertisedHost?: string;
  /** Log directory; omitted (or inMemory) keeps everything in memory. */
  dataDir?: string;
  inMemory?: boolean;
  /** Broker settings by Kafka name (num.partitions, log.retention.ms, …). */
  config?: BrokerConfigInput | Record<string, string>;
  /** Where the broker's log lines go (one line each); default: discarded. */
  log?: (line: string) => void;
}

export interface RunningBroker {
  /** host:port for clients. */
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
  /** The log directory, or null in memory. */
  readonly dataDir: string | null;
  readonly core: BrokerCore;
  close(): Promise<void>;
}

const MEMORY_DIR = '/kt-memory';

export async function startBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  const staticConfig = options.config ?? {};
  let settings = brokerSettings(staticConfig);
  const host = options.host ?? '127.0.0.1';
  const inMemory = options.inMemory === true || options.dataDir === undefined;
  const fs: LogFs = inMemory ? new MemFs() : nodeFs;
  const dataDir = inMemory ? MEMORY_DIR : options.dataDir!;
  const log = options.log ?? (() => {});
  const clusterId = readClusterId(fs, dataDir) ?? uuidToString(randomBytes(16));
  const dynamicConfigs = readDynamicConfigs(fs, dataDir);
  if (Object.keys(dynamicConfigs).length > 0) settings = checkBrokerConfigs(settings, dynamicConfigs);
  const topics = TopicManager.open({ dataDir, fs, settings, clusterId, log });
  const groups = BrokerGroups.start({ topics, settings, log });
  const advertisedHost = options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const core = new BrokerCore({
    settings,
    clusterId,
    topics,
    groups,
    advertisedHost,
    port: options.port ?? 9092,
    log,
  });
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen({
      host,
      port: options.port ?? 9092,
      requestBytesMax: settings['socket.request.max.bytes'],
      handler: (frame, connection) => core.dispatch(frame, connection),
      log,
    });
  } catch (error) {
    groups.close();
    topics.close();
    throw error;
  }
  core.port = server.port;
  topics.startBackgroundWork(settings['log.retention.check.interval.ms']);
  let closing: Promise<void> | undefined;
  return {
    bootstrap: `${advertisedHost.includes(':') ? `[${advertisedHost}]` : advertisedHost}:${server.port}`,
    host,
    port: server.port,
    clusterId,
    dataDir: inMemory ? null : dataDir,
    core,
    close: () => {
      closing ??= (async () => {
        await server.close();
        groups.close();
        topics.close();
      })();
      return closing;
    },
  };
}

function readDynamicConfigs(fs: LogFs, dataDir: string): Record<string, string> {
  const path = `${dataDir}/${DYNAMIC_CONFIGS_FILE}`;
  if (!fs.exists(path)) return {};
  const file = JSON.parse(new TextDecoder().decode(fs.readFile(path))) as {
    version: number;
    configs: Record<string, string>;
  };
  if (file.version !== 1) throw new Error(`${path} has version ${file.version}; this kt reads version 1`);
  return file.configs;
}

function readClusterId(fs: LogFs, dataDir: string): string | undefined {
  const path = `${dataDir}/${META_PROPERTIES}`;
  if (!fs.exists(path)) return undefined;
  const match = /^cluster\.id=(.+)$/m.exec(new TextDecoder().decode(fs.readFile(path)));
  return match?.[1]?.trim();
}
