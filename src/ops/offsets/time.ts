/**
 * Time specs of `kt offsets --time` and `kt records delete --before`, as ListOffsets timestamps:
 * earliest (-2), latest (-1), max-timestamp (-3), Kafka's own numbers -1/-2/-3, epoch milliseconds,
 * ISO-8601 dates, and times relative to now (-90s, -15m, -1h, -2d, -1w).
 */

import { tryParseTimestamp } from '../../cli/time.js';
import { usageError } from '../../errors/kt-error.js';

export const LATEST = -1n;
export const EARLIEST = -2n;
export const MAX_TIMESTAMP = -3n;

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
  // Epoch ms, ISO-8601 or a time relative to now, as kt's console tools read them (only past times here).
  const at = s.startsWith('+') ? undefined : tryParseTimestamp(s, nowMs);
  if (at !== undefined) return { spec, timestamp: at };
  throw usageError(
    `${flag} ${spec}: expected earliest, latest, max-timestamp, epoch milliseconds, an ISO-8601 date or a relative time like -1h`,
  );
}
