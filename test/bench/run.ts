// Benchmark runner: `npm run bench -- [--rounds N] [--warmup N] [NAME ...]`.
// With no NAME it runs every test/bench/*.bench.ts one after the other. Each bench runs in its own child
// process (this file again, with --child) so one bench's heap, JIT state and open handles cannot skew the next.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchDef, runBench } from './lib/index.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';
const USAGE = 'usage: npm run bench -- [--rounds N] [--warmup N] [NAME ...]';

function availableBenches(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

interface Args {
  names: string[];
  rounds?: number;
  warmup?: number;
  child?: string;
}

class UsageError extends Error {}

function parseCount(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag} needs an integer >= ${min}, got ${value ?? 'nothing'}`);
  }
  return n;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { names: [] };
  const envRounds = process.env.KT_BENCH_ROUNDS;
  const envWarmup = process.env.KT_BENCH_WARMUP;
  if (envRounds) args.rounds = parseCount('KT_BENCH_ROUNDS', envRounds, 1);
  if (envWarmup) args.warmup = parseCount('KT_BENCH_WARMUP', envWarmup, 0);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--rounds') args.rounds = parseCount(a, argv[++i], 1);
    else if (a.startsWith('--rounds=')) args.rounds = parseCount('--rounds', a.slice(9), 1);
    else if (a === '--warmup') args.warmup = parseCount(a, argv[++i], 0);
    else if (a.startsWith('--warmup=')) args.warmup = parseCount('--warmup', a.slice(9), 0);
    else if (a === '--child') args.child = argv[++i] ?? '';
    else if (a === '-h' || a === '--help') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else args.names.push(a.endsWith(SUFFIX) ? basename(a, SUFFIX) : a);
  }
  return args;
}

function isBenchDef(value: unknown): value is BenchDef<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { comparisons?: unknown }).comparisons === 'function'
  );
}

/** Child mode: import one bench file and run it in this process. */
async function runChild(name: string, args: Args): Promise<number> {
  const file = join(BENCH_DIR, `${name}${SUFFIX}`);
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!isBenchDef(mod.default)) {
    process.stderr.write(`bench ${name}: ${file} must \`export default defineBench({ ... })\`\n`);
    return 1;
  }
  await runBench(name, mod.default, {
    ...(args.rounds === undefined ? {} : { rounds: args.rounds }),
    ...(args.warmup === undefined ? {} : { warmup: args.warmup }),
  });
  return 0;
}

/** Parent mode: one child per bench, sequentially; stdout/stderr pass straight through. */
function spawnChild(name: string, args: Args): Promise<number> {
  const childArgs = [...process.execArgv, fileURLToPath(import.meta.url), '--child', name];
  if (args.rounds !== undefined) childArgs.push('--rounds', String(args.rounds));
  if (args.warmup !== undefined) childArgs.push('--warmup', String(args.warmup));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, childArgs, { stdio: 'inherit' });
    // Ctrl-C reaches the child directly (same process group); the child tears down its broker and exits
    // 130, so the parent must outlive it rather than die first. A SIGTERM aimed at the parent is passed on.
    const ignoreInt = (): void => {};
    const forwardTerm = (): void => {
      child.kill('SIGTERM');
    };
    process.on('SIGINT', ignoreInt);
    process.on('SIGTERM', forwardTerm);
    const done = (code: number): void => {
      process.off('SIGINT', ignoreInt);
      process.off('SIGTERM', forwardTerm);
      resolve(code);
    };
    child.on('error', (err) => {
      process.stderr.write(`bench ${name}: cannot start: ${err.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(err.message ? `error: ${err.message}\n${USAGE}\n` : `${USAGE}\n`);
    return err.message ? 2 : 0;
  }
  const available = availableBenches();
  const wanted = args.child !== undefined ? [args.child] : args.names.length > 0 ? args.names : available;
  const unknown = wanted.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `error: unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; available: ${available.join(', ') || '(none)'}\n`,
    );
    return 2;
  }
  if (args.child !== undefined) return runChild(args.child, args);

  let failed = 0;
  for (const name of wanted) {
    if (wanted.length > 1) process.stderr.write(`\n=== bench ${name} ===\n`);
    const code = await spawnChild(name, args);
    if (code === 130 || code === 143) return code; // Ctrl-C / SIGTERM: stop the run; the child tore down
    if (code !== 0) {
      failed++;
      process.stderr.write(`bench ${name}: failed (exit ${code})\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const debug = process.env.KT_DEBUG === '1';
    const msg = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
    process.stderr.write(`error: ${msg}\n`);
    process.exitCode = 1;
  },
);
