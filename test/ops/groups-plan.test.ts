// The pure half of kt groups reset-offsets: ISO-8601 durations, offset files (Kafka's CSV, kt's JSON and
// undo files, saved plans), the requested offset of every mode, clamping into the log, the CSV export,
// and the consumer-protocol assignment decoder used by describe.

import { describe, expect, it } from 'vitest';
import { KtError } from '../../src/errors/kt-error.js';
import { decodeAssignment } from '../../src/ops/groups/coordinator.js';
import { secondsBehind } from '../../src/ops/groups/describe.js';
import {
  buildPlan,
  parseIsoDuration,
  parseOffsetsFile,
  planCsv,
  type ResetMode,
  requestedOffset,
} from '../../src/ops/groups/plan.js';
import { formatSeconds } from '../../src/ops/groups/render.js';

function invalid(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KtError);
    expect((error as KtError).exitCode).toBe(1);
    expect((error as KtError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an error');
}

describe('parseIsoDuration', () => {
  it('reads days, hours, minutes and fractional seconds', () => {
    expect(parseIsoDuration('PT15M')).toBe(900_000n);
    expect(parseIsoDuration('P1DT2H30M')).toBe(95_400_000n);
    expect(parseIsoDuration('P2D')).toBe(172_800_000n);
    expect(parseIsoDuration('PT0.5S')).toBe(500n);
    expect(parseIsoDuration('pt1h1s')).toBe(3_601_000n);
    expect(parseIsoDuration('+PT1S')).toBe(1000n);
  });

  it('refuses what is not a duration, empty ones and negative ones', () => {
    for (const bad of ['', 'P', 'PT', '1h', 'P1H', 'PT1D', 'P1DT', 'PT-1H', 'yesterday', 'PT1.S']) {
      invalid(() => parseIsoDuration(bad), /ISO-8601 duration/);
    }
    invalid(() => parseIsoDuration('-PT1H'), /must not be negative/);
  });
});

describe('parseOffsetsFile', () => {
  it("reads Kafka's CSV, with or without the group column, comments and blank lines", () => {
    expect(parseOffsetsFile('orders,0,5\norders,1,7\r\n\n# note\nother,0,0\n', 'f.csv', 'g')).toEqual([
      { topic: 'orders', partition: 0, offset: 5n },
      { topic: 'orders', partition: 1, offset: 7n },
      { topic: 'other', partition: 0, offset: 0n },
    ]);
    expect(parseOffsetsFile('g,orders,0,5\nh,orders,0,9\ng,orders,1,6\n', 'f.csv', 'g')).toEqual([
      { topic: 'orders', partition: 0, offset: 5n },
      { topic: 'orders', partition: 1, offset: 6n },
    ]);
  });

  it('reads kt JSON: undo files (null = no offset), bare offsets, arrays and saved plans', () => {
    const undo = JSON.stringify({
      kind: 'kt-group-offsets',
      version: 1,
      group: 'g',
      offsets: [
        { topic: 't', partition: 0, offset: '12' },
        { topic: 't', partition: 1, offset: null },
      ],
    });
    expect(parseOffsetsFile(undo, 'u.json', 'g')).toEqual([
      { topic: 't', partition: 0, offset: 12n },
      { topic: 't', partition: 1, offset: null },
    ]);
    expect(parseOffsetsFile('[{"topic":"t","partition":2,"offset":3}]', 'a.json', 'g')).toEqual([
      { topic: 't', partition: 2, offset: 3n },
    ]);
    const plan = { group: 'g', partitions: [{ topic: 't', partition: 0, currentOffset: 1, newOffset: 4 }] };
    expect(parseOffsetsFile(JSON.stringify(plan), 'p.json', 'g')).toEqual([
      { topic: 't', partition: 0, offset: 4n },
    ]);
  });

  it('names the line or entry of bad input', () => {
    invalid(() => parseOffsetsFile('', 'f', 'g'), /f: the file is empty/);
    invalid(() => parseOffsetsFile('orders,0\n', 'f', 'g'), /f:1: expected topic,partition,offset/);
    invalid(() => parseOffsetsFile('orders,0,5\norders,x,5\n', 'f', 'g'), /f:2: partition "x"/);
    invalid(() => parseOffsetsFile('orders,0,-5\n', 'f', 'g'), /f:1: offset "-5"/);
    invalid(() => parseOffsetsFile('orders,0,99999999999999999999\n', 'f', 'g'), /offset/);
    invalid(() => parseOffsetsFile('orders,0,1\norders,0,2\n', 'f', 'g'), /orders:0 appears twice/);
    invalid(() => parseOffsetsFile('h,orders,0,1\n', 'f', 'g'), /no offsets for group g/);
    invalid(() => parseOffsetsFile('{"offsets": [', 'f', 'g'), /not valid JSON/);
    invalid(() => parseOffsetsFile('{"group":"other","offsets":[]}', 'f', 'g'), /for group other, not g/);
    invalid(
      () => parseOffsetsFile('{"offsets":[{"partition":0,"offset":1}]}', 'f', 'g'),
      /entry 0: missing topic/,
    );
    invalid(() => parseOffsetsFile('{"x":1}', 'f', 'g'), /expected \{"offsets"/);
  });
});

describe('plan', () => {
  const range = { logStart: 10n, logEnd: 50n };
  const p = { topic: 't', partition: 0, current: 30n, range };
  const req = (mode: ResetMode, lookups = {}) => requestedOffset(mode, p, lookups);

  it('asks for the offset each mode names', () => {
    expect(req({ kind: 'earliest' })).toBe(10n);
    expect(req({ kind: 'latest' })).toBe(50n);
    expect(req({ kind: 'offset', offset: 42n })).toBe(42n);
    expect(req({ kind: 'shift', by: -5n })).toBe(25n);
    expect(req({ kind: 'shift', by: 100n })).toBe(130n);
    expect(req({ kind: 'current' })).toBe(30n);
    expect(requestedOffset({ kind: 'current' }, { ...p, current: null }, {})).toBe(50n);
    expect(req({ kind: 'datetime', timestampMs: 1n, spec: 'x' }, { atTime: 17n })).toBe(17n);
    expect(req({ kind: 'duration', durationMs: 1n, spec: 'x' }, { atTime: -1n })).toBe(50n);
    expect(req({ kind: 'group', group: 'o' }, { other: 33n })).toBe(33n);
    expect(req({ kind: 'group', group: 'o' })).toBeUndefined();
    const file: ResetMode = { kind: 'file', path: 'f', offsets: [] };
    expect(req(file, { file: { topic: 't', partition: 0, offset: null } })).toBeNull();
    expect(req(file)).toBeUndefined();
  });

  it('refuses to shift a partition without a committed offset', () => {
    invalid(
      () => requestedOffset({ kind: 'shift', by: 1n }, { ...p, current: null }, {}),
      /t:0 has no committed offset/,
    );
  });

  it('clamps into [log start, log end] with a warning and computes the lag after', () => {
    const { entries, warnings } = buildPlan([
      { topic: 'b', partition: 1, current: 30n, range, requested: 70n },
      { topic: 'b', partition: 0, current: null, range, requested: 3n },
      { topic: 'a', partition: 0, current: 20n, range, requested: 20n },
      { topic: 'a', partition: 1, current: 20n, range, requested: null },
    ]);
    expect(entries.map((e) => [e.topic, e.partition, e.newOffset, e.lagAfter, e.clampedFrom])).toEqual([
      ['a', 0, 20n, 30n, null],
      ['a', 1, null, null, null],
      ['b', 0, 10n, 40n, 3n],
      ['b', 1, 50n, 0n, 70n],
    ]);
    expect(warnings).toEqual([
      'b:1: offset 70 is past the log end 50; using 50',
      'b:0: offset 3 is before the log start 10; using 10',
    ]);
    expect(planCsv(entries)).toBe('a,0,20\nb,0,10\nb,1,50\n');
    // The export is read back by --from-file.
    expect(parseOffsetsFile(planCsv(entries), 'x', 'g')).toHaveLength(3);
  });
});

describe('describe helpers', () => {
  it('decodes consumer-protocol assignments and rejects garbage without throwing', () => {
    // version 1, 1 topic "ab" with partitions [2, 0], then user data (null bytes: -1).
    const bytes = Buffer.from([
      0, 1, 0, 0, 0, 1, 0, 2, 0x61, 0x62, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 255, 255, 255, 255,
    ]);
    expect(decodeAssignment(bytes)).toEqual([{ topic: 'ab', partitions: [0, 2] }]);
    expect(decodeAssignment(new Uint8Array())).toEqual([]);
    expect(decodeAssignment(Buffer.from([0, 0, 0x7f, 0xff, 0xff, 0xff]))).toBeNull();
    expect(decodeAssignment(Buffer.from([0, 0, 0, 0, 0, 1, 0, 9]))).toBeNull();
  });

  it('time lag is never negative and keeps milliseconds; durations read well', () => {
    expect(secondsBehind(10_000, 7_500n)).toBe(2.5);
    expect(secondsBehind(10_000, 12_000n)).toBe(0);
    expect(formatSeconds(null)).toBe('-');
    expect(formatSeconds(2.54)).toBe('2.5s');
    expect(formatSeconds(75)).toBe('1m15s');
    expect(formatSeconds(3725)).toBe('1h02m05s');
    expect(formatSeconds(90061)).toBe('1d01h01m');
  });
});
