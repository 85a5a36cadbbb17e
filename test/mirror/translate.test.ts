import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SegmentMap } from '../../src/mirror/translate.js';

describe('SegmentMap', () => {
  it('translates inside runs, inside source gaps (to the next record) and after target jumps', () => {
    const m = new SegmentMap();
    m.push(0n, 0n); // up 0..9 → 0..9
    m.push(15n, 10n); // 10..14 compacted away; 15.. → 10..
    m.push(20n, 30n); // target jumped (re-copies): 20.. → 30..
    expect(m.translate(0n)).toEqual({ offset: 0n, aheadBy: 0n });
    expect(m.translate(9n)).toEqual({ offset: 9n, aheadBy: 0n });
    expect(m.translate(12n)).toEqual({ offset: 10n, aheadBy: 0n });
    expect(m.translate(17n)).toEqual({ offset: 12n, aheadBy: 0n });
    expect(m.translate(19n)).toEqual({ offset: 14n, aheadBy: 0n });
    expect(m.translate(25n, { up: 40n, down: 50n })).toEqual({ offset: 35n, aheadBy: 0n });
    // At or past the replicated end: the next record's target offset, with how far ahead the group is.
    expect(m.translate(40n, { up: 40n, down: 50n })).toEqual({ offset: 50n, aheadBy: 0n });
    expect(m.translate(45n, { up: 40n, down: 50n })).toEqual({ offset: 50n, aheadBy: 5n });
  });

  it('is undefined before the mapped history; a sync at or below an earlier one starts a new generation', () => {
    const m = new SegmentMap();
    m.push(100n, 0n);
    expect(m.translate(99n)).toBeUndefined();
    m.push(200n, 100n);
    m.push(150n, 120n); // restart re-copying from 150: 150..199 now live at 120..
    expect(m.size).toBe(2);
    expect(m.translate(160n)).toEqual({ offset: 130n, aheadBy: 0n });
    expect(m.translate(210n)).toEqual({ offset: 180n, aheadBy: 0n });
  });

  it('a new generation keeps the end of the run it truncates: a gap offset maps to the next record, not past it', () => {
    // Generation 1: record 1 → 0, gaps 2..5 (trailing syncs at 4 and 6), record 6 → 1, 7 → 2.
    // A crash resumes at 5 and re-copies 6 → 3, 7 → 4: the sync (6, 3) replaces (6, 1).
    const m = new SegmentMap();
    m.push(1n, 0n);
    m.push(4n, 1n);
    m.push(6n, 1n);
    m.push(6n, 3n);
    // Committed 5 (a gap): the next record is 6, whose old copy is at 1 — not 2 (the old copy of 7).
    expect(m.translate(5n)).toEqual({ offset: 1n, aheadBy: 0n });
    expect(m.translate(6n)).toEqual({ offset: 3n, aheadBy: 0n });
  });

  it('drops the oldest entries beyond its bound', () => {
    const m = new SegmentMap(3);
    for (let i = 0n; i < 5n; i++) m.push(i * 10n, i * 5n);
    expect(m.size).toBe(3);
    expect(m.firstUp).toBe(20n);
    expect(m.translate(15n)).toBeUndefined();
  });

  // A model mirror: the source is a sequence of offsets where each is a record or a gap (marker,
  // compacted, aborted); the mirror copies fetch by fetch, sometimes crashes and resumes from an older
  // saved position (re-copying: duplicates on the target). It writes syncs by the rules run.ts follows.
  // For every committed offset g, the target offset t must hold a copy of the first source record at or
  // after g (nothing skipped, nothing before it re-read), and never a later one than its newest copy;
  // outside the re-copied ranges of a crash that makes t the newest copy exactly.
  it('equals the exact answer for any source with gaps, fetch boundaries and crash-restarts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 5 }),
        (isRecord, fetchSizes, rewinds) => {
          const m = new SegmentMap();
          const targetOf = new Map<number, bigint>(); // newest copy of each source record
          const copyOf: number[] = []; // target offset → source offset
          const recopied = new Set<number>();
          let down = 0n; // target end
          let position = 0; // next source offset to copy (saved progress is `saved`)
          let saved = 0;
          let expectUp: number | null = null;
          let expectDown = 0n;
          let f = 0;
          let r = 0;
          while (position < isRecord.length) {
            const size = fetchSizes[f++ % fetchSizes.length]!;
            const fetchEnd = Math.min(isRecord.length, position + size);
            for (let u = position; u < fetchEnd; u++) {
              if (!isRecord[u]) continue;
              if (expectUp !== u || expectDown !== down) m.push(BigInt(u), down);
              if (targetOf.has(u)) recopied.add(u);
              targetOf.set(u, down);
              copyOf.push(u);
              expectUp = u + 1;
              expectDown = down + 1n;
              down++;
            }
            if (expectUp !== null && fetchEnd > expectUp) {
              m.push(BigInt(fetchEnd), expectDown);
              expectUp = fetchEnd;
            }
            position = fetchEnd;
            if (f % 3 === 0) saved = position;
            const rewind = rewinds[r];
            if (rewind !== undefined && f % 4 === 0) {
              // Crash: restart from the saved position; the target keeps what was written.
              r++;
              position = Math.max(0, saved - rewind);
              expectDown = down;
              // As run.ts: a restarted run writes a sync with its first copy.
              expectUp = null;
            }
          }
          const end = { up: BigInt(position), down };
          for (let g = 0; g <= isRecord.length + 2; g++) {
            let first = g;
            while (first < isRecord.length && !isRecord[first]) first++;
            const want = first < isRecord.length ? targetOf.get(first)! : down;
            const got = m.translate(BigInt(g), end);
            if (m.firstUp === undefined || BigInt(g) < m.firstUp) {
              // Before any sync: only possible for leading gaps (nothing copied before them).
              if (got !== undefined) expect(got.offset).toBe(want);
              continue;
            }
            if (got === undefined) throw new Error(`no translation for ${g}`);
            if (first < isRecord.length) {
              expect(copyOf[Number(got.offset)]).toBe(first);
              expect(got.offset).toBeLessThanOrEqual(want);
              if (!recopied.has(first)) expect(got.offset).toBe(want);
            } else {
              expect(got.offset).toBe(down);
            }
            expect(got.aheadBy).toBe(g > position ? BigInt(g - position) : 0n);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
