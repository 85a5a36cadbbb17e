/**
 * Runs the built `kt` binary as a user would (a real child process: real argv parsing, real exit codes,
 * real stdout/stderr separation). `npm test` builds first (pretest), so dist/ is current.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, [KT_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(options.input ?? '');
  });
}
