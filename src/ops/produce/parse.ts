/**
 * Turns input lines into records: plain values, `--key-separator` keys, `--format` templates, or the
 * lossless JSONL format. `--null-marker` and `--header` apply to the plain and template forms.
 */
import { KtError } from '../../errors/kt-error.js';
import { parseJsonlRecord } from '../../format/jsonl.js';
import {
  checkInputTemplate,
  parseTemplate,
  parseWithTemplate,
  type TemplateToken,
} from '../../format/template.js';
import type { RecordHeader } from '../../protocol/record-batch.js';

export interface OutRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: RecordHeader[];
  timestamp?: bigint;
  /** Explicit partition from the input (JSONL, %p). */
  partition?: number;
  /** Where it came from, for errors: line number (or 1 for --whole-file) and file. */
  lineNo: number;
}

export interface ParseOptions {
  input: 'text' | 'jsonl';
  keySeparator?: string;
  nullMarker?: string;
  format?: string;
  /** --header k=v, for every record (after per-record headers). */
  headers?: RecordHeader[];
}

export type LineParser = (line: Buffer, lineNo: number) => OutRecord;

function inputError(lineNo: number, message: string, hint?: string): KtError {
  return new KtError('KT_INVALID_INPUT', `line ${lineNo}: ${message}`, hint === undefined ? {} : { hint });
}

/** Parses `--header k=v` flags (the value may be empty; it is the null marker → null). */
export function parseHeaderFlags(values: readonly string[], nullMarker?: string): RecordHeader[] {
  return values.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new KtError('KT_USAGE', `--header ${spec}: expected name=value`);
    const value = spec.slice(eq + 1);
    return { key: spec.slice(0, eq), value: value === nullMarker ? null : Buffer.from(value, 'utf8') };
  });
}

export function createLineParser(options: ParseOptions): LineParser {
  const extra = options.headers ?? [];
  const withExtra = (h: RecordHeader[] | undefined): RecordHeader[] | undefined =>
    extra.length === 0 ? h : [...(h ?? []), ...extra];
  if (options.input === 'jsonl') {
    return (line, lineNo) => {
      const r = parseJsonlRecord(line.toString('utf8'), lineNo);
      const out: OutRecord = { key: r.key, value: r.value, lineNo };
      const headers = withExtra(r.headers.length > 0 ? r.headers : undefined);
      if (headers) out.headers = headers;
      if (r.partition !== undefined) out.partition = r.partition;
      if (r.timestamp !== undefined) out.timestamp = r.timestamp;
      return out;
    };
  }
  const nullMarker = options.nullMarker === undefined ? undefined : Buffer.from(options.nullMarker, 'utf8');
  const orNull = (b: Buffer): Buffer | null => (nullMarker !== undefined && b.equals(nullMarker) ? null : b);
  if (options.format !== undefined) {
    const tokens: TemplateToken[] = parseTemplate(options.format, '--format');
    checkInputTemplate(tokens, '--format');
    return (line, lineNo) => {
      let parsed: ReturnType<typeof parseWithTemplate>;
      try {
        parsed = parseWithTemplate(tokens, line, nullMarker);
      } catch (error) {
        throw inputError(lineNo, `does not match --format: ${(error as Error).message}`);
      }
      const out: OutRecord = { key: parsed.key, value: parsed.value, lineNo };
      const headers = withExtra(parsed.headers.length > 0 ? parsed.headers : undefined);
      if (headers) out.headers = headers;
      if (parsed.partition !== undefined) out.partition = parsed.partition;
      if (parsed.timestamp !== undefined) out.timestamp = parsed.timestamp;
      return out;
    };
  }
  const headers = extra.length > 0 ? extra : undefined;
  if (options.keySeparator !== undefined) {
    if (options.keySeparator === '') throw new KtError('KT_USAGE', '--key-separator must not be empty');
    const sep = Buffer.from(options.keySeparator, 'utf8');
    return (line, lineNo) => {
      const at = line.indexOf(sep);
      if (at < 0) {
        throw inputError(
          lineNo,
          `no key separator ${JSON.stringify(options.keySeparator)} found`,
          'every line must be KEY<separator>VALUE',
        );
      }
      const out: OutRecord = {
        key: orNull(line.subarray(0, at)),
        value: orNull(line.subarray(at + sep.length)),
        lineNo,
      };
      if (headers) out.headers = headers;
      return out;
    };
  }
  return (line, lineNo) => {
    const out: OutRecord = { key: null, value: orNull(line), lineNo };
    if (headers) out.headers = headers;
    return out;
  };
}
