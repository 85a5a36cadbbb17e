/**
 * `--filter` on key, value or header by regex, with negation; several filters are ANDed:
 *
 *   key:RE   value:RE   header:NAME=RE (some header NAME matches)   header:NAME (present)   !… negates
 *
 * Bytes are matched as UTF-8 text (invalid sequences become U+FFFD), so a regex on binary data works
 * on its printable parts.
 */
import { usageError } from '../../errors/kt-error.js';
import type { ConsumedRecord } from '../../format/jsonl.js';

export type RecordFilter = (r: ConsumedRecord) => boolean;

const text = (b: Uint8Array | null): string | null =>
  b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

function regex(source: string, spec: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw usageError(`--filter ${spec}: bad regex: ${(error as Error).message}`);
  }
}

export function parseFilter(spec: string): RecordFilter {
  const negate = spec.startsWith('!');
  const body = negate ? spec.slice(1) : spec;
  const colon = body.indexOf(':');
  const field = colon < 0 ? '' : body.slice(0, colon);
  const rest = body.slice(colon + 1);
  let test: RecordFilter;
  if (field === 'key' || field === 'k') {
    const re = regex(rest, spec);
    test = (r) => {
      const k = text(r.key);
      return k !== null && re.test(k);
    };
  } else if (field === 'value' || field === 'v') {
    const re = regex(rest, spec);
    test = (r) => {
      const v = text(r.value);
      return v !== null && re.test(v);
    };
  } else if (field === 'header' || field === 'h') {
    const eq = rest.indexOf('=');
    const name = eq < 0 ? rest : rest.slice(0, eq);
    if (name === '') throw usageError(`--filter ${spec}: header filters need a name: header:NAME=REGEX`);
    if (eq < 0) test = (r) => r.headers.some((h) => h.key === name);
    else {
      const re = regex(rest.slice(eq + 1), spec);
      test = (r) =>
        r.headers.some((h) => {
          const v = text(h.value);
          return h.key === name && v !== null && re.test(v);
        });
    }
  } else {
    throw usageError(
      `--filter ${spec}: expected key:REGEX, value:REGEX or header:NAME[=REGEX], optionally prefixed by !`,
    );
  }
  return negate ? (r) => !test(r) : test;
}

/** All filters ANDed; undefined when there are none. */
export function combineFilters(specs: readonly string[]): RecordFilter | undefined {
  if (specs.length === 0) return undefined;
  const filters = specs.map(parseFilter);
  return (r) => filters.every((f) => f(r));
}
