// Unit tests of src/format (JSONL v1, bytes fields, murmur2, templates, console style) and the command-line
// parsers src/cli/time.ts and src/cli/partitions.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePartitionList, parseTopicPartitions } from '../../src/cli/partitions.js';
import { parseOffsetSpec, tryParseTimestamp } from '../../src/cli/time.js';
import { fromBytesField, toBytesField } from '../../src/format/bytes.js';
import { renderConsole } from '../../src/format/console.js';
import { type ConsumedRecord, parseJsonlRecord, recordToJsonl, writeJsonl } from '../../src/format/jsonl.js';
import { murmur2, murmur2Partition } from '../../src/format/murmur2.js';
import { ByteSink } from '../../src/format/sink.js';
import {
  checkInputTemplate,
  parseTemplate,
  parseWithTemplate,
  renderTemplate,
} from '../../src/format/template.js';

const record = (over: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: 't',
  partition: 2,
  offset: 41n,
  timestamp: 1_700_000_000_123n,
  timestampType: 'create',
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: [],
  ...over,
});

function render(fn: (sink: ByteSink) => void): Buffer {
  const sink = new ByteSink(16);
  fn(sink);
  return Buffer.from(sink.take());
}

describe('murmur2', () => {
  // Vectors from Apache Kafka's UtilsTest.testMurmur2 (Java's Utils.murmur2).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%s) = %d as in Java', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it('partitions are toPositive(hash) % count', () => {
    expect(murmur2Partition(Buffer.from('21'), 7)).toBe((-973932308 & 0x7fffffff) % 7);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 1000 }), (key, n) => {
        const p = murmur2Partition(key, n);
        return Number.isInteger(p) && p >= 0 && p < n;
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('bytes fields', () => {
  it('utf8 when valid, base64 otherwise, null distinct from empty', () => {
    expect(toBytesField(Buffer.from('héllo'))).toEqual({ utf8: 'héllo' });
    expect(toBytesField(Buffer.from([0xff, 0x00]))).toEqual({ base64: '/wA=' });
    expect(toBytesField(null)).toBeNull();
    expect(toBytesField(Buffer.alloc(0))).toEqual({ utf8: '' });
  });

  it('rejects malformed fields with a message', () => {
    expect(fromBytesField({ base64: '***' })).toEqual({ error: 'invalid base64' });
    expect(fromBytesField({ hex: 'abc' })).toEqual({ error: 'invalid hex' });
    expect(fromBytesField({ utf8: 'a', base64: 'YQ==' })).toHaveProperty('error');
    expect(fromBytesField({ rot13: 'a' })).toHaveProperty('error');
    expect(fromBytesField(42)).toHaveProperty('error');
    expect(Buffer.from(fromBytesField({ hex: '00ff' }) as Uint8Array)).toEqual(Buffer.from([0, 255]));
  });
});

describe('JSONL v1', () => {
  it('writes every field, headers ordered with duplicates, null distinct from empty', () => {
    const line = recordToJsonl(
      record({
        key: null,
        value: Buffer.alloc(0),
        headers: [
          { key: 'h', value: Buffer.from('1') },
          { key: 'h', value: null },
          { key: 'bin', value: Buffer.from([0xff, 0xfe]) },
        ],
      }),
    );
    expect(JSON.parse(line)).toEqual({
      v: 1,
      topic: 't',
      partition: 2,
      offset: 41,
      timestamp: 1700000000123,
      timestampType: 'create',
      key: null,
      value: { utf8: '' },
      headers: [
        { key: 'h', value: { utf8: '1' } },
        { key: 'h', value: null },
        { key: 'bin', value: { base64: '//4=' } },
      ],
    });
  });

  it('round-trips arbitrary bytes exactly', () => {
    const bytesOrNull = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });
    fc.assert(
      fc.property(
        bytesOrNull,
        bytesOrNull,
        fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: bytesOrNull }), { maxLength: 4 }),
        (key, value, headers) => {
          const back = parseJsonlRecord(recordToJsonl(record({ key, value, headers })), 1);
          const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));
          expect(hex(back.key)).toBe(hex(key));
          expect(hex(back.value)).toBe(hex(value));
          expect(back.headers.map((h) => [h.key, hex(h.value)])).toEqual(
            headers.map((h) => [h.key, hex(h.value)]),
          );
          expect(back.partition).toBe(2);
          expect(back.timestamp).toBe(1_700_000_000_123n);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it.each([
    ['not json', /line 7: not JSON/],
    ['[1,2]', /line 7: expected a JSON object/],
    ['{"v":2}', /line 7: format version 2 is not supported/],
    ['{"value":{"base64":"!!"}}', /line 7: value: invalid base64/],
    ['{"headers":{"a":"b"}}', /line 7: headers: expected a list/],
    ['{"headers":[{"key":1,"value":null}]}', /line 7: headers\[0\]\.key/],
    ['{"partition":-1}', /line 7: partition/],
  ])('rejects %s naming the line', (line, message) => {
    expect(() => parseJsonlRecord(line, 7)).toThrow(message);
  });

  it('accepts conveniences: bare strings, missing fields', () => {
    const r = parseJsonlRecord('{"value":"plain"}', 1);
    expect(Buffer.from(r.value!).toString()).toBe('plain');
    expect(r.key).toBeNull();
    expect(r.headers).toEqual([]);
    expect(r.partition).toBeUndefined();
  });
});

describe('templates', () => {
  it('renders verbs, modifiers and escapes', () => {
    const tokens = parseTemplate('%t/%p@%o %T{iso} %k{hex} %v{base64} %h{a} [%h] %K %V %%\\t\\x41\\n');
    const out = render((s) =>
      renderTemplate(
        tokens,
        record({
          key: null,
          headers: [
            { key: 'a', value: Buffer.from('x') },
            { key: 'b', value: null },
          ],
        }),
        s,
      ),
    );
    expect(out.toString()).toBe('t/2@41 2023-11-14T22:13:20.123Z  dg== x [a=x,b=] -1 1 %\tA\n');
  });

  it('passes binary values through unchanged', () => {
    const value = Buffer.from([0, 1, 0xff, 0x0a]);
    expect(render((s) => renderTemplate(parseTemplate('%v'), record({ value }), s))).toEqual(value);
  });

  it('rejects unknown verbs, modifiers and escapes naming the flag', () => {
    expect(() => parseTemplate('%q', '--format')).toThrow(/--format: unknown verb %q/);
    expect(() => parseTemplate('%k{rot13}')).toThrow(/unknown modifier/);
    expect(() => parseTemplate('\\q')).toThrow(/unknown escape/);
    expect(() => parseTemplate('%h{a')).toThrow(/not closed/);
  });

  it('parses input lines', () => {
    const tokens = parseTemplate('%k{hex}\\t%h{trace}\\t%p|%v');
    checkInputTemplate(tokens);
    const r = parseWithTemplate(tokens, Buffer.from('00ff\tabc\t3|hello|world'), Buffer.from('NULL'));
    expect(Buffer.from(r.key!)).toEqual(Buffer.from([0, 255]));
    expect(r.headers).toEqual([{ key: 'trace', value: Buffer.from('abc') }]);
    expect(r.partition).toBe(3);
    expect(Buffer.from(r.value!).toString()).toBe('hello|world');
    expect(parseWithTemplate(tokens, Buffer.from('00\tNULL\t0|NULL'), Buffer.from('NULL')).value).toBeNull();
    expect(() => parseWithTemplate(tokens, Buffer.from('00ff abc'), undefined)).toThrow(/missing/);
    expect(() => checkInputTemplate(parseTemplate('%k%v'))).toThrow(/literal text between/);
    expect(() => checkInputTemplate(parseTemplate('%o %v'))).toThrow(/input templates take/);
  });
});

describe('console style', () => {
  it('prints like Kafka’s DefaultMessageFormatter', () => {
    const out = render((s) =>
      renderConsole(
        { printTimestamp: true, printPartition: true, printOffset: true, printHeaders: true, printKey: true },
        record({
          value: null,
          headers: [
            { key: 'a', value: Buffer.from('1') },
            { key: 'a', value: Buffer.from('2') },
          ],
        }),
        s,
      ),
    );
    expect(out.toString()).toBe('CreateTime:1700000000123\tPartition:2\tOffset:41\ta:1,a:2\tk\tnull\n');
    expect(render((s) => renderConsole({ printHeaders: true }, record(), s)).toString()).toBe(
      'NO_HEADERS\tv\n',
    );
  });
});

describe('offset specs and times', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it('parses starts and end bounds', () => {
    expect(parseOffsetSpec('start')).toEqual({ start: { kind: 'earliest' } });
    expect(parseOffsetSpec('end')).toEqual({ start: { kind: 'latest' } });
    expect(parseOffsetSpec('42')).toEqual({ start: { kind: 'offset', offset: 42n } });
    expect(parseOffsetSpec('-10:end')).toEqual({ start: { kind: 'last', count: 10n }, end: { kind: 'end' } });
    expect(parseOffsetSpec(':end')).toEqual({ end: { kind: 'end' } });
    expect(parseOffsetSpec('5:9')).toEqual({
      start: { kind: 'offset', offset: 5n },
      end: { kind: 'offset', offset: 9n },
    });
    expect(parseOffsetSpec('@-1h:@-30m', '--offset', now)).toEqual({
      start: { kind: 'time', timestamp: BigInt(now - 3_600_000) },
      end: { kind: 'time', timestamp: BigInt(now - 1_800_000) },
    });
    expect(parseOffsetSpec('@2024-05-01T10:00:00Z', '--offset', now)).toEqual({
      start: { kind: 'time', timestamp: BigInt(Date.parse('2024-05-01T10:00:00Z')) },
    });
    expect(parseOffsetSpec('@2024-05-01T10:00:00Z:end', '--offset', now).end).toEqual({ kind: 'end' });
  });

  it('rejects bad specs as usage errors', () => {
    for (const bad of ['', 'soon', '@yesterday', '1:later', '--5']) {
      expect(() => parseOffsetSpec(bad)).toThrow(/--offset/);
    }
  });

  it('parses timestamps', () => {
    expect(tryParseTimestamp('1700000000000')).toBe(1_700_000_000_000n);
    expect(tryParseTimestamp('2024-05-01')).toBe(BigInt(Date.parse('2024-05-01T00:00:00Z')));
    expect(tryParseTimestamp('2024-05-01T10:00')).toBe(BigInt(Date.parse('2024-05-01T10:00:00Z')));
    expect(tryParseTimestamp('-2d', now)).toBe(BigInt(now - 2 * 86_400_000));
    expect(tryParseTimestamp('tomorrow')).toBeUndefined();
  });

  it('parses partition lists', () => {
    expect(parsePartitionList('3,0-2,2')).toEqual([0, 1, 2, 3]);
    expect(parseTopicPartitions('orders:1,4')).toEqual({ topic: 'orders', partitions: [1, 4] });
    expect(parseTopicPartitions('orders')).toEqual({ topic: 'orders' });
    for (const bad of ['a', '3-1', '1,,2', '-1', '0-9999999'])
      expect(() => parsePartitionList(bad)).toThrow();
  });
});

describe('JSONL hot path', () => {
  it('writeJsonl writes exactly recordToJsonl plus a newline', () => {
    const bytesOrNull = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });
    const ascii = fc.string({ maxLength: 30 }).map((s) => Buffer.from(s, 'latin1').filter((c) => c < 0x80));
    fc.assert(
      fc.property(
        fc.oneof(bytesOrNull, ascii),
        fc.oneof(bytesOrNull, ascii),
        fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: fc.oneof(bytesOrNull, ascii) }), {
          maxLength: 3,
        }),
        (key, value, headers) => {
          const r = record({ key, value, headers });
          const sink = new ByteSink(8);
          writeJsonl(r, sink);
          expect(sink.take().toString('utf8')).toBe(`${recordToJsonl(r)}\n`);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
