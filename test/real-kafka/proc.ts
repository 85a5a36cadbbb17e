// Process and file-lock helpers for the real-Kafka harness.
//
// Several processes share test/real-kafka/state at once (a developer's `npm run kafka:start`, vitest runs of
// several engineers, their worker forks), so every read-modify-write of a state file happens under a lock.
// The lock is a directory (mkdir is atomic) holding the owner's pid; a lock whose owner is dead is broken.

import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 (after the parenthesised command name) is the state; Z = zombie, X = dead.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * True when `pid` is alive and its command line mentions `marker` (we pass the instance's data dir). This
 * guards against pid reuse: we only ever signal a process that is provably the broker we started.
 * Without /proc (non-Linux) we can only trust that the pid is alive.
 */
export function isPidRunning(pid: number, marker: string): boolean {
  if (!isPidAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * SIGTERM the process group led by `pid`, wait up to `termTimeoutMs`, then SIGKILL it and wait up to
 * `killTimeoutMs`. Returns false only when the process is still alive after both.
 */
export async function terminateGroup(
  pid: number,
  { termTimeoutMs = 15_000, killTimeoutMs = 5_000 }: { termTimeoutMs?: number; killTimeoutMs?: number } = {},
): Promise<boolean> {
  if (!isPidAlive(pid)) return true;
  signalGroup(pid, 'SIGTERM');
  if (await waitUntil(() => !isPidAlive(pid), termTimeoutMs)) return true;
  signalGroup(pid, 'SIGKILL');
  return waitUntil(() => !isPidAlive(pid), killTimeoutMs);
}

export async function waitUntil(check: () => boolean, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

/**
 * Run `fn` while holding the directory lock `lockDir`. Waits up to `timeoutMs` for another holder; a lock
 * whose owner pid is dead (or that has no owner file after `orphanMs`, i.e. its creator died between mkdir
 * and writing the file) is removed.
 */
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  { timeoutMs = 180_000, orphanMs = 10_000 }: { timeoutMs?: number; orphanMs?: number } = {},
): Promise<T> {
  const ownerFile = join(lockDir, 'owner');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(ownerFile, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await isLockStale(lockDir, ownerFile, orphanMs)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for lock ${lockDir} (remove it if no one holds it)`,
      );
    }
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function isLockStale(lockDir: string, ownerFile: string, orphanMs: number): Promise<boolean> {
  try {
    const owner = Number.parseInt(await readFile(ownerFile, 'utf8'), 10);
    if (Number.isInteger(owner) && owner > 0) return !isPidAlive(owner);
  } catch {
    // No owner file (yet): fall through to the age check.
  }
  try {
    return Date.now() - (await stat(lockDir)).mtimeMs > orphanMs;
  } catch {
    return false; // The lock vanished meanwhile: not stale, just retry.
  }
}
