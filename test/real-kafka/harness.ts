// A real Apache Kafka (4.1.1 jars from Maven Central) for tests and benchmarks: single-node KRaft on
// loopback, data in a temp dir, any number of named clusters side by side.
//
//   const kafka = await startKafka({ name: 'source' });   // or reuse the running, healthy 'source'
//   kafka.bootstrap                                       // '127.0.0.1:PORT'
//   await runKafkaTool('TopicCommand', ['--bootstrap-server', kafka.bootstrap, '--list']);
//   await stopKafka('source');                            // process group gone, data dir removed
//
// Each running cluster is recorded in test/real-kafka/state/<name>.json. Test runs share one cluster via
// acquireKafka/releaseKafka: a cluster a test run started is stopped when the last run using it releases
// it; one started from the command line (`npm run kafka:start`) is kept until `npm run kafka:stop`.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { probeBootstrap } from './api-versions-probe.js';
import {
  ensureKafkaLib,
  javaBaseArgs,
  type Log,
  REAL_KAFKA_DIR,
  requireJava,
  runFile,
  STATE_DIR,
} from './lib.js';
import { isPidAlive, isPidRunning, sleep, terminateGroup, withLock } from './proc.js';

export { type ProbeResult, probeApiVersions, probeBootstrap } from './api-versions-probe.js';
export {
  ensureKafkaLib,
  LIB_DIR,
  type Log,
  REAL_KAFKA_DIR,
  realKafkaUnavailableReason,
  STATE_DIR,
} from './lib.js';
export { isPidAlive } from './proc.js';
export {
  type KafkaToolOptions,
  type KafkaToolResult,
  kafkaToolClass,
  kafkaToolClasses,
  runKafkaTool,
  spawnKafkaTool,
} from './tools.js';

export interface KafkaInstance {
  name: string;
  /** '127.0.0.1:PORT' */
  bootstrap: string;
  /** The broker JVM; it leads its own process group. */
  pid: number;
  /** Temp dir holding server.properties, data/ (log.dirs), logs/ and kafka.log. Removed on stop. */
  dataDir: string;
  /** The broker's stdout+stderr. */
  logFile: string;
  /** ISO time. */
  startedAt: string;
  clusterId: string;
  brokerPort: number;
  controllerPort: number;
  /** 'cli': started by hand, kept until stopKafka. 'auto': started by a test run, stopped by the last release. */
  owner: 'cli' | 'auto';
  /** Pids of test runs currently using this cluster (see acquireKafka). */
  leases: number[];
}

export interface StartKafkaOptions {
  name?: string;
  log?: Log;
  /** Bound on waiting for the broker to answer ApiVersions after launch. Default 60 s. */
  startTimeoutMs?: number;
  /** Default 'cli'. An 'auto' cluster reused by startKafka({ owner: 'cli' }) becomes 'cli'. */
  owner?: 'cli' | 'auto';
  /**
   * server.properties entries replacing or extending the template (e.g. { 'log.segment.bytes': '1048576' }).
   * Applied on a fresh start only: a running cluster of that name is reused as it is.
   */
  serverProperties?: Record<string, string>;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const BROKER_JVM_OPTS = [
  '-Xms256m',
  '-Xmx768m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
];
const START_ATTEMPTS_MAX = 3;
const HEALTH_PROBES_MAX = 5;
const LOG_TAIL_LINES = 40;
const silent: Log = () => {};

const stateFile = (name: string): string => join(STATE_DIR, `${name}.json`);
const lockDir = (name: string): string => join(STATE_DIR, `${name}.lock`);

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name))
    throw new Error(`bad cluster name ${JSON.stringify(name)}: use [A-Za-z0-9_-], max 64`);
}

export async function readKafkaState(name: string): Promise<KafkaInstance | undefined> {
  checkName(name);
  try {
    return JSON.parse(await readFile(stateFile(name), 'utf8')) as KafkaInstance;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writeState(instance: KafkaInstance): Promise<void> {
  const tmp = `${stateFile(instance.name)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(instance, null, 2)}\n`);
  await rename(tmp, stateFile(instance.name));
}

/** Recorded clusters (running or not), by name. */
export async function listKafka(): Promise<KafkaInstance[]> {
  if (!existsSync(STATE_DIR)) return [];
  const names = (await readdir(STATE_DIR)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  const instances = await Promise.all(names.filter((n) => NAME_PATTERN.test(n)).map(readKafkaState));
  return instances.filter((i): i is KafkaInstance => i !== undefined);
}

/** True when the instance's JVM is still the live process recorded (checked against its data dir). */
export function isKafkaRunning(instance: Pick<KafkaInstance, 'pid' | 'dataDir'>): boolean {
  return isPidRunning(instance.pid, instance.dataDir);
}

/**
 * Running and answering ApiVersions. A live JVM gets several chances: on a loaded machine one slow answer
 * must not make us tear down a cluster another test run is using.
 */
async function isHealthy(instance: KafkaInstance): Promise<boolean> {
  for (let attempt = 1; attempt <= HEALTH_PROBES_MAX; attempt++) {
    if (!isKafkaRunning(instance)) return false;
    if ((await probeBootstrap(instance.bootstrap, 3_000)).ok) return true;
    await sleep(1_000);
  }
  return false;
}

/** Distinct free loopback ports (all held open while choosing, so they differ). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (!address || typeof address === 'string') throw new Error('no port from listen(0)');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Kafka's cluster ids are 16 random bytes in unpadded base64url, never starting with '-'. */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function logTail(logFile: string): Promise<string> {
  try {
    return (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Kill the recorded JVM (only if it is provably ours), remove its data dir and its state file. */
async function destroy(instance: KafkaInstance): Promise<void> {
  if (isKafkaRunning(instance) && !(await terminateGroup(instance.pid))) {
    throw new Error(`Kafka ${instance.name} (pid ${instance.pid}) survived SIGTERM and SIGKILL`);
  }
  // Only ever delete a dir we created, whatever a state file says.
  if (isDataDirOf(instance.name, instance.dataDir))
    await rm(instance.dataDir, { recursive: true, force: true });
  await rm(stateFile(instance.name), { force: true });
}

/** mkdtemp(`kt-kafka-<name>-`) appends exactly 6 characters; matching them keeps `test` from `test-2`. */
function isDataDirOf(name: string, dir: string): boolean {
  const base = basename(dir);
  const prefix = `kt-kafka-${name}-`;
  return base.startsWith(prefix) && /^[A-Za-z0-9]{6}$/.test(base.slice(prefix.length));
}

/**
 * Remove data dirs of `name` that no state file points at: left by a start that was killed before it
 * launched the JVM. Callers hold the name's lock, so no other process is creating one right now.
 */
async function sweepOrphanDataDirs(name: string): Promise<void> {
  const root = tmpdir();
  for (const entry of await readdir(root)) {
    const dir = join(root, entry);
    if (isDataDirOf(name, dir)) await rm(dir, { recursive: true, force: true });
  }
}

/** `props` text with each key's line replaced, or appended when the template lacks it. */
function withProperties(props: string, overrides: Record<string, string>): string {
  let out = props;
  for (const [key, value] of Object.entries(overrides)) {
    if (!/^[\w.-]+$/.test(key) || /[\r\n]/.test(value))
      throw new Error(`bad server property ${key}=${value}`);
    const line = new RegExp(`^${key.replaceAll('.', '\\.')}=.*$`, 'm');
    out = line.test(out) ? out.replace(line, () => `${key}=${value}`) : `${out.trimEnd()}\n${key}=${value}\n`;
  }
  return out;
}

class BindError extends Error {}

/** One launch on fresh ports and a fresh data dir; cleans up after itself when it fails. */
async function launch(
  name: string,
  owner: 'cli' | 'auto',
  startTimeoutMs: number,
  serverProperties: Record<string, string>,
): Promise<KafkaInstance> {
  const [brokerPort, controllerPort] = (await freePorts(2)) as [number, number];
  const dataDir = await mkdtemp(join(tmpdir(), `kt-kafka-${name}-`));
  const logFile = join(dataDir, 'kafka.log');
  const propsFile = join(dataDir, 'server.properties');
  const clusterId = randomClusterId();
  const java = requireJava();
  let pid: number | undefined;
  try {
    const template = await readFile(join(REAL_KAFKA_DIR, 'server.properties'), 'utf8');
    const filled = template
      .replaceAll('@BROKER_PORT@', String(brokerPort))
      .replaceAll('@CONTROLLER_PORT@', String(controllerPort))
      .replaceAll('@DATA_DIR@', dataDir);
    await writeFile(propsFile, withProperties(filled, serverProperties));
    const format = await runFile(
      java,
      ['-Xmx256m', ...javaBaseArgs(), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile],
      { cwd: dataDir, timeoutMs: 60_000 },
    );
    if (format.code !== 0)
      throw new Error(`StorageTool format failed (exit ${format.code}):\n${format.stderr}${format.stdout}`);

    const logFd = openSync(logFile, 'a');
    const child = spawn(
      java,
      [
        ...BROKER_JVM_OPTS,
        ...javaBaseArgs(),
        `-Dkafka.logs.dir=${join(dataDir, 'logs')}`,
        'kafka.Kafka',
        propsFile,
      ],
      { cwd: dataDir, detached: true, stdio: ['ignore', logFd, logFd] },
    );
    closeSync(logFd);
    let exited: string | undefined;
    child.on('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
    });
    child.on('error', (err) => {
      exited = `failed to spawn: ${err.message}`;
    });
    child.unref();
    pid = child.pid;
    if (pid === undefined) throw new Error(`could not spawn ${java}`);

    const instance: KafkaInstance = {
      name,
      bootstrap: `127.0.0.1:${brokerPort}`,
      pid,
      dataDir,
      logFile,
      startedAt: new Date().toISOString(),
      clusterId,
      brokerPort,
      controllerPort,
      owner,
      leases: [],
    };
    // Recorded before it is ready: if this process dies while waiting, the next start or stop of `name`
    // still finds the JVM and its data dir to clean up.
    await writeState(instance);
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exited) throw new Error(`Kafka ${exited} before answering ApiVersions`);
      const probe = await probeBootstrap(instance.bootstrap, 1_000);
      if (probe.ok) return instance;
      if (Date.now() >= deadline) {
        throw new Error(
          `Kafka did not answer ApiVersions on ${instance.bootstrap} within ${startTimeoutMs} ms (${probe.reason})`,
        );
      }
      await sleep(200);
    }
  } catch (err) {
    const tail = await logTail(logFile);
    if (pid !== undefined) await terminateGroup(pid, { termTimeoutMs: 5_000 });
    await rm(dataDir, { recursive: true, force: true });
    await rm(stateFile(name), { force: true });
    const message = `starting Kafka ${name} failed: ${(err as Error).message}\n--- last lines of ${logFile} ---\n${tail}`;
    if (/BindException|Address already in use/.test(tail)) throw new BindError(message);
    throw new Error(message);
  }
}

/** startKafka without taking the lock (callers hold it). */
async function startLocked(name: string, opts: StartKafkaOptions): Promise<KafkaInstance> {
  const log = opts.log ?? silent;
  const owner = opts.owner ?? 'cli';
  const existing = await readKafkaState(name);
  if (existing) {
    if (await isHealthy(existing)) {
      log(`reusing Kafka ${name} (pid ${existing.pid})`);
      if (owner === 'cli' && existing.owner !== 'cli') {
        existing.owner = 'cli';
        await writeState(existing);
      }
      return existing;
    }
    log(`Kafka ${name} recorded but not healthy (pid ${existing.pid}); cleaning it up`);
    await destroy(existing);
  }
  await sweepOrphanDataDirs(name);
  await ensureKafkaLib({ log });
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const instance = await launch(name, owner, opts.startTimeoutMs ?? 60_000, opts.serverProperties ?? {});
      log(
        `Kafka ${name} up in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${instance.pid}, ${instance.dataDir})`,
      );
      return instance;
    } catch (err) {
      // Another process can grab a port between freePorts() and the JVM binding it: retry on new ports.
      if (!(err instanceof BindError) || attempt >= START_ATTEMPTS_MAX) throw err;
      log(`port taken while starting Kafka ${name}; retrying on new ports`);
    }
  }
}

/**
 * Start the cluster `name` (default 'default'), or reuse it when it is already running and answers
 * ApiVersions. Resolves once it serves requests; on failure rejects with the tail of its log, leaving no
 * process or data behind.
 */
export async function startKafka(opts: StartKafkaOptions = {}): Promise<KafkaInstance> {
  const name = opts.name ?? 'default';
  checkName(name);
  await mkdir(STATE_DIR, { recursive: true });
  return withLock(lockDir(name), () => startLocked(name, opts));
}

/** Stop `name`: SIGTERM its process group, SIGKILL after a bound, remove data dir and state. False if unknown. */
export async function stopKafka(name: string, { log = silent }: { log?: Log } = {}): Promise<boolean> {
  checkName(name);
  await mkdir(STATE_DIR, { recursive: true });
  return withLock(lockDir(name), async () => {
    const instance = await readKafkaState(name);
    if (instance) await destroy(instance);
    await sweepOrphanDataDirs(name);
    if (instance) log(`stopped Kafka ${name} (pid ${instance.pid}); removed ${instance.dataDir}`);
    return instance !== undefined;
  });
}

/** Names with a kt-kafka-<name>-XXXXXX data dir in the temp dir (maybe orphaned by a killed start). */
async function namesWithDataDirs(): Promise<string[]> {
  const names = new Set<string>();
  for (const entry of await readdir(tmpdir())) {
    const match = /^kt-kafka-(.+)-[A-Za-z0-9]{6}$/.exec(entry);
    if (match?.[1] && NAME_PATTERN.test(match[1])) names.add(match[1]);
  }
  return [...names];
}

/** Stop every recorded cluster and sweep orphaned data dirs; returns the names of the clusters stopped. */
export async function stopAllKafka({ log = silent }: { log?: Log } = {}): Promise<string[]> {
  const stopped: string[] = [];
  const names = new Set([...(await listKafka()).map((i) => i.name), ...(await namesWithDataDirs())]);
  for (const name of names) {
    if (await stopKafka(name, { log })) stopped.push(name);
  }
  return stopped;
}

/**
 * Start or reuse `name` on behalf of `holder` (a test run's pid) and record the lease. Idempotent per
 * holder, so every worker of one test run may call it with the run's pid.
 */
export async function acquireKafka(
  name: string,
  { holder, log, startTimeoutMs }: { holder: number; log?: Log; startTimeoutMs?: number },
): Promise<KafkaInstance> {
  checkName(name);
  await mkdir(STATE_DIR, { recursive: true });
  return withLock(lockDir(name), async () => {
    const opts: StartKafkaOptions = { name, owner: 'auto' };
    if (log) opts.log = log;
    if (startTimeoutMs !== undefined) opts.startTimeoutMs = startTimeoutMs;
    const instance = await startLocked(name, opts);
    const leases = new Set(instance.leases.filter(isPidAlive));
    leases.add(holder);
    instance.leases = [...leases];
    await writeState(instance);
    return instance;
  });
}

/**
 * Drop `holder`'s lease (and those of dead holders). An 'auto' cluster with no lease left is stopped;
 * a 'cli' one is kept. Returns what happened.
 */
export async function releaseKafka(
  name: string,
  { holder, log = silent }: { holder: number; log?: Log },
): Promise<'stopped' | 'kept' | 'absent'> {
  checkName(name);
  if (!existsSync(stateFile(name))) return 'absent';
  return withLock(lockDir(name), async () => {
    const instance = await readKafkaState(name);
    if (!instance) return 'absent';
    instance.leases = instance.leases.filter((pid) => pid !== holder && isPidAlive(pid));
    if (instance.owner === 'auto' && instance.leases.length === 0) {
      await destroy(instance);
      log(`stopped Kafka ${name} (pid ${instance.pid})`);
      return 'stopped';
    }
    await writeState(instance);
    return 'kept';
  });
}
