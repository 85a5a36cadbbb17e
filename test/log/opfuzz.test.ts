/**
 * Operation fuzzing against a model (redpanda's opfuzz idea): random sequences of append, roll, reopen
 * (clean or after a "crash"), DeleteRecords, truncation, retention of segments below the log start and
 * compaction, checked after every step against a plain list of records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogError } from '../../src/log/index.js';
import { applyRetention, compactLog, FaultyFs, Log, nodeFs } from '../../src/log/index.js';
import { batchOf, tempDir } from './helpers.js';
import type { ModelRecord } from './model.js';
import { readAll, show } from './model.js';

type Op =
  | { kind: 'append'; keys: number[] }
  | { kind: 'roll' }
  | { kind: 'reopen'; clean: boolean }
  | { kind: 'deleteRecords'; fraction: number }
  | { kind: 'truncate'; fraction: number }
  | { kind: 'retention' }
  | { kind: 'compact' }
  | { kind: 'faultyAppend'; op: 'write' | 'fdatasync'; fault: 'ENOSPC' | 'EIO' | 'torn' | 'short' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      keys: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'roll' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), clean: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteRecords' as const),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      fraction: fc.double({ min: 0.5, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'retention' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('faultyAppend' as const),
      op: fc.constantFrom('write' as const, 'fdatasync' as const),
      fault: fc.constantFrom('ENOSPC' as const, 'EIO' as const, 'torn' as const, 'short' as const),
    }),
  },
);

const CONFIG = {
  flushMessagesInterval: 1,
  segmentBytesMax: 400,
  indexIntervalBytes: 100,
  cleanupPolicy: 'compact,delete' as const,
  retentionMs: -1,
  fileDeleteDelayMs: 0,
};

describe('op fuzzing against a model', () => {
  it('the log always serves exactly the model records', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        const { dir, cleanup } = tempDir();
        const path = `${dir}/t-0`;
        const fs = new FaultyFs(nodeFs);
        let log = Log.open({ dir: path, config: CONFIG, fs });
        let model: ModelRecord[] = [];
        let next = 0n;
        const batchStarts = new Set<bigint>([0n]);
        try {
          for (const op of ops) {
            log.setHighWatermark(log.logEndOffset);
            if (op.kind === 'append') {
              const pairs = op.keys.map((k) => [`k${k}`, `v${counter++}`] as [string, string]);
              const result = log.append(batchOf(pairs, { timestamp: 1000n }));
              expect(result.baseOffset).toBe(next);
              batchStarts.add(next);
              pairs.forEach(([key, value], i) => {
                model.push({ offset: next + BigInt(i), key, value, timestampMs: 1000 });
              });
              next += BigInt(pairs.length);
            } else if (op.kind === 'faultyAppend') {
              fs.clear();
              const kind =
                op.op === 'fdatasync' && (op.fault === 'torn' || op.fault === 'short') ? 'EIO' : op.fault;
              fs.inject(op.op, kind, { pathSuffix: '.log' });
              const pairs: [string, string][] = [[`k9`, `v${counter++}`]];
              let ok = true;
              try {
                log.append(batchOf(pairs, { timestamp: 1000n }));
              } catch (error) {
                expect((error as LogError).code).toBe('KT_LOG_IO');
                ok = false;
              }
              fs.clear();
              expect(ok).toBe(kind === 'short');
              if (ok) {
                batchStarts.add(next);
                model.push({ offset: next, key: 'k9', value: pairs[0]![1], timestampMs: 1000 });
                next += 1n;
              }
            } else if (op.kind === 'roll') {
              log.roll();
            } else if (op.kind === 'reopen') {
              const start = log.logStartOffset;
              if (op.clean) log.close();
              log = Log.open({
                dir: path,
                config: CONFIG,
                logStartOffset: start,
                cleanShutdown: op.clean,
                fs,
              });
            } else if (op.kind === 'deleteRecords') {
              const target =
                log.logStartOffset +
                BigInt(Math.floor(Number(log.logEndOffset - log.logStartOffset) * op.fraction));
              log.deleteRecordsBefore(target);
              model = model.filter((r) => r.offset >= target);
            } else if (op.kind === 'truncate') {
              const target =
                log.logStartOffset +
                BigInt(Math.floor(Number(log.logEndOffset - log.logStartOffset) * op.fraction));
              next = log.truncateTo(target);
              // Batch granularity: the batch holding the target goes; the new end is a batch start.
              expect(next <= target || next === log.logStartOffset).toBe(true);
              expect(batchStarts.has(next) || next === log.logStartOffset).toBe(true);
              model = model.filter((r) => r.offset < next);
            } else if (op.kind === 'retention') {
              await applyRetention(log).filesRemoved;
            } else {
              const activeBase = log.activeSegment.baseOffset;
              await compactLog(log, { force: true });
              const latest = new Map<string, bigint>();
              for (const r of model) if (r.offset < activeBase) latest.set(r.key!, r.offset);
              model = model.filter((r) => r.offset >= activeBase || latest.get(r.key!) === r.offset);
            }
            expect(show(readAll(log))).toEqual(show(model.filter((r) => r.offset >= log.logStartOffset)));
            expect(log.logEndOffset).toBe(next);
          }
        } finally {
          if (!log.isClosed) log.close();
          cleanup();
        }
      }),
      { numRuns: Number(process.env.KT_FUZZ_RUNS ?? 40) },
    );
  }, 60_000);
});
