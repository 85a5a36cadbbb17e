/**
 * Running the embedded broker in the background: where its data and pid file live, starting it detached,
 * stopping it, and asking whether it runs. The pid file is JSON in the data folder:
 *   { "pid": 1234, "host": "127.0.0.1", "port": 9092, "dataDir": "...", "logFile": "...", "startedAt": "..." }
 * A pid file whose process is gone is stale and ignored (and removed by `stop`).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ktBinPath } from '../cli/paths.js';
import { KtError } from '../errors/kt-error.js';

export const PID_FILE = 'kt-broker.pid.json';

export interface BrokerPidFile {
  pid: number;
  host: string;
  port: number;
  dataDir: string;
  logFile: string;
  startedAt: string;
}

/** The default data folder: $XDG_DATA_HOME/kt/broker, else ~/.local/share/kt/broker. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'kt', 'broker');
}

export function readPidFile(dataDir: string): BrokerPidFile | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, PID_FILE), 'utf8')) as BrokerPidFile;
  } catch {
    return undefined;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface BrokerStatus {
  running: boolean;
  pidFile: BrokerPidFile | undefined;
  /** A pid file exists but its process is gone. */
  stale: boolean;
}

export async function brokerStatus(dataDir: string): Promise<BrokerStatus> {
  const pidFile = readPidFile(dataDir);
  if (!pidFile) return { running: false, pidFile: undefined, stale: false };
  const alive = processAlive(pidFile.pid) && (await portAnswers(pidFile.host, pidFile.port));
  return { running: alive, pidFile, stale: !alive };
}

export interface DetachOptions {
  host: string;
  port: number;
  dataDir: string;
  inMemory: boolean;
  config: readonly string[];
  /** How long to wait for the background broker to accept connections. */
  startTimeoutMs?: number;
}

/**
 * Starts `kt broker start` in the background (same node, same kt), its output in <dataDir>/broker.log,
 * and waits until its pid file appears and its port answers.
 */
export async function startDetached(options: DetachOptions): Promise<BrokerPidFile> {
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = join(options.dataDir, 'broker.log');
  const out = openSync(logFile, 'a');
  const args = [ktBinPath(), 'broker', 'start', '--host', options.host, '--port', String(options.port)];
  args.push('--data-dir', options.dataDir, '--pid-file');
  if (options.inMemory) args.push('--in-memory');
  for (const pair of options.config) args.push('--config', pair);
  rmSync(join(options.dataDir, PID_FILE), { force: true });
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const pidFile = readPidFile(options.dataDir);
    if (pidFile && pidFile.pid === child.pid && (await portAnswers(pidFile.host, pidFile.port)))
      return pidFile;
    if (child.exitCode !== null || !processAlive(child.pid ?? -1)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const tail = safeTail(logFile);
  throw new KtError('KT_IO', `The background broker did not start${tail ? `: ${tail}` : ''}`, {
    hint: `See ${logFile}`,
  });
}

function safeTail(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    return lines[lines.length - 1] ?? '';
  } catch {
    return '';
  }
}

/** Stops the background broker (SIGTERM, then SIGKILL after `timeoutMs`). Returns what was stopped. */
export async function stopDetached(dataDir: string, timeoutMs = 10_000): Promise<BrokerPidFile | undefined> {
  const pidFile = readPidFile(dataDir);
  if (!pidFile) return undefined;
  if (processAlive(pidFile.pid)) {
    process.kill(pidFile.pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (processAlive(pidFile.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (processAlive(pidFile.pid)) process.kill(pidFile.pid, 'SIGKILL');
  }
  rmSync(join(dataDir, PID_FILE), { force: true });
  return pidFile;
}
