// kt mirror verify, the pure parts: record hashing and the content alignment of a source and a target
// sequence (missing, duplicated, diverging, unexpected runs), on synthetic sequences and under fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KtError } from '../../src/errors/kt-error.js';
import type { PartitionVerification, VerifyReport } from '../../src/mirror/verify.js';
import { alignSequences } from '../../src/mirror/verify-diff.js';
import { type HashableRecord, HashSequenceBuilder, hashRecords } from '../../src/mirror/verify-hash.js';
import { describeFindings, renderVerifyText } from '../../src/mirror/verify-render.js';

const FIELD = { key: 1, value: 2, headers: 4, timestamp: 8 } as const;

function rec(i: number, tag = ''): HashableRecord {
  return {
    key: i % 5 === 0 ? null : Buffer.from(`key-${i}`),
    value: Buffer.from(`value-${i}${tag}`),
    headers: [
      { key: 'seq', value: Buffer.from(String(i)) },
      { key: 'nil', value: null },
    ],
    timestamp: 1_700_000_000_000n + BigInt(i),
  };
}

type Field = keyof typeof FIELD;

function alter(r: HashableRecord, field: Field): HashableRecord {
  switch (field) {
    case 'key':
      return { ...r, key: Buffer.from(`${r.key === null ? '' : Buffer.from(r.key).toString()}!`) };
    case 'value':
      return { ...r, value: Buffer.from('altered') };
    case 'headers':
      // Same headers, other order: order is part of the content.
      return { ...r, headers: [...r.headers].reverse() };
    case 'timestamp':
      return { ...r, timestamp: r.timestamp + 1_000_000n };
  }
}

const align = (s: HashableRecord[], t: HashableRecord[]) => alignSequences(hashRecords(s), hashRecords(t));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('record hashes', () => {
  it('differ when any field differs, including null vs empty and header order', () => {
    const base = rec(1);
    const variants: HashableRecord[] = [
      base,
      { ...base, key: Buffer.alloc(0) },
      { ...base, key: null },
      { ...base, value: null },
      { ...base, value: Buffer.alloc(0) },
      { ...base, headers: [] },
      { ...base, headers: [...base.headers].reverse() },
      { ...base, headers: [{ key: 'seq', value: null }, ...base.headers.slice(1)] },
      { ...base, timestamp: base.timestamp + 1n },
      { ...base, timestamp: -1n },
      // Bytes moved from the key into the value must not hash the same (lengths are hashed).
      { ...base, key: Buffer.from('key-'), value: Buffer.from('1value-1') },
    ];
    const h = hashRecords(variants);
    const keys = new Set(range(0, variants.length).map((i) => `${h.hashes[2 * i]}:${h.hashes[2 * i + 1]}`));
    expect(keys.size).toBe(variants.length);
    // Equal content hashes equal, whatever buffers hold it.
    const again = hashRecords([{ ...base, value: Buffer.from(Buffer.from(base.value!).toString()) }]);
    expect([again.hashes[0], again.hashes[1]]).toEqual([h.hashes[0], h.hashes[1]]);
  });
});

describe('HashSequenceBuilder', () => {
  it('grows up to recordsMax and then refuses with a typed error that says how to narrow the range', () => {
    const b = new HashSequenceBuilder(3, 'source t-0', 1);
    for (let i = 0; i < 3; i++) b.add(rec(i), BigInt(100 + i));
    expect(b.length).toBe(3);
    expect([...b.offsets.subarray(0, 3)]).toEqual([100, 101, 102]);
    let error: unknown;
    try {
      b.add(rec(3), 103n);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KtError);
    expect((error as KtError).message).toMatch(/source t-0 has more than 3 records/);
    expect((error as KtError).hint).toMatch(/--from-source-offset/);
  });
});

describe('alignSequences', () => {
  const source = range(0, 20).map((i) => rec(i));

  it('a faithful copy matches everything', () => {
    const a = align(source, source);
    expect(a).toMatchObject({ matched: 20, missing: 0, duplicated: 0, diverging: 0, unexpected: 0 });
  });

  it('reports a lost range as one missing run', () => {
    const a = align(source, [...source.slice(0, 5), ...source.slice(9)]);
    expect(a.missingRuns).toEqual([{ sourceStart: 5, count: 4 }]);
    expect(a).toMatchObject({ matched: 16, missing: 4, duplicated: 0, diverging: 0, unexpected: 0 });
  });

  it('reports an at-least-once re-copy as one duplicated run pointing at both copies', () => {
    // Copied 0..11, restarted from 8: 8..11 arrive twice, then the rest.
    const target = [...source.slice(0, 12), ...source.slice(8)];
    const a = align(source, target);
    expect(a.duplicateRuns).toEqual([{ sourceStart: 8, targetStart: 12, originalTargetStart: 8, count: 4 }]);
    expect(a).toMatchObject({ matched: 20, missing: 0, duplicated: 4, diverging: 0, unexpected: 0 });
  });

  it('names the differing field of an altered record', () => {
    for (const field of Object.keys(FIELD) as Field[]) {
      const target = source.map((r, i) => (i === 7 ? alter(r, field) : r));
      const a = align(source, target);
      expect(a.divergingRuns).toEqual([
        { sourceStart: 7, targetStart: 7, count: 1, fieldMask: FIELD[field] },
      ]);
      expect(a).toMatchObject({ matched: 19, missing: 0, diverging: 1, unexpected: 0 });
    }
  });

  it('tells a loss next to an alteration apart from two alterations', () => {
    const target = [...source.slice(0, 3), alter(source[4]!, 'value'), ...source.slice(5)];
    const a = align(source, target);
    expect(a.missingRuns).toEqual([{ sourceStart: 3, count: 1 }]);
    expect(a.divergingRuns).toEqual([{ sourceStart: 4, targetStart: 3, count: 1, fieldMask: FIELD.value }]);
  });

  it('reports foreign records as unexpected and skips target records before the first match', () => {
    const foreign = rec(1000, 'foreign');
    const older = rec(-1);
    const target = [older, ...source.slice(0, 10), foreign, ...source.slice(10)];
    const a = align(source, target);
    expect(a.targetSkipped).toBe(1);
    expect(a.unexpectedRuns).toEqual([{ targetStart: 11, count: 1 }]);
    expect(a).toMatchObject({ matched: 20, missing: 0, duplicated: 0, diverging: 0, unexpected: 1 });
  });

  it('reports a trailing missing range and duplicates at the very end', () => {
    const target = [...source.slice(0, 15), ...source.slice(13, 15)];
    const a = align(source, target);
    expect(a.missingRuns).toEqual([{ sourceStart: 15, count: 5 }]);
    expect(a.duplicateRuns).toEqual([
      { sourceStart: 13, targetStart: 15, originalTargetStart: 13, count: 2 },
    ]);
  });

  it('handles repeated content in the source (equal records are interchangeable)', () => {
    const same = rec(3);
    const s = [rec(1), same, rec(2), same, rec(4)];
    expect(align(s, s)).toMatchObject({ matched: 5, missing: 0, duplicated: 0, unexpected: 0 });
    const a = align(s, [rec(1), same, same, rec(4)]);
    expect(a).toMatchObject({ matched: 4, missing: 1, duplicated: 0, diverging: 0, unexpected: 0 });
    expect(a.missingRuns).toEqual([{ sourceStart: 2, count: 1 }]);
  });

  it('keeps the run lists bounded and the counts complete', () => {
    const big = range(0, 200).map((i) => rec(i));
    const everyOther = big.filter((_, i) => i % 2 === 0);
    const a = alignSequences(hashRecords(big), hashRecords(everyOther), { runsMax: 10 });
    expect(a.missing).toBe(100);
    expect(a.missingRuns).toHaveLength(10);
    expect(a.runsTruncated).toBe(true);
  });

  it('empty sides', () => {
    expect(align([], [])).toMatchObject({ matched: 0, missing: 0, unexpected: 0 });
    expect(align(source, []).missingRuns).toEqual([{ sourceStart: 0, count: 20 }]);
    expect(align([], source).targetSkipped).toBe(20);
  });
});

// ----------------------------------------------------------------------------------------- properties

type Fault =
  | { kind: 'delete'; length: number }
  | { kind: 'alter'; field: Field }
  | { kind: 'dup'; length: number };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    kind: fc.constant('alter' as const),
    field: fc.constantFrom<Field>('key', 'value', 'headers', 'timestamp'),
  }),
  fc.record({ kind: fc.constant('dup' as const), length: fc.integer({ min: 1, max: 6 }) }),
);

/**
 * Applies faults at positions (footprints may touch: a loss right before an alteration, two losses in a
 * row) and returns the target plus the runs a correct verifier must report, coalesced as it coalesces.
 */
function applyFaults(n: number, plan: readonly { gap: number; fault: Fault }[]) {
  const source = range(0, n).map((i) => rec(i));
  const target: HashableRecord[] = [];
  const at = new Map<number, Fault>();
  let p = 0;
  for (const { gap, fault } of plan) {
    p += gap;
    // Footprint: the deleted records, the altered one, or the range copied and then copied again.
    const width = fault.kind === 'alter' ? 1 : fault.length;
    if (p + width > n) break;
    at.set(p, fault);
    p += width;
  }
  const missingRuns: { sourceStart: number; count: number }[] = [];
  const divergingRuns: { sourceStart: number; targetStart: number; count: number; fieldMask: number }[] = [];
  const duplicateRuns: {
    sourceStart: number;
    targetStart: number;
    originalTargetStart: number;
    count: number;
  }[] = [];
  const targetOf = new Map<number, number>();
  for (let i = 0; i < n; ) {
    const fault = at.get(i);
    if (fault?.kind === 'delete') {
      const last = missingRuns[missingRuns.length - 1];
      if (last && last.sourceStart + last.count === i) last.count += fault.length;
      else missingRuns.push({ sourceStart: i, count: fault.length });
      i += fault.length;
      continue;
    }
    if (fault?.kind === 'alter') {
      const last = divergingRuns[divergingRuns.length - 1];
      const mask = FIELD[fault.field];
      if (
        last &&
        last.sourceStart + last.count === i &&
        last.targetStart + last.count === target.length &&
        last.fieldMask === mask
      ) {
        last.count++;
      } else divergingRuns.push({ sourceStart: i, targetStart: target.length, count: 1, fieldMask: mask });
      target.push(alter(source[i]!, fault.field));
      i++;
      continue;
    }
    if (fault?.kind === 'dup') {
      // Copy [i, i+length) then copy it again (a restart that resumed from i).
      for (let k = i; k < i + fault.length; k++) {
        targetOf.set(k, target.length);
        target.push(source[k]!);
      }
      duplicateRuns.push({
        sourceStart: i,
        targetStart: target.length,
        originalTargetStart: targetOf.get(i)!,
        count: fault.length,
      });
      for (let k = i; k < i + fault.length; k++) target.push(source[k]!);
      i += fault.length;
      continue;
    }
    targetOf.set(i, target.length);
    target.push(source[i]!);
    i++;
  }
  return { source, target, missingRuns, divergingRuns, duplicateRuns };
}

describe('alignSequences properties', () => {
  it('finds every random deletion, duplication and alteration exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 8 }), fault: faultArb }), { maxLength: 10 }),
        (n, plan) => {
          const { source, target, missingRuns, divergingRuns, duplicateRuns } = applyFaults(n, plan);
          const a = align(source, target);
          expect(a.missingRuns).toEqual(missingRuns);
          expect(a.divergingRuns).toEqual(divergingRuns);
          expect(a.duplicateRuns).toEqual(duplicateRuns);
          expect(a.unexpectedRuns).toEqual([]);
          expect(a.targetSkipped).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accounts for every record on both sides, whatever the target', () => {
    const recordIds = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 60 });
    fc.assert(
      fc.property(recordIds, recordIds, (s, t) => {
        const a = align(
          s.map((i) => rec(i)),
          t.map((i) => rec(i)),
        );
        expect(a.matched + a.missing + a.diverging).toBe(s.length);
        expect(a.matched + a.duplicated + a.diverging + a.unexpected + a.targetSkipped).toBe(t.length);
        if (JSON.stringify(s) === JSON.stringify(t)) expect(a.matched).toBe(s.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('describeFindings / renderVerifyText', () => {
  const partition: PartitionVerification = {
    topic: 'orders',
    partition: 3,
    targetTopic: 'east.orders',
    ok: false,
    targetPartitionMissing: false,
    source: { startOffset: 0n, endOffset: 400n, records: 400 },
    target: { startOffset: 0n, endOffset: 312n, records: 312, skippedBefore: 0 },
    matched: 297,
    missing: 102,
    duplicated: 10,
    diverging: 1,
    unexpected: 2,
    missingRanges: [
      { sourceFrom: 100n, sourceTo: 199n, count: 100, trailing: false },
      { sourceFrom: 398n, sourceTo: 399n, count: 2, trailing: true },
    ],
    duplicatedRanges: [
      {
        sourceFrom: 240n,
        sourceTo: 249n,
        count: 10,
        targetFrom: 140n,
        targetTo: 149n,
        duplicateFrom: 150n,
        duplicateTo: 159n,
      },
    ],
    divergingRanges: [
      {
        sourceFrom: 255n,
        sourceTo: 255n,
        targetFrom: 165n,
        targetTo: 165n,
        count: 1,
        fields: ['key', 'timestamp'],
      },
    ],
    unexpectedRanges: [{ targetFrom: 170n, targetTo: 171n, count: 2 }],
    rangesTruncated: true,
  };

  it('one line per range, offsets coalesced, fields named', () => {
    expect(describeFindings(partition)).toEqual([
      'missing source offsets 100..199 (100 records)',
      'missing source offsets 398..399 (2 records), up to the source end: is the mirror behind?',
      'duplicated source offsets 240..249 (10 records; target offsets 140..149, again at 150..159)',
      'diverging at source 255 / target 165: key, timestamp differ',
      'unexpected target offsets 170..171 (2 records not from the source)',
      '(more ranges not listed; the counts are complete)',
    ]);
  });

  it('a table, the findings under their partition, and the verdict', () => {
    const report: VerifyReport = {
      ok: false,
      failOnDuplicates: false,
      totals: {
        partitions: 1,
        partitionsFailed: 1,
        targetPartitionsMissing: 0,
        sourceRecords: 400,
        targetRecords: 312,
        matched: 297,
        missing: 102,
        duplicated: 10,
        diverging: 1,
        unexpected: 2,
      },
      partitions: [partition],
    };
    const text = renderVerifyText(report);
    expect(text.split('\n')[0]).toMatch(/^TOPIC\s+PARTITION\s+TARGET TOPIC\s+SOURCE\s+TARGET\s+MATCHED/);
    expect(text).toMatch(/^orders\s+3\s+east\.orders\s+400\s+312\s+297\s+102\s+10\s+1\s+2\s+FAILED$/m);
    expect(text).toContain('orders-3 → east.orders-3:\n  missing source offsets 100..199 (100 records)\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'FAILED: 1 of 1 partition differs (102 missing, 1 diverging, 2 unexpected)',
    );
  });
});
