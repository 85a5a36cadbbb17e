/**
 * Runs the built `kt` binary as a user would (a real child process: real argv parsing, real exit codes,
 * real stdout/stderr separation). `npm test` builds first (pretest), so dist/ is current.
 */
import { type ChildProcessByStdio, type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const KT_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface KtResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunKtOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  timeoutMs?: number;
}

export function runKt(args: string[], options: RunKtOptions = {}): Promise<KtResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [KT_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const result = collectOutput(child, options.timeoutMs ?? 30_000);
  child.stdin.end(options.input ?? '');
  return result;
}

/** Collects a child's stdout and stderr until it closes; SIGKILLs it after `timeoutMs`. */
export function collectOutput(
  child: ChildProcessWithoutNullStreams | ChildProcessByStdio<null, Readable, Readable>,
  timeoutMs: number,
): Promise<KtResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Resolves once the child's stdout so far equals `expected`; rejects after `timeoutMs`. */
export function stdoutReaches(
  child: { stdout: Readable },
  expected: string,
  timeoutMs = 45_000,
): Promise<void> {
  let out = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no output; stdout so far ${JSON.stringify(out)}`)),
      timeoutMs,
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out === expected) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** Each kt call is a process start; on a busy 2-core machine a dozen take minutes. */
export const CLI_TEST_TIMEOUT_MS = 300_000;

/**
 * `kt` against one cluster (`--bootstrap-server` appended, read at each call: a suite's fixture knows it
 * only once the suite started), and `ktJson` that runs it with `--output json`, expects exit 0 with
 * nothing on stderr, and parses stdout.
 */
export function ktAt(cluster: { readonly bootstrap: string }) {
  const kt = (...args: string[]) =>
    runKt([...args, '--bootstrap-server', cluster.bootstrap], { timeoutMs: 60_000 });
  const ktJson = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const r = await kt(...args, '--output', 'json');
    expect(r.stderr, r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  return { kt, ktJson };
}
