/**
 * Times and positions on the command line, shared by kt's console tools:
 *
 * - a timestamp: epoch milliseconds (`1700000000000`), ISO-8601 (`2024-05-01`, `2024-05-01T10:00:00Z`,
 *   no zone = UTC as Kafka's tools), or relative to now (`-90s`, `-15m`, `-1h`, `-2d`, `-1w`, also `+5m`);
 * - an offset spec (`kt consume --offset`): a start, `start|beginning|earliest`, `end|latest`, `N` (an
 *   absolute offset), `-N` (the last N records), `@TIME`; optionally followed by an end bound `:end` (the
 *   high watermark at start), `:N` (stop before offset N) or `:@TIME` (stop before the first record at or
 *   after TIME). `:end` alone means from the start to the end (rpk's -o :end).
 */
import { usageError } from '../errors/kt-error.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses a timestamp spec to epoch milliseconds; returns undefined when it is not one. */
export function tryParseTimestamp(spec: string, nowMs: number = Date.now()): bigint | undefined {
  const s = spec.trim();
  if (/^\d{1,16}$/.test(s)) return BigInt(s);
  const relative = /^([-+])(\d+)(ms|s|m|h|d|w)$/.exec(s);
  if (relative) {
    const ms = Number(relative[2]) * UNIT_MS[relative[3]!]!;
    return BigInt(Math.max(0, relative[1] === '-' ? nowMs - ms : nowMs + ms));
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || s.length === 10 ? s : `${s}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return BigInt(ms);
  }
  return undefined;
}

export function parseTimestamp(spec: string, flag: string, nowMs: number = Date.now()): bigint {
  const ts = tryParseTimestamp(spec, nowMs);
  if (ts === undefined) {
    throw usageError(
      `${flag} ${spec}: expected epoch milliseconds, an ISO-8601 time (2024-05-01T10:00:00Z) or a relative time (-1h)`,
    );
  }
  return ts;
}

export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'last'; count: bigint }
  | { kind: 'time'; timestamp: bigint };

export type EndBound =
  | { kind: 'end' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'time'; timestamp: bigint };

export interface OffsetSpec {
  /** Undefined when the spec gave only an end bound (`:end`): kt consume then starts at the earliest offset. */
  start?: StartPosition;
  end?: EndBound;
}

function parseStart(s: string, flag: string, nowMs: number): StartPosition {
  const lower = s.toLowerCase();
  if (lower === 'start' || lower === 'beginning' || lower === 'earliest' || lower === 'oldest')
    return { kind: 'earliest' };
  if (lower === 'end' || lower === 'latest' || lower === 'newest') return { kind: 'latest' };
  if (/^\d{1,19}$/.test(s)) return { kind: 'offset', offset: BigInt(s) };
  if (/^-\d{1,19}$/.test(s)) return { kind: 'last', count: BigInt(s.slice(1)) };
  if (s.startsWith('@')) return { kind: 'time', timestamp: parseTimestamp(s.slice(1), flag, nowMs) };
  throw usageError(`${flag} ${s}: expected start, end, an offset N, -N (last N) or @TIME`);
}

function parseEnd(s: string, flag: string, nowMs: number): EndBound {
  if (s.toLowerCase() === 'end') return { kind: 'end' };
  if (/^\d{1,19}$/.test(s)) return { kind: 'offset', offset: BigInt(s) };
  if (s.startsWith('@')) return { kind: 'time', timestamp: parseTimestamp(s.slice(1), flag, nowMs) };
  throw usageError(`${flag} …:${s}: expected an end bound :end, :N or :@TIME`);
}

export function parseOffsetSpec(spec: string, flag = '--offset', nowMs: number = Date.now()): OffsetSpec {
  const s = spec.trim();
  if (s === '') throw usageError(`${flag}: empty offset spec`);
  if (s.startsWith(':')) return { end: parseEnd(s.slice(1), flag, nowMs) };
  // A time start may contain colons itself (ISO-8601): take the whole spec as a time first.
  if (s.startsWith('@')) {
    if (tryParseTimestamp(s.slice(1), nowMs) !== undefined) return { start: parseStart(s, flag, nowMs) };
    const endAt = s.indexOf(':@') > 0 ? s.indexOf(':@') : s.lastIndexOf(':');
    if (endAt <= 0) return { start: parseStart(s, flag, nowMs) };
    return {
      start: parseStart(s.slice(0, endAt), flag, nowMs),
      end: parseEnd(s.slice(endAt + 1), flag, nowMs),
    };
  }
  const colon = s.indexOf(':');
  if (colon < 0) return { start: parseStart(s, flag, nowMs) };
  return {
    start: parseStart(s.slice(0, colon), flag, nowMs),
    end: parseEnd(s.slice(colon + 1), flag, nowMs),
  };
}
