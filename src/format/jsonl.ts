/**
 * kt's lossless JSONL record format, version 1 (specified in docs/jsonl.md). One record per line:
 *
 *   {"v":1,"topic":"t","partition":0,"offset":42,"timestamp":1700000000000,"timestampType":"create",
 *    "key":{"utf8":"k"},"value":{"base64":"3q2+7w=="},"headers":[{"key":"h","value":{"utf8":"1"}}]}
 *
 * Bytes fields are bytes.ts fields; headers are an ordered list, duplicate names kept. Writing never
 * loses a byte; reading accepts the same lines (and a few conveniences: missing fields, bare strings).
 */
import { KtError } from '../errors/kt-error.js';
import { bytesFieldJson, fromBytesField } from './bytes.js';
import type { ByteSink } from './sink.js';

export const JSONL_VERSION = 1;

export type TimestampType = 'create' | 'log-append';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: bigint;
  timestampType: TimestampType;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: string; value: Uint8Array | null }[];
}

function jsonNumber(n: bigint): string {
  return n <= 9007199254740991n && n >= -9007199254740991n ? n.toString() : `"${n.toString()}"`;
}

/** One record as a JSONL line (without the newline). */
export function recordToJsonl(r: ConsumedRecord): string {
  let headers = '';
  for (let i = 0; i < r.headers.length; i++) {
    const h = r.headers[i]!;
    headers += `${i === 0 ? '' : ','}{"key":${JSON.stringify(h.key)},"value":${bytesFieldJson(h.value)}}`;
  }
  return (
    `{"v":${JSONL_VERSION},"topic":${JSON.stringify(r.topic)},"partition":${r.partition},` +
    `"offset":${jsonNumber(r.offset)},"timestamp":${jsonNumber(r.timestamp)},"timestampType":"${r.timestampType}",` +
    `"key":${bytesFieldJson(r.key)},"value":${bytesFieldJson(r.value)},"headers":[${headers}]}`
  );
}

const UTF8_OPEN = Buffer.from('{"utf8":"');
const UTF8_CLOSE = Buffer.from('"}');

/** True when every byte is printable ASCII needing no JSON escape: such bytes are their own JSON text. */
function isPlainAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function writeBytesField(sink: ByteSink, b: Uint8Array | null): void {
  if (b !== null && isPlainAscii(b)) {
    sink.bytes(UTF8_OPEN);
    sink.bytes(b);
    sink.bytes(UTF8_CLOSE);
  } else sink.text(bytesFieldJson(b));
}

/** The same line as recordToJsonl (plus the newline), written straight into `sink` (the consume hot path). */
export function writeJsonl(r: ConsumedRecord, sink: ByteSink): void {
  sink.text(
    `{"v":${JSONL_VERSION},"topic":${JSON.stringify(r.topic)},"partition":${r.partition},` +
      `"offset":${jsonNumber(r.offset)},"timestamp":${jsonNumber(r.timestamp)},"timestampType":"${r.timestampType}","key":`,
  );
  writeBytesField(sink, r.key);
  sink.text(',"value":');
  writeBytesField(sink, r.value);
  sink.text(',"headers":[');
  for (let i = 0; i < r.headers.length; i++) {
    const h = r.headers[i]!;
    sink.text(`${i === 0 ? '' : ','}{"key":${JSON.stringify(h.key)},"value":`);
    writeBytesField(sink, h.value);
    sink.text('}');
  }
  sink.text(']}\n');
}

/** A record read from a JSONL line, ready to produce. */
export interface JsonlInputRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: string; value: Uint8Array | null }[];
  partition?: number;
  timestamp?: bigint;
}

function lineError(lineNo: number, message: string): KtError {
  return new KtError('KT_INVALID_INPUT', `line ${lineNo}: ${message}`, {
    hint: 'each line must be a JSON object in kt’s JSONL format (docs/jsonl.md)',
  });
}

function bytesAt(value: unknown, lineNo: number, field: string): Uint8Array | null {
  if (value === undefined) return null;
  const decoded = fromBytesField(value);
  if (decoded !== null && !(decoded instanceof Uint8Array))
    throw lineError(lineNo, `${field}: ${decoded.error}`);
  return decoded;
}

function integerAt(
  value: unknown,
  lineNo: number,
  field: string,
  min: bigint,
  max: bigint,
): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  let n: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) n = BigInt(value);
  if (n === undefined || n < min || n > max)
    throw lineError(lineNo, `${field}: expected an integer in ${min}..${max}`);
  return n;
}

/** Parses one JSONL line; throws KT_INVALID_INPUT naming the line. */
export function parseJsonlRecord(line: string, lineNo: number): JsonlInputRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw lineError(lineNo, `not JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw lineError(lineNo, 'expected a JSON object');
  }
  const o = parsed as Record<string, unknown>;
  if (o.v !== undefined && o.v !== JSONL_VERSION) {
    throw lineError(
      lineNo,
      `format version ${JSON.stringify(o.v)} is not supported (this kt reads v${JSONL_VERSION})`,
    );
  }
  const headers: JsonlInputRecord['headers'] = [];
  if (o.headers !== undefined && o.headers !== null) {
    if (!Array.isArray(o.headers)) throw lineError(lineNo, 'headers: expected a list of {"key", "value"}');
    o.headers.forEach((h: unknown, i) => {
      if (h === null || typeof h !== 'object' || Array.isArray(h)) {
        throw lineError(lineNo, `headers[${i}]: expected {"key": string, "value": bytes}`);
      }
      const { key, value } = h as Record<string, unknown>;
      if (typeof key !== 'string') throw lineError(lineNo, `headers[${i}].key: expected a string`);
      headers.push({ key, value: bytesAt(value, lineNo, `headers[${i}].value`) });
    });
  }
  const record: JsonlInputRecord = {
    key: bytesAt(o.key, lineNo, 'key'),
    value: bytesAt(o.value, lineNo, 'value'),
    headers,
  };
  const partition = integerAt(o.partition, lineNo, 'partition', 0n, 2147483647n);
  if (partition !== undefined) record.partition = Number(partition);
  const timestamp = integerAt(o.timestamp, lineNo, 'timestamp', -1n, 9223372036854775807n);
  if (timestamp !== undefined && timestamp >= 0n) record.timestamp = timestamp;
  return record;
}
