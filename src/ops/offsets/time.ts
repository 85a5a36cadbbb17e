/**
 * Time specs of `kt offsets --time` and `kt records delete --before`, as ListOffsets timestamps:
 * earliest (-2), latest (-1), max-timestamp (-3), Kafka's own numbers -1/-2/-3, epoch milliseconds,
 * ISO-8601 dates, and times relative to now (-90s, -15m, -1h, -2d, -1w).
 */
import { usageError } from '../../cli/errors.js';

export const LATEST = -1n;
export const EARLIEST = -2n;
export const MAX_TIMESTAMP = -3n;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export interface ParsedTime {
  /** What the user wrote. */
  spec: string;
  /** ListOffsets timestamp: -1, -2, -3 or epoch ms. */
  timestamp: bigint;
}

export function parseTimeSpec(spec: string, nowMs: number = Date.now(), flag = '--time'): ParsedTime {
  const s = spec.trim();
  const named: Record<string, bigint> = {
    earliest: EARLIEST,
    beginning: EARLIEST,
    latest: LATEST,
    end: LATEST,
    'max-timestamp': MAX_TIMESTAMP,
    '-1': LATEST,
    '-2': EARLIEST,
    '-3': MAX_TIMESTAMP,
  };
  const fixed = named[s.toLowerCase()];
  if (fixed !== undefined) return { spec, timestamp: fixed };
  if (/^\d+$/.test(s)) return { spec, timestamp: BigInt(s) };
  const relative = /^-(\d+)(ms|s|m|h|d|w)$/.exec(s);
  if (relative) {
    const ms = Number(relative[1]) * UNIT_MS[relative[2]!]!;
    return { spec, timestamp: BigInt(Math.max(0, nowMs - ms)) };
  }
  // ISO-8601: a date, or a date and time (with or without a zone: no zone means UTC, as Kafka's tools).
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || s.length === 10 ? s : `${s}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return { spec, timestamp: BigInt(ms) };
  }
  throw usageError(
    `${flag} ${spec}: expected earliest, latest, max-timestamp, epoch milliseconds, an ISO-8601 date or a relative time like -1h`,
  );
}
