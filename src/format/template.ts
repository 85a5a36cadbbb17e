/**
 * rpk/kcat-style record templates, for `kt consume --format` (output) and `kt produce --format` (input).
 *
 *   %t topic   %p partition   %o offset   %T timestamp   %k key   %v value   %h{name} a header's value
 *   %h all headers as name=value,…   %K key length   %V value length   %%  a percent sign
 *   Escapes: \n \r \t \\ \xHH.  Modifiers in braces: %k{hex} %v{base64} %h{name;hex}, %T{iso|unix|ms}.
 *
 * Output: a null key or value prints as nothing (%K/%V print -1). Input: each field reads up to the
 * literal text that follows it in the template (the last field takes the rest of the line), so two
 * fields must be separated by literal text.
 */
import { usageError } from '../errors/kt-error.js';
import type { ConsumedRecord } from './jsonl.js';
import type { ByteSink } from './sink.js';

export type BytesEncoding = 'text' | 'hex' | 'base64';

export type TemplateToken =
  | { kind: 'literal'; text: Buffer }
  | { kind: 'topic' | 'partition' | 'offset' | 'keyLength' | 'valueLength' | 'headers' }
  | { kind: 'timestamp'; style: 'ms' | 'iso' | 'unix' }
  | { kind: 'key' | 'value'; encoding: BytesEncoding }
  | { kind: 'header'; name: string; encoding: BytesEncoding };

const ENCODINGS: readonly BytesEncoding[] = ['text', 'hex', 'base64'];

function encodingOf(modifier: string | undefined, flag: string, verb: string): BytesEncoding {
  if (modifier === undefined || modifier === '') return 'text';
  if ((ENCODINGS as readonly string[]).includes(modifier)) return modifier as BytesEncoding;
  throw usageError(`${flag}: %${verb}{${modifier}}: unknown modifier (expected hex or base64)`);
}

/** Parses a template; unknown verbs and modifiers are usage errors naming `flag`. */
export function parseTemplate(template: string, flag = '--format'): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let literal: number[] = [];
  const flush = (): void => {
    if (literal.length > 0) tokens.push({ kind: 'literal', text: Buffer.from(literal) });
    literal = [];
  };
  const bytes = Buffer.from(template, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x5c /* \ */ && i + 1 < bytes.length) {
      const e = String.fromCharCode(bytes[++i]!);
      if (e === 'n') literal.push(10);
      else if (e === 'r') literal.push(13);
      else if (e === 't') literal.push(9);
      else if (e === '\\') literal.push(0x5c);
      else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(bytes.subarray(i + 1, i + 3).toString('latin1'))) {
        literal.push(Number.parseInt(bytes.subarray(i + 1, i + 3).toString(), 16));
        i += 2;
      } else throw usageError(`${flag}: unknown escape \\${e} (expected \\n \\r \\t \\\\ \\xHH)`);
      continue;
    }
    if (c !== 0x25 /* % */) {
      literal.push(c);
      continue;
    }
    const verb = i + 1 < bytes.length ? String.fromCharCode(bytes[++i]!) : '';
    if (verb === '%') {
      literal.push(0x25);
      continue;
    }
    let modifier: string | undefined;
    if (bytes[i + 1] === 0x7b /* { */) {
      const close = bytes.indexOf(0x7d /* } */, i + 2);
      if (close < 0) throw usageError(`${flag}: %${verb}{ is not closed`);
      modifier = bytes.subarray(i + 2, close).toString('utf8');
      i = close;
    }
    flush();
    switch (verb) {
      case 't':
        tokens.push({ kind: 'topic' });
        break;
      case 'p':
        tokens.push({ kind: 'partition' });
        break;
      case 'o':
        tokens.push({ kind: 'offset' });
        break;
      case 'K':
        tokens.push({ kind: 'keyLength' });
        break;
      case 'V':
        tokens.push({ kind: 'valueLength' });
        break;
      case 'T': {
        const style = modifier ?? 'ms';
        if (style !== 'ms' && style !== 'iso' && style !== 'unix') {
          throw usageError(`${flag}: %T{${style}}: unknown modifier (expected ms, iso or unix)`);
        }
        tokens.push({ kind: 'timestamp', style });
        break;
      }
      case 'k':
        tokens.push({ kind: 'key', encoding: encodingOf(modifier, flag, verb) });
        break;
      case 'v':
        tokens.push({ kind: 'value', encoding: encodingOf(modifier, flag, verb) });
        break;
      case 'h': {
        if (modifier === undefined) {
          tokens.push({ kind: 'headers' });
          break;
        }
        const [name, enc] = modifier.split(';') as [string, string | undefined];
        if (name === '') throw usageError(`${flag}: %h{} needs a header name`);
        tokens.push({ kind: 'header', name, encoding: encodingOf(enc, flag, 'h') });
        break;
      }
      default:
        throw usageError(`${flag}: unknown verb %${verb} (expected %t %p %o %T %k %v %h %h{name} %K %V %%)`);
    }
  }
  flush();
  return tokens;
}

function writeBytes(out: ByteSink, bytes: Uint8Array | null, encoding: BytesEncoding): void {
  if (bytes === null) return;
  if (encoding === 'text') out.bytes(bytes);
  else out.text(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding));
}

/** Renders one record into `out` (raw bytes are copied as they are, so binary passes unchanged). */
export function renderTemplate(tokens: readonly TemplateToken[], r: ConsumedRecord, out: ByteSink): void {
  for (const t of tokens) {
    switch (t.kind) {
      case 'literal':
        out.bytes(t.text);
        break;
      case 'topic':
        out.text(r.topic);
        break;
      case 'partition':
        out.text(String(r.partition));
        break;
      case 'offset':
        out.text(r.offset.toString());
        break;
      case 'keyLength':
        out.text(String(r.key === null ? -1 : r.key.length));
        break;
      case 'valueLength':
        out.text(String(r.value === null ? -1 : r.value.length));
        break;
      case 'timestamp':
        out.text(
          t.style === 'iso'
            ? new Date(Number(r.timestamp)).toISOString()
            : t.style === 'unix'
              ? (r.timestamp / 1000n).toString()
              : r.timestamp.toString(),
        );
        break;
      case 'key':
        writeBytes(out, r.key, t.encoding);
        break;
      case 'value':
        writeBytes(out, r.value, t.encoding);
        break;
      case 'header': {
        const h = r.headers.find((x) => x.key === t.name);
        if (h) writeBytes(out, h.value, t.encoding);
        break;
      }
      case 'headers':
        r.headers.forEach((h, i) => {
          out.text(`${i === 0 ? '' : ','}${h.key}=`);
          writeBytes(out, h.value, 'text');
        });
        break;
    }
  }
}

// ------------------------------------------------------------------------------------------------ input

/** What an input template pulls from a line. */
export interface TemplateInput {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: string; value: Uint8Array | null }[];
  partition?: number;
  timestamp?: bigint;
}

const INPUT_KINDS = new Set(['key', 'value', 'header', 'partition', 'timestamp']);

/** Checks that a template can parse input lines: only %k %v %h{name} %p %T, fields separated by text. */
export function checkInputTemplate(tokens: readonly TemplateToken[], flag = '--format'): void {
  let previousField = false;
  for (const t of tokens) {
    if (t.kind === 'literal') {
      previousField = false;
      continue;
    }
    if (!INPUT_KINDS.has(t.kind)) {
      throw usageError(`${flag}: input templates take %k %v %h{name} %p %T only`);
    }
    if (t.kind === 'timestamp' && t.style !== 'ms')
      throw usageError(`${flag}: input %T takes epoch milliseconds`);
    if (previousField) throw usageError(`${flag}: two fields need literal text between them`);
    previousField = true;
  }
}

function decodeField(raw: Buffer, encoding: BytesEncoding, what: string): Buffer {
  if (encoding === 'text') return raw;
  const text = raw.toString('latin1');
  const ok = encoding === 'hex' ? /^(?:[0-9a-fA-F]{2})*$/.test(text) : /^[A-Za-z0-9+/]*={0,2}$/.test(text);
  if (!ok || (encoding === 'base64' && text.length % 4 !== 0))
    throw new Error(`${what}: invalid ${encoding}`);
  return Buffer.from(text, encoding);
}

/**
 * Parses one input line with a checked template. `nullMarker` (if set) turns a key, value or header value
 * equal to it into null. Throws an Error with a message (the caller adds the line number).
 */
export function parseWithTemplate(
  tokens: readonly TemplateToken[],
  line: Buffer,
  nullMarker: Buffer | undefined,
): TemplateInput {
  const result: TemplateInput = { key: null, value: null, headers: [] };
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'literal') {
      if (line.compare(t.text, 0, t.text.length, pos, pos + t.text.length) !== 0) {
        throw new Error(`expected ${JSON.stringify(t.text.toString())} at byte ${pos}`);
      }
      pos += t.text.length;
      continue;
    }
    const next = tokens[i + 1];
    let end = line.length;
    if (next?.kind === 'literal') {
      end = line.indexOf(next.text, pos);
      if (end < 0) throw new Error(`missing ${JSON.stringify(next.text.toString())} after byte ${pos}`);
    }
    const raw = line.subarray(pos, end);
    pos = end;
    const isNull = nullMarker !== undefined && raw.equals(nullMarker);
    switch (t.kind) {
      case 'key':
        result.key = isNull ? null : decodeField(raw, t.encoding, 'key');
        break;
      case 'value':
        result.value = isNull ? null : decodeField(raw, t.encoding, 'value');
        break;
      case 'header':
        result.headers.push({
          key: t.name,
          value: isNull ? null : decodeField(raw, t.encoding, `header ${t.name}`),
        });
        break;
      case 'partition': {
        const text = raw.toString('latin1');
        if (!/^\d{1,10}$/.test(text) || Number(text) > 2147483647)
          throw new Error(`partition ${JSON.stringify(text)}`);
        result.partition = Number(text);
        break;
      }
      case 'timestamp': {
        const text = raw.toString('latin1');
        if (!/^\d{1,19}$/.test(text)) throw new Error(`timestamp ${JSON.stringify(text)} is not epoch ms`);
        result.timestamp = BigInt(text);
        break;
      }
      default:
        break;
    }
  }
  if (pos !== line.length) throw new Error(`unexpected text after byte ${pos}`);
  return result;
}
