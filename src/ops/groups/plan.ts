/**
 * The pure half of `kt groups reset-offsets`: reset modes, the ISO-8601 duration of --by-duration, offset
 * files (Kafka's CSV and kt's JSON, including kt's undo files), and the plan itself: for each partition
 * the current offset, the requested one, the new one clamped into [log start, log end] (as Kafka's tool
 * clamps, with a warning), and the lag after.
 */
import { KtError } from '../../errors/kt-error.js';
import { keyOf, type LogRange } from './log-positions.js';

export type ResetMode =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'shift'; by: bigint }
  | { kind: 'datetime'; timestampMs: bigint; spec: string }
  | { kind: 'duration'; durationMs: bigint; spec: string }
  | { kind: 'current' }
  | { kind: 'group'; group: string }
  | { kind: 'file'; path: string; offsets: FileOffset[] };

/** One row of an offsets file; offset null (kt's undo files only) = the partition had no committed offset. */
export interface FileOffset {
  topic: string;
  partition: number;
  offset: bigint | null;
}

export function describeMode(mode: ResetMode): string {
  switch (mode.kind) {
    case 'earliest':
      return 'to-earliest';
    case 'latest':
      return 'to-latest';
    case 'offset':
      return `to-offset ${mode.offset}`;
    case 'shift':
      return `shift-by ${mode.by}`;
    case 'datetime':
      return `to-datetime ${mode.spec}`;
    case 'duration':
      return `by-duration ${mode.spec}`;
    case 'current':
      return 'to-current';
    case 'group':
      return `to-group ${mode.group}`;
    case 'file':
      return `from-file ${mode.path}`;
  }
}

// ------------------------------------------------------------------------------------------ durations

const DURATION_RE = /^([-+]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,9}))?S)?)?$/i;

/**
 * Java's Duration.parse subset Kafka's --by-duration takes: PnDTnHnMn.nS (days, hours, minutes, seconds
 * with a fraction), to milliseconds. At least one component; a T must be followed by one. Negative
 * durations are refused: a reset "by duration" always goes back from now.
 */
export function parseIsoDuration(spec: string, flag = '--by-duration'): bigint {
  const s = spec.trim();
  const m = DURATION_RE.exec(s);
  const bad = (): KtError =>
    new KtError(
      'KT_INVALID_INPUT',
      `${flag} ${spec}: expected an ISO-8601 duration like P1DT2H30M, PT15M or PT0.5S`,
    );
  if (!m || s.toUpperCase().endsWith('T') || m.slice(2, 6).every((x) => x === undefined)) throw bad();
  if (m[1] === '-')
    throw new KtError('KT_INVALID_INPUT', `${flag} ${spec}: the duration must not be negative`);
  const days = BigInt(m[2] ?? '0');
  const hours = BigInt(m[3] ?? '0');
  const minutes = BigInt(m[4] ?? '0');
  const seconds = BigInt(m[5] ?? '0');
  const fractionMs = BigInt((m[6] ?? '').padEnd(3, '0').slice(0, 3) || '0');
  return ((days * 24n + hours) * 60n + minutes) * 60_000n + seconds * 1000n + fractionMs;
}

// ---------------------------------------------------------------------------------------- offset files

const INT64_MAX = 9223372036854775807n;

function parseOffset(raw: string, where: string): bigint {
  if (!/^\d{1,19}$/.test(raw) || BigInt(raw) > INT64_MAX) {
    throw new KtError(
      'KT_INVALID_INPUT',
      `${where}: offset ${JSON.stringify(raw)} is not a non-negative integer`,
    );
  }
  return BigInt(raw);
}

function parsePartition(raw: string, where: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2147483647) {
    throw new KtError(
      'KT_INVALID_INPUT',
      `${where}: partition ${JSON.stringify(raw)} is not a partition number`,
    );
  }
  return Number(raw);
}

/**
 * An offsets file: Kafka's CSV (`topic,partition,offset`, or `group,topic,partition,offset` as its
 * --all-groups export writes, of which the rows for `group` are kept), or kt's JSON: an undo file
 * `{ kind: "kt-group-offsets", group, offsets: [{ topic, partition, offset|null }] }`, a bare
 * `{ offsets: [...] }` or array, or a saved `kt groups reset-offsets --output json` plan (`partitions` with
 * `newOffset`). Duplicate partitions, malformed rows and an empty file are errors naming the line.
 */
export function parseOffsetsFile(text: string, path: string, group: string): FileOffset[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new KtError('KT_INVALID_INPUT', `${path}: the file is empty`);
  const rows =
    trimmed.startsWith('{') || trimmed.startsWith('[')
      ? parseJson(trimmed, path, group)
      : parseCsv(text, path, group);
  if (rows.length === 0) throw new KtError('KT_INVALID_INPUT', `${path}: no offsets for group ${group}`);
  const seen = new Set<string>();
  for (const r of rows) {
    const k = keyOf(r.topic, r.partition);
    if (seen.has(k))
      throw new KtError('KT_INVALID_INPUT', `${path}: ${r.topic}:${r.partition} appears twice`);
    seen.add(k);
  }
  return rows;
}

function parseCsv(text: string, path: string, group: string): FileOffset[] {
  const out: FileOffset[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${path}:${i + 1}`;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length === 4) {
      if (cells[0] !== group) continue;
      cells.shift();
    }
    if (cells.length !== 3 || cells[0] === '') {
      throw new KtError(
        'KT_INVALID_INPUT',
        `${where}: expected topic,partition,offset (or group,topic,partition,offset)`,
      );
    }
    out.push({
      topic: cells[0]!,
      partition: parsePartition(cells[1]!, where),
      offset: parseOffset(cells[2]!, where),
    });
  }
  return out;
}

function parseJson(text: string, path: string, group: string): FileOffset[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new KtError('KT_INVALID_INPUT', `${path}: not valid JSON: ${(error as Error).message}`);
  }
  let list: unknown;
  let newOffsetField = false;
  if (Array.isArray(doc)) list = doc;
  else if (doc !== null && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (typeof o.group === 'string' && o.group !== group) {
      throw new KtError('KT_INVALID_INPUT', `${path}: the file is for group ${o.group}, not ${group}`);
    }
    if (Array.isArray(o.offsets)) list = o.offsets;
    else if (Array.isArray(o.partitions)) {
      list = o.partitions;
      newOffsetField = true;
    }
  }
  if (!Array.isArray(list)) {
    throw new KtError(
      'KT_INVALID_INPUT',
      `${path}: expected {"offsets": [{"topic", "partition", "offset"}]}`,
    );
  }
  return list.map((entry, i) => {
    const where = `${path}: entry ${i}`;
    if (entry === null || typeof entry !== 'object')
      throw new KtError('KT_INVALID_INPUT', `${where}: not an object`);
    const e = entry as Record<string, unknown>;
    const offset = newOffsetField ? e.newOffset : e.offset;
    if (typeof e.topic !== 'string' || e.topic === '')
      throw new KtError('KT_INVALID_INPUT', `${where}: missing topic`);
    if (typeof e.partition !== 'number' && typeof e.partition !== 'string')
      throw new KtError('KT_INVALID_INPUT', `${where}: missing partition`);
    if (offset !== null && typeof offset !== 'number' && typeof offset !== 'string')
      throw new KtError('KT_INVALID_INPUT', `${where}: missing offset`);
    return {
      topic: e.topic,
      partition: parsePartition(String(e.partition), where),
      offset: offset === null ? null : parseOffset(String(offset), where),
    };
  });
}

/** kt's undo file: the offsets before an --execute, replayable with --from-file. */
export interface UndoFile {
  kind: 'kt-group-offsets';
  version: 1;
  group: string;
  createdAt: string;
  /** What was reset; `kt groups reset-offsets GROUP --from-file THIS --execute` puts these back. */
  reason: string;
  offsets: Array<{ topic: string; partition: number; offset: bigint | null }>;
}

// ------------------------------------------------------------------------------------------------ plan

export interface PlanInput {
  topic: string;
  partition: number;
  current: bigint | null;
  range: LogRange;
  /** The offset the mode asks for; null = remove the committed offset (undo of a partition that had none). */
  requested: bigint | null;
}

export interface PlanEntry {
  topic: string;
  partition: number;
  currentOffset: bigint | null;
  /** null: the committed offset is removed (OffsetDelete). */
  newOffset: bigint | null;
  logStartOffset: bigint;
  logEndOffset: bigint;
  lagAfter: bigint | null;
  /** Set when the requested offset lay outside the log and was moved to its start or end. */
  clampedFrom: bigint | null;
}

/** Clamps each requested offset into the log and computes the lag after; warnings name every clamp. */
export function buildPlan(inputs: readonly PlanInput[]): { entries: PlanEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const entries = inputs
    .map((i): PlanEntry => {
      let next = i.requested;
      let clampedFrom: bigint | null = null;
      if (next !== null && next < i.range.logStart) {
        warnings.push(
          `${i.topic}:${i.partition}: offset ${next} is before the log start ${i.range.logStart}; using ${i.range.logStart}`,
        );
        clampedFrom = next;
        next = i.range.logStart;
      } else if (next !== null && next > i.range.logEnd) {
        warnings.push(
          `${i.topic}:${i.partition}: offset ${next} is past the log end ${i.range.logEnd}; using ${i.range.logEnd}`,
        );
        clampedFrom = next;
        next = i.range.logEnd;
      }
      return {
        topic: i.topic,
        partition: i.partition,
        currentOffset: i.current,
        newOffset: next,
        logStartOffset: i.range.logStart,
        logEndOffset: i.range.logEnd,
        lagAfter: next === null ? null : i.range.logEnd - next,
        clampedFrom,
      };
    })
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { entries, warnings };
}

/**
 * The offset a mode asks for in one partition, given what was looked up: `atTime` for datetime/duration
 * (-1 = no record at or after the time: the log end, as Kafka), `other` for --to-group, `file` for
 * --from-file. Undefined when the mode has nothing to say for this partition (it is left out).
 */
export function requestedOffset(
  mode: ResetMode,
  p: { topic: string; partition: number; current: bigint | null; range: LogRange },
  lookups: { atTime?: bigint; other?: bigint; file?: FileOffset },
): bigint | null | undefined {
  switch (mode.kind) {
    case 'earliest':
      return p.range.logStart;
    case 'latest':
      return p.range.logEnd;
    case 'offset':
      return mode.offset;
    case 'shift': {
      if (p.current === null) {
        throw new KtError(
          'KT_INVALID_INPUT',
          `${p.topic}:${p.partition} has no committed offset to shift; use --to-offset, --to-earliest or --to-latest`,
        );
      }
      return p.current + mode.by; // outside the log: clamped by buildPlan, with a warning
    }
    case 'datetime':
    case 'duration':
      return lookups.atTime === undefined || lookups.atTime < 0n ? p.range.logEnd : lookups.atTime;
    case 'current':
      // Kafka's tool resets partitions without a committed offset to the log end.
      return p.current ?? p.range.logEnd;
    case 'group':
      return lookups.other;
    case 'file':
      return lookups.file === undefined ? undefined : lookups.file.offset;
  }
}

/** Kafka's CSV of a plan (`topic,partition,offset`), which --from-file reads back. */
export function planCsv(entries: readonly PlanEntry[]): string {
  return entries
    .filter((e) => e.newOffset !== null)
    .map((e) => `${e.topic},${e.partition},${e.newOffset}\n`)
    .join('');
}
