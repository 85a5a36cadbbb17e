// Measuring helpers: wall-clock timing of child commands and async functions, and finding peer tools.
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Monotonic milliseconds (performance.now): never goes backwards when NTP adjusts the wall clock. */
export function nowMs(): number {
  return performance.now();
}

/** Wall milliseconds taken by fn (awaited). The result of fn is discarded. */
export async function timeIt(fn: () => unknown): Promise<number> {
  const start = nowMs();
  await fn();
  return nowMs() - start;
}

export interface TimeCommandOptions {
  /** File path to read stdin from; default: /dev/null (a peer must never wait on the terminal). */
  readonly stdinFile?: string;
  /** File path to write stdout to (truncated); default: /dev/null so printing cost stays out of the terminal. */
  readonly stdoutFile?: string;
  readonly cwd?: string;
  /** Extra environment variables, merged over process.env. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the command (SIGKILL) and reject after this long; default 120 000 ms. */
  readonly timeoutMs?: number;
}

/** Error from a timed command that failed: carries the exit status and the tail of its stderr. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
  ) {
    const how = signal !== null ? `killed by ${signal}` : `exited ${exitCode}`;
    super(`${command} ${how}${stderrTail ? `: ${stderrTail}` : ''}`);
    this.name = 'CommandFailedError';
  }
}

const STDERR_KEEP_BYTES = 2048;

/**
 * Run a command to completion and return its wall time in ms (spawn to exit). stdin/stdout go to
 * /dev/null or the given files; stderr is captured (last 2 KiB) for the error message and otherwise dropped.
 * Rejects with CommandFailedError on a non-zero exit, a signal, or the timeout.
 */
export async function timeCommand(
  command: string,
  args: readonly string[],
  options: TimeCommandOptions = {},
): Promise<number> {
  const stdinFd = openSync(options.stdinFile ?? '/dev/null', 'r');
  const stdoutFd = openSync(options.stdoutFile ?? '/dev/null', 'w');
  const timeoutMs = options.timeoutMs ?? 120_000;
  const shown = [command, ...args].join(' ');
  try {
    return await new Promise<number>((resolve, reject) => {
      const start = nowMs();
      const child = spawn(command, args, {
        stdio: [stdinFd, stdoutFd, 'pipe'],
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEEP_BYTES);
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${command}: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        const elapsedMs = nowMs() - start;
        clearTimeout(timer);
        if (timedOut) {
          reject(new CommandFailedError(shown, null, 'SIGKILL', `timed out after ${timeoutMs} ms`));
        } else if (code !== 0 || signal !== null) {
          reject(
            new CommandFailedError(shown, code, signal, stderr.trim().split('\n').slice(-3).join(' | ')),
          );
        } else {
          resolve(elapsedMs);
        }
      });
    });
  } finally {
    closeSync(stdinFd);
    closeSync(stdoutFd);
  }
}

/** Absolute path of an executable found on PATH (or the path itself if it is one), else null. */
export function which(command: string): string | null {
  const candidates = isAbsolute(command)
    ? [command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}
