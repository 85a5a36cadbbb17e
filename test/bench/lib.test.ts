// Unit tests of the benchmark harness: stats, formatting, the round protocol and the runner's CLI.
// No timing assertions: cases here return fixed numbers, and real timings are only checked to be numbers.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type BenchDef,
  CommandFailedError,
  type FigureResult,
  jsonLine,
  latencySummary,
  mbPerSec,
  peer,
  percentile,
  ratioOf,
  runBench,
  skipBench,
  skipPeer,
  summarize,
  throughput,
  timeCommand,
} from './lib/index.js';
import { sampleValues } from './lib/runner.js';
import { formatNumber, roundSig } from './lib/stats.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

describe('stats', () => {
  it('summarizes odd and even counts, order-independent', () => {
    expect(summarize([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5, count: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4, count: 4 });
    expect(summarize([7])).toEqual({ min: 7, median: 7, max: 7, count: 1 });
  });

  it('rejects empty and non-finite input', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(latencySummary([10, 20, 30, 40])).toEqual({ p50: 20, p99: 40, max: 40, count: 4 });
  });

  it('computes throughput in units per second, MB = 10^6 B', () => {
    expect(throughput(1000, 2)).toBe(500);
    expect(mbPerSec(5_000_000, 0.5)).toBe(10);
    expect(() => throughput(1, 0)).toThrow(RangeError);
  });

  it('orients the ratio so > 1 means kt is better', () => {
    expect(ratioOf(200, 100, 'higher')).toBe(2); // kt twice the throughput
    expect(ratioOf(50, 100, 'lower')).toBe(2); // kt takes half the time
    expect(ratioOf(100, 50, 'lower')).toBe(0.5);
    expect(ratioOf(1, null, 'higher')).toBeNull();
    expect(ratioOf(0, 10, 'lower')).toBeNull();
  });

  it('formats numbers for people and rounds for JSON', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.012');
    expect(roundSig(123456.789)).toBe(123500);
    expect(roundSig(0.000123456)).toBe(0.0001235);
  });
});

describe('sampleValues', () => {
  const one = [{ name: 'a_ms', unit: 'ms', better: 'lower' as const }];
  const two = [...one, { name: 'b_per_s', unit: '/s', better: 'higher' as const }];
  it('accepts a number for one metric and an object for several', () => {
    expect(sampleValues('x', one, 3)).toEqual([3]);
    expect(sampleValues('x', two, { b_per_s: 2, a_ms: 1 })).toEqual([1, 2]);
  });
  it('rejects mismatched shapes with the case name', () => {
    expect(() => sampleValues('x', two, 3)).toThrow(/x returned one number/);
    expect(() => sampleValues('x', two, { a_ms: 1 })).toThrow(/metric b_per_s/);
    expect(() => sampleValues('x', one, Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => sampleValues('x', one, undefined)).toThrow(TypeError);
  });
});

/** Run a bench with captured output; returns the results and what it printed. */
async function capture<Ctx>(def: BenchDef<Ctx>, rounds?: number) {
  const out: string[] = [];
  const log: string[] = [];
  const results = await runBench('unit', def, {
    ...(rounds === undefined ? {} : { rounds }),
    out: (l) => out.push(l),
    log: (l) => log.push(l),
  });
  return { results, out, log };
}

describe('runBench', () => {
  it('warms up, interleaves kt and peer alternately, and ends with one JSON line per figure', async () => {
    const calls: string[] = [];
    let torn = 0;
    const { results, out } = await capture({
      warmup: 1,
      setup: () => ({ base: 10 }),
      teardown: () => {
        torn++;
      },
      comparisons: (ctx) => [
        {
          label: 'two figures',
          metrics: [
            { name: 'rate_per_s', unit: 'records/s', better: 'higher' },
            { name: 'p99_ms', unit: 'ms', better: 'lower' },
          ],
          kt: ({ round, warmup }) => {
            calls.push(`kt${warmup ? 'w' : ''}${round}`);
            return { rate_per_s: ctx.base * (round + 1) * 2, p99_ms: 1 };
          },
          peer: peer('other', ({ round, warmup }) => {
            calls.push(`peer${warmup ? 'w' : ''}${round}`);
            return { rate_per_s: ctx.base * (round + 1), p99_ms: 4 };
          }),
        },
      ],
    });
    expect(calls).toEqual(['ktw0', 'peerw0', 'kt0', 'peer0', 'peer1', 'kt1', 'kt2', 'peer2']);
    expect(torn).toBe(1);
    expect(results).toHaveLength(2);
    const expected: FigureResult[] = [
      {
        bench: 'unit',
        metric: 'rate_per_s',
        unit: 'records/s',
        better: 'higher',
        kt: 40,
        peer: 'other',
        peerValue: 20,
        ratio: 2,
        rounds: 3,
      },
      {
        bench: 'unit',
        metric: 'p99_ms',
        unit: 'ms',
        better: 'lower',
        kt: 1,
        peer: 'other',
        peerValue: 4,
        ratio: 4,
        rounds: 3,
      },
    ];
    expect(results).toEqual(expected);
    // The JSON lines are the last lines printed, in figure order, and parse back to the figures.
    const last = out.slice(-2).map((l) => JSON.parse(l) as unknown);
    expect(last).toEqual(expected);
    expect(out[0]).toContain('two figures');
    expect(out[0]).toContain('2.00x');
  });

  it('reports a skipped peer with peerValue null and its reason', async () => {
    const { results, out } = await capture({
      comparisons: () => [
        {
          metrics: [{ name: 'x_ms', unit: 'ms', better: 'lower' }],
          kt: () => 5,
          peer: skipPeer('java-tool', 'java not found on PATH'),
        },
      ],
    });
    expect(results[0]).toMatchObject({ kt: 5, peer: 'java-tool', peerValue: null, ratio: null });
    const line = JSON.parse(out.at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({
      bench: 'unit',
      metric: 'x_ms',
      peerValue: null,
      reason: 'java not found on PATH',
    });
    expect(out[0]).toContain('skipped: java not found on PATH');
  });

  it('drops a failing peer with the reason but keeps the kt figure', async () => {
    let peerCalls = 0;
    const { results } = await capture({
      warmup: 0,
      comparisons: () => [
        {
          metrics: [{ name: 'x_ms', unit: 'ms', better: 'lower' }],
          kt: () => 5,
          peer: peer('flaky', () => {
            peerCalls++;
            throw new Error('boom');
          }),
        },
      ],
    });
    expect(peerCalls).toBe(1); // not retried every round once it failed
    expect(results[0]).toMatchObject({ kt: 5, peerValue: null, reason: 'peer failed: boom' });
  });

  it('fails on a failing kt case after tearing down, keeping figures of completed comparisons', async () => {
    let torn = false;
    const out: string[] = [];
    await expect(
      runBench(
        'unit',
        {
          setup: () => 1,
          teardown: () => {
            torn = true;
          },
          comparisons: () => [
            {
              metrics: [{ name: 'ok_ms', unit: 'ms', better: 'lower' }],
              kt: () => 2,
              peer: peer('p', () => 1),
            },
            {
              metrics: [{ name: 'x_ms', unit: 'ms', better: 'lower' }],
              kt: () => {
                throw new Error('kt broke');
              },
              peer: peer('p', () => 1),
            },
          ],
        },
        { out: (l) => out.push(l), log: () => {} },
      ),
    ).rejects.toThrow('kt broke');
    expect(torn).toBe(true);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ metric: 'ok_ms', kt: 2, peerValue: 1, ratio: 0.5 });
  });

  it('prints one skipped line when setup calls skipBench', async () => {
    const { results, out } = await capture({
      setup: () => skipBench('no Kafka here'),
      comparisons: () => [],
    });
    expect(results).toEqual([]);
    expect(JSON.parse(out.at(-1)!)).toEqual({ bench: 'unit', skipped: 'no Kafka here' });
  });

  it('rejects a rounds count below 1', async () => {
    await expect(capture({ comparisons: () => [] }, 0)).rejects.toThrow(RangeError);
  });

  it('keeps the documented JSON field order', () => {
    const line = jsonLine({
      bench: 'b',
      metric: 'm',
      unit: 'ms',
      better: 'lower',
      kt: 1.23456,
      peer: 'p',
      peerValue: null,
      ratio: null,
      rounds: 3,
      reason: 'r',
    });
    expect(line).toBe(
      '{"bench":"b","metric":"m","unit":"ms","better":"lower","kt":1.235,"peer":"p","peerValue":null,"ratio":null,"rounds":3,"reason":"r"}',
    );
  });
});

describe('timeCommand', () => {
  it('returns the wall time of a successful command as a number of ms', async () => {
    const ms = await timeCommand('true', []);
    expect(Number.isFinite(ms)).toBe(true);
  });

  it('rejects with the exit code and stderr of a failing command', async () => {
    const err = await timeCommand('sh', ['-c', 'echo nope >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as CommandFailedError).exitCode).toBe(3);
    expect((err as Error).message).toContain('nope');
  });

  it('rejects when the command does not exist', async () => {
    await expect(timeCommand('kt-no-such-command-xyz', [])).rejects.toThrow(/cannot run/);
  });
});

describe('run.ts', () => {
  it('exits 2 with one line listing the available benches for an unknown name', () => {
    const tsx = join(BENCH_DIR, '../../node_modules/.bin/tsx');
    const res = spawnSync(tsx, [join(BENCH_DIR, 'run.ts'), 'no-such-bench'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: unknown benchmark "no-such-bench"; available: .*\bsmoke\b/);
  });
});
