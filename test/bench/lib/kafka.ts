// A real Apache Kafka for benchmarks that need a broker as the common ground for kt and its peer.
//
// Prefers the shared harness (test/real-kafka/harness.ts, acquireKafka/releaseKafka) when it exists; else
// (or if its shape is not what we expect) starts a private single-node KRaft broker itself, per protocol.md §9,
// from the jars in test/real-kafka/lib. Either way the caller gets { bootstrap, stop } and must call stop().
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { timeCommand, which } from './measure.js';
import { skipBench } from './runner.js';

const REAL_KAFKA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../real-kafka');
const LIB_DIR = join(REAL_KAFKA_DIR, 'lib');

export interface BenchKafka {
  /** host:port of the PLAINTEXT listener on loopback. */
  readonly bootstrap: string;
  /** 'harness' when test/real-kafka/harness.ts started it, 'direct' when this module did. */
  readonly via: 'harness' | 'direct';
  /** Stops the broker and removes its data. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartBenchKafkaOptions {
  /** Cluster name (harness state key / temp dir prefix); default 'bench'. */
  readonly name?: string;
  /** How long to wait for the broker to answer metadata; default 120 000 ms (JVM start on a busy 2-core box). */
  readonly startTimeoutMs?: number;
}

/** Why a real Kafka cannot run here, or null if it can (java and kcat on PATH, jars resolved). */
export function realKafkaUnavailable(): string | null {
  if (which('java') === null) return 'java not found on PATH (a real Apache Kafka needs JDK 17+)';
  if (which('kcat') === null) return 'kcat not found on PATH (used to probe that the broker is up)';
  if (!existsSync(LIB_DIR) || !readdirSync(LIB_DIR).some((f) => f.startsWith('kafka_2.13-'))) {
    return `Kafka jars not resolved in ${LIB_DIR} (run mvn dependency:copy-dependencies, see protocol.md §9)`;
  }
  return null;
}

/** Start a real Kafka or skipBench() with the reason it cannot run on this machine. */
export async function startBenchKafka(options: StartBenchKafkaOptions = {}): Promise<BenchKafka> {
  const reason = realKafkaUnavailable();
  if (reason !== null) skipBench(reason);
  const viaHarness = await tryHarness(options.name ?? 'bench');
  return viaHarness ?? startDirect(options);
}

interface HarnessModule {
  acquireKafka?: (name: string, opts: { holder: number }) => Promise<unknown>;
  releaseKafka?: (name: string, opts: { holder: number }) => Promise<unknown>;
}

/**
 * Through the shared harness, on a lease: a cluster of this name that someone started by hand is reused and
 * kept; one started here is stopped on release. Either way we stop only what we started.
 */
async function tryHarness(name: string): Promise<BenchKafka | null> {
  const file = join(REAL_KAFKA_DIR, 'harness.ts');
  if (!existsSync(file)) return null;
  // A computed specifier keeps tsc from binding to a module that may not exist in every checkout.
  const mod = (await import(pathToFileURL(file).href)) as HarnessModule;
  const { acquireKafka, releaseKafka } = mod;
  if (typeof acquireKafka !== 'function' || typeof releaseKafka !== 'function') return null;
  const holder = process.pid;
  const started = (await acquireKafka(name, { holder })) as { bootstrap?: unknown } | undefined;
  const bootstrap = started?.bootstrap;
  if (typeof bootstrap !== 'string') {
    await releaseKafka(name, { holder });
    return null;
  }
  let stopped: Promise<void> | undefined;
  return {
    bootstrap,
    via: 'harness',
    stop() {
      stopped ??= releaseKafka(name, { holder }).then(() => undefined);
      return stopped;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function serverProperties(brokerPort: number, controllerPort: number, dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // The default 128 MiB cleaner buffer is allocated at start-up; a smaller heap leaves room for the peer.
    'log.cleaner.dedupe.buffer.size=33554432',
    '',
  ].join('\n');
}

const LOG4J2 = [
  'status = warn',
  'appender.out.type = Console',
  'appender.out.name = STDERR',
  'appender.out.target = SYSTEM_ERR',
  'appender.out.layout.type = PatternLayout',
  'appender.out.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = WARN',
  'rootLogger.appenderRef.out.ref = STDERR',
  '',
].join('\n');

function tail(file: string, lines = 5): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
  } catch {
    return '(no log)';
  }
}

async function startDirect(options: StartBenchKafkaOptions): Promise<BenchKafka> {
  const dir = mkdtempSync(join(tmpdir(), `kt-${options.name ?? 'bench'}-kafka-`));
  const brokerPort = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === brokerPort) controllerPort = await freePort();
  const props = join(dir, 'server.properties');
  const log4j = join(dir, 'log4j2.properties');
  const logFile = join(dir, 'kafka.log');
  writeFileSync(props, serverProperties(brokerPort, controllerPort, join(dir, 'data')));
  writeFileSync(log4j, LOG4J2);
  const javaBase = ['-cp', `${LIB_DIR}/*`, `-Dlog4j2.configurationFile=${log4j}`, `-Dkafka.logs.dir=${dir}`];
  const bootstrap = `127.0.0.1:${brokerPort}`;

  let pid: number | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (pid !== undefined) await killGroup(pid);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    // Kafka's cluster ids are 16 random bytes in unpadded base64url, exactly what StorageTool random-uuid prints.
    const clusterId = randomBytes(16).toString('base64url');
    await timeCommand(
      'java',
      [...javaBase, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props],
      {
        timeoutMs: 60_000,
      },
    );
    const out = openSync(logFile, 'a');
    const child = spawn(
      'java',
      ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', ...javaBase, 'kafka.Kafka', props],
      // Own process group: stop() kills the JVM and anything it forked in one signal.
      { detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    pid = child.pid;
    let exited: string | null = null;
    child.on('exit', (code, signal) => {
      exited = `exited ${signal ?? code}`;
    });
    child.unref();
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    for (;;) {
      if (exited !== null) throw new Error(`Kafka ${exited} during start-up: ${tail(logFile)}`);
      try {
        // kcat -L succeeds only once the broker answers Metadata with itself in the broker list.
        await timeCommand('kcat', ['-L', '-b', bootstrap, '-m', '2'], { timeoutMs: 10_000 });
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(`Kafka did not answer on ${bootstrap} in time: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { bootstrap, via: 'direct', stop };
}

async function killGroup(pid: number): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let waitedMs = 0; alive() && waitedMs < 20_000; waitedMs += 200)
    await new Promise((r) => setTimeout(r, 200));
  if (alive()) signal('SIGKILL');
  for (let waitedMs = 0; alive() && waitedMs < 5_000; waitedMs += 100)
    await new Promise((r) => setTimeout(r, 100));
}
