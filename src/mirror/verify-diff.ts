/**
 * Aligns a source partition's record hashes with its mirror's, by content only (no offset syncs, no
 * progress records: verification must not trust the mirror's own bookkeeping), and classifies every
 * record:
 *
 * - matched: source record i and target record j are equal and in order;
 * - missing: a source record with no copy at its place in the target;
 * - duplicated: a target record equal to a source record that was already matched earlier (an
 *   at-least-once re-copy after a restart is a contiguous run of these);
 * - diverging: a source and a target record that stand at the same aligned place but differ (the
 *   fields that differ are named);
 * - unexpected: a target record that is none of the above (not from the source, or out of order).
 *   Target records before the first match are not unexpected but `targetSkipped`: they are copies of
 *   source records before the compared range (retention, --from-source-offset).
 *
 * The walk is a two-pointer merge with a global hash index on each side (O(n + m) time, typed arrays).
 * When the heads differ (and the target head does not continue a duplicate run), the target head is
 * looked up ahead in the source (k) and the source head ahead in the target (l):
 * - k, and no l or a farther one: the source head is missing;
 * - no k, and the target head equals an already matched source record: it is a duplicate;
 * - l only: the target head is unexpected;
 * - neither: the two heads are one altered record, unless a record up to SIMILAR_LOOKAHEAD after one
 *   head agrees with the other head in more fields (a loss or an extra record next to an alteration).
 * Runs are coalesced into ranges of positions; the caller maps positions to offsets.
 */
import { FIELDS_PER_RECORD, type HashSequence } from './verify-hash.js';

export interface MissingRun {
  sourceStart: number;
  count: number;
}

export interface UnexpectedRun {
  targetStart: number;
  count: number;
}

export interface DuplicateRun {
  sourceStart: number;
  /** Where the re-copy is. */
  targetStart: number;
  /** Where the first (matched) copy is. */
  originalTargetStart: number;
  count: number;
}

export interface DivergingRun {
  sourceStart: number;
  targetStart: number;
  count: number;
  /** Bit FIELD_* set when that field differs. */
  fieldMask: number;
}

export interface Alignment {
  matched: number;
  missing: number;
  duplicated: number;
  diverging: number;
  unexpected: number;
  targetSkipped: number;
  missingRuns: MissingRun[];
  duplicateRuns: DuplicateRun[];
  divergingRuns: DivergingRun[];
  unexpectedRuns: UnexpectedRun[];
  /** True when some runs were left out of the lists (counts are always complete). */
  runsTruncated: boolean;
}

export interface AlignOptions {
  /** Runs kept per kind; later runs are counted only. Default 1000. */
  runsMax?: number;
}

const NONE = -1;
/**
 * How far a head that appears nowhere on the other side is compared field by field with the records
 * after the other head: a loss of up to this many records right before an altered record is reported
 * as a loss and an alteration, not as a run of alterations.
 */
const SIMILAR_LOOKAHEAD = 16;

/**
 * Dense ids for the distinct hashes of both sequences (open addressing over the 64-bit hash), so the
 * per-hash state below lives in flat Int32Arrays.
 */
function assignIds(
  source: HashSequence,
  target: HashSequence,
): { idS: Int32Array; idT: Int32Array; count: number } {
  const total = source.length + target.length;
  let size = 16;
  while (size < total * 2) size *= 2;
  const mask = size - 1;
  const slotId = new Int32Array(size).fill(NONE);
  // The hash of each id, kept once per id rather than once per slot (the table is mostly empty slots).
  const idHashes = new Uint32Array(2 * total);
  let count = 0;
  const idOf = (hashes: Uint32Array, i: number): number => {
    const hi = hashes[2 * i]!;
    const lo = hashes[2 * i + 1]!;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const id = slotId[slot]!;
      if (id === NONE) {
        slotId[slot] = count;
        idHashes[2 * count] = hi;
        idHashes[2 * count + 1] = lo;
        return count++;
      }
      if (idHashes[2 * id] === hi && idHashes[2 * id + 1] === lo) return id;
      slot = (slot + 1) & mask;
    }
  };
  const idS = new Int32Array(source.length);
  for (let i = 0; i < source.length; i++) idS[i] = idOf(source.hashes, i);
  const idT = new Int32Array(target.length);
  for (let j = 0; j < target.length; j++) idT[j] = idOf(target.hashes, j);
  return { idS, idT, count };
}

/**
 * Positions of each id in ascending order (a chain through `next`) with a cursor per id that only moves
 * forward: "first position ≥ p" queries with a non-decreasing p cost O(n) in total.
 */
class Occurrences {
  private readonly next: Int32Array;
  private readonly cursor: Int32Array;

  constructor(ids: Int32Array, idCount: number) {
    this.next = new Int32Array(ids.length);
    this.cursor = new Int32Array(idCount).fill(NONE);
    for (let p = ids.length - 1; p >= 0; p--) {
      const id = ids[p]!;
      this.next[p] = this.cursor[id]!;
      this.cursor[id] = p;
    }
  }

  /** First position ≥ from holding `id`, or NONE. `from` must not decrease between calls for one id. */
  firstFrom(id: number, from: number): number {
    let p = this.cursor[id]!;
    while (p !== NONE && p < from) p = this.next[p]!;
    this.cursor[id] = p;
    return p;
  }
}

export function alignSequences(
  source: HashSequence,
  target: HashSequence,
  options: AlignOptions = {},
): Alignment {
  const runsMax = options.runsMax ?? 1000;
  const n = source.length;
  const m = target.length;
  const { idS, idT, count } = assignIds(source, target);
  const inSource = new Occurrences(idS, count);
  const inTarget = new Occurrences(idT, count);
  /** The latest matched source position of each id (its duplicates point at it). */
  const lastMatched = new Int32Array(count).fill(NONE);
  /** Target position each source record was matched to. */
  const matchedAt = new Int32Array(n).fill(NONE);

  const out: Alignment = {
    matched: 0,
    missing: 0,
    duplicated: 0,
    diverging: 0,
    unexpected: 0,
    targetSkipped: 0,
    missingRuns: [],
    duplicateRuns: [],
    divergingRuns: [],
    unexpectedRuns: [],
    runsTruncated: false,
  };
  const push = <T>(list: T[], run: T): void => {
    if (list.length < runsMax) list.push(run);
    else out.runsTruncated = true;
  };

  const sameFields = (i: number, j: number): number => {
    let same = 0;
    for (let f = 0; f < FIELDS_PER_RECORD; f++) {
      if (source.fields[i * FIELDS_PER_RECORD + f] === target.fields[j * FIELDS_PER_RECORD + f]) same++;
    }
    return same;
  };
  const fieldMask = (i: number, j: number): number => {
    let mask = 0;
    for (let f = 0; f < FIELDS_PER_RECORD; f++) {
      if (source.fields[i * FIELDS_PER_RECORD + f] !== target.fields[j * FIELDS_PER_RECORD + f])
        mask |= 1 << f;
    }
    // Hashes differ though every fingerprint agrees (a 32-bit fingerprint collision): name them all.
    return mask === 0 ? (1 << FIELDS_PER_RECORD) - 1 : mask;
  };

  const missing = (i: number): void => {
    out.missing++;
    const last = out.missingRuns[out.missingRuns.length - 1];
    if (last && last.sourceStart + last.count === i) last.count++;
    else push(out.missingRuns, { sourceStart: i, count: 1 });
  };
  let anyMatch = false;
  const unexpected = (j: number): void => {
    if (!anyMatch) {
      out.targetSkipped++;
      return;
    }
    out.unexpected++;
    const last = out.unexpectedRuns[out.unexpectedRuns.length - 1];
    if (last && last.targetStart + last.count === j) last.count++;
    else push(out.unexpectedRuns, { targetStart: j, count: 1 });
  };
  /** The source position of the previous duplicate, while a duplicate run may continue. */
  let dupSource = NONE;
  let dupTarget = NONE;
  const duplicate = (p: number, j: number): void => {
    out.duplicated++;
    const original = matchedAt[p]!;
    const last = out.duplicateRuns[out.duplicateRuns.length - 1];
    if (
      last &&
      last.sourceStart + last.count === p &&
      last.targetStart + last.count === j &&
      last.originalTargetStart + last.count === original
    ) {
      last.count++;
    } else
      push(out.duplicateRuns, { sourceStart: p, targetStart: j, originalTargetStart: original, count: 1 });
    dupSource = p;
    dupTarget = j;
  };
  const diverging = (i: number, j: number): void => {
    out.diverging++;
    const mask = fieldMask(i, j);
    const last = out.divergingRuns[out.divergingRuns.length - 1];
    if (
      last &&
      last.sourceStart + last.count === i &&
      last.targetStart + last.count === j &&
      last.fieldMask === mask
    ) {
      last.count++;
    } else push(out.divergingRuns, { sourceStart: i, targetStart: j, count: 1, fieldMask: mask });
  };
  /** Target j continues the current duplicate run (the next source record after the previous duplicate). */
  const continuesDuplicate = (j: number): number => {
    if (dupTarget !== j - 1 || dupSource === NONE) return NONE;
    const p = dupSource + 1;
    return p < n && idS[p] === idT[j] && matchedAt[p] !== NONE ? p : NONE;
  };

  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const sId = idS[i]!;
    const tId = idT[j]!;
    if (sId === tId) {
      matchedAt[i] = j;
      lastMatched[sId] = i;
      out.matched++;
      anyMatch = true;
      i++;
      j++;
      continue;
    }
    const cont = continuesDuplicate(j);
    if (cont !== NONE) {
      duplicate(cont, j++);
      continue;
    }
    const k = inSource.firstFrom(tId, i + 1);
    const l = inTarget.firstFrom(sId, j + 1);
    if (k !== NONE && (l === NONE || k - i <= l - j)) {
      missing(i++);
    } else if (k === NONE && lastMatched[tId] !== NONE) {
      duplicate(lastMatched[tId]!, j++);
    } else if (l !== NONE) {
      unexpected(j++);
    } else {
      // Neither head appears later on the other side: one altered record, or a loss or an extra record
      // next to an alteration, told apart by which neighbour agrees with the other head in more fields.
      const here = sameFields(i, j);
      let bestSource = here;
      for (let p = i + 1; p < n && p <= i + SIMILAR_LOOKAHEAD; p++)
        bestSource = Math.max(bestSource, sameFields(p, j));
      let bestTarget = here;
      for (let q = j + 1; q < m && q <= j + SIMILAR_LOOKAHEAD; q++)
        bestTarget = Math.max(bestTarget, sameFields(i, q));
      if (bestSource > here && bestSource >= bestTarget) missing(i++);
      else if (bestTarget > here) unexpected(j++);
      else {
        anyMatch = true;
        diverging(i++, j++);
      }
    }
  }
  for (; i < n; i++) missing(i);
  for (; j < m; j++) {
    const cont = continuesDuplicate(j);
    const p = cont !== NONE ? cont : lastMatched[idT[j]!]!;
    if (p !== NONE) duplicate(p, j);
    else unexpected(j);
  }
  return out;
}
