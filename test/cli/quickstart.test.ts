/**
 * `kt quickstart` on a machine with no broker running: it starts one in the background, runs real kt
 * commands against it (create, produce, consume, describe) and leaves a broker that `kt broker status`
 * sees; a second run reuses it. Everything goes through the built binary, as a user would run it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKt } from './run-kt.js';

const home = mkdtempSync(join(tmpdir(), 'kt-quickstart-'));
const env = {
  XDG_DATA_HOME: join(home, 'data'),
  KT_CONFIG: join(home, 'config.yaml'),
  KT_BOOTSTRAP_SERVER: undefined,
  KT_PROFILE: undefined,
};

afterAll(async () => {
  await runKt(['broker', 'stop'], { env });
  rmSync(home, { recursive: true, force: true });
});

describe('kt quickstart', () => {
  it('starts a background broker, produces and consumes sample records, and describes the topic', async () => {
    const first = await runKt(['quickstart', '--port', '0'], { env, timeoutMs: 120_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Started a kt broker in the background on 127\.0\.0\.1:\d+/);
    // The six sample records come back, each key on one partition (murmur2), values in order per key.
    const consumed = [...first.stdout.matchAll(/^partition (\d) offset (\d+) {2}(\w+) = (.+)$/gm)].map(
      (m) => ({
        partition: Number(m[1]),
        key: m[3],
        value: m[4],
      }),
    );
    expect(consumed).toHaveLength(6);
    const partitionsByKey = new Map<string, Set<number>>();
    for (const r of consumed)
      partitionsByKey.set(r.key!, (partitionsByKey.get(r.key!) ?? new Set()).add(r.partition));
    expect([...partitionsByKey.values()].every((s) => s.size === 1)).toBe(true);
    expect(consumed.filter((r) => r.key === 'alice').map((r) => r.value)).toEqual([
      'signed up',
      'added a book to the cart',
    ]);
    expect(first.stdout).toMatch(/PARTITION\s+LEADER\s+REPLICAS\s+ISR/);
    expect(first.stdout).toContain('Next, try:');

    const status = await runKt(['broker', 'status', '--output', 'json'], { env });
    expect(status.code).toBe(0);
    const running = JSON.parse(status.stdout) as { running: boolean; bootstrap: string };
    expect(running.running).toBe(true);

    const second = await runKt(['quickstart', '--output', 'json'], { env, timeoutMs: 120_000 });
    expect(second.code).toBe(0);
    const result = JSON.parse(second.stdout) as {
      bootstrap: string;
      startedBroker: boolean;
      steps: Array<{ exitCode: number }>;
    };
    expect(result).toMatchObject({ bootstrap: running.bootstrap, startedBroker: false });
    expect(result.steps.map((s) => s.exitCode)).toEqual([0, 0, 0, 0]);
  });
});
