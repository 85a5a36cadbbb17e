/**
 * The bytes fields of the lossless JSONL format: `{"utf8": "..."}` when the bytes are valid UTF-8,
 * `{"base64": "..."}` otherwise, and JSON `null` for a null key, value or header value (distinct from
 * `{"utf8": ""}`, the empty byte string). Inputs also accept `{"hex": "..."}` and a bare string (UTF-8).
 */
import { isUtf8 } from 'node:buffer';

export type BytesField = { utf8: string } | { base64: string } | { hex: string } | null;

/** The JSON text of a bytes field (a fast path: no intermediate object). */
export function bytesFieldJson(bytes: Uint8Array | null): string {
  if (bytes === null) return 'null';
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return `{"utf8":${JSON.stringify(buf.toString('utf8'))}}`;
  return `{"base64":"${buf.toString('base64')}"}`;
}

export function toBytesField(bytes: Uint8Array | null): BytesField {
  if (bytes === null) return null;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isUtf8(buf) ? { utf8: buf.toString('utf8') } : { base64: buf.toString('base64') };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes a bytes field; returns an error message (a string) instead of throwing, so the caller can
 * name the line and the field.
 */
export function fromBytesField(value: unknown): Uint8Array | null | { error: string } {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'expected null, a string, or an object with one of utf8, base64, hex' };
  }
  const keys = Object.keys(value);
  if (keys.length !== 1)
    return { error: `expected exactly one of utf8, base64, hex; got ${keys.join(', ') || 'none'}` };
  const [name] = keys as [string];
  const text = (value as Record<string, unknown>)[name];
  if (typeof text !== 'string') return { error: `${name} must be a string` };
  switch (name) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'base64':
      if (text.length % 4 !== 0 || !BASE64.test(text)) return { error: 'invalid base64' };
      return Buffer.from(text, 'base64');
    case 'hex':
      if (!HEX.test(text)) return { error: 'invalid hex' };
      return Buffer.from(text, 'hex');
    default:
      return { error: `unknown encoding ${JSON.stringify(name)} (expected utf8, base64 or hex)` };
  }
}
