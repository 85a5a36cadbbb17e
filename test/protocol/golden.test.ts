// Golden bytes from real peers (fixtures/protocol, captured by test/tools/capture-golden.ts): every
// captured request and response decodes with the schema codec to the values checked by hand in its
// `.expect.json` sidecar and re-encodes byte for byte; Produce and Fetch record batches decode to the
// records the client sent.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTR_COMPRESSION_MASK, readBatchHeader } from '../../src/protocol/batch-header.js';
import {
  type ApiKey,
  decodeRecordBatch,
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  getApi,
  isSupportedVersion,
  iterateBatches,
} from '../../src/protocol/index.js';

const FIXTURES = process.env.KT_GOLDEN_FIXTURES ?? join(import.meta.dirname, '../../fixtures/protocol');

interface Capture {
  file: string;
  step: string;
  family: string;
  apiKey: number;
  api: string;
  version: number;
  correlationId: number;
  clientId: string | null;
  hasResponse: boolean;
  records?: { topic: string; codec: string; records: { key: string | null; value: string }[] };
}

/** Bytes of an annotated hex file: `#` lines are comments, the rest is hex. */
function readHexFixture(path: string): Uint8Array {
  const hex = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`${path}: not hex`);
  return Buffer.from(hex, 'hex');
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const captures: Capture[] = existsSync(join(FIXTURES, 'captures.json'))
  ? (JSON.parse(readFileSync(join(FIXTURES, 'captures.json'), 'utf8')) as Capture[])
  : [];

const decodable = captures.filter((c) => isSupportedVersion(c.apiKey, c.version));
const withoutSchema = captures.filter((c) => !isSupportedVersion(c.apiKey, c.version));

function expectations(file: string): { request?: object; response?: object } | undefined {
  const path = join(FIXTURES, `${file}.expect.json`);
  return existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { request?: object; response?: object })
    : undefined;
}

const CODEC_IDS: Readonly<Record<string, number>> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

/** Compression codec ids (attributes & 7) of every batch in a records field. */
function codecsOf(records: Uint8Array | null): number[] {
  return records === null
    ? []
    : [...iterateBatches(records)].map((b) => readBatchHeader(b).attributes & ATTR_COMPRESSION_MASK);
}

/** Records of every batch in a records field, as the strings the client sent. */
function recordsOf(records: Uint8Array | null): { key: string | null; value: string | null }[] {
  const out: { key: string | null; value: string | null }[] = [];
  if (records === null) return out;
  for (const batch of iterateBatches(records)) {
    for (const r of decodeRecordBatch(batch).records) {
      out.push({
        key: r.key === null ? null : Buffer.from(r.key).toString('utf8'),
        value: r.value === null ? null : Buffer.from(r.value).toString('utf8'),
      });
    }
  }
  return out;
}

describe('golden captures from real peers', () => {
  it('has captures for every API the kt broker serves', () => {
    const served = new Set(captures.map((c) => c.apiKey));
    // Issue 5's API list: everything with a broker range in the schema, SASL included.
    for (let key = 0; key < 100; key++) {
      const api = getApi(key);
      if (api?.broker) expect(served.has(key), `no capture of ${api.name}`).toBe(true);
    }
  });

  it('has a Produce and a Fetch capture per compression codec', () => {
    for (const apiKey of [0, 1]) {
      const codecs = new Set(
        captures.filter((c) => c.apiKey === apiKey && c.records).map((c) => c.records!.codec),
      );
      for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) expect(codecs).toContain(codec);
    }
  });

  describe.each(decodable.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const requestBytes = readHexFixture(join(FIXTURES, `${c.file}.request.hex`));
    const expected = expectations(c.file);

    it('request decodes to the captured header and re-encodes byte for byte', () => {
      const frame = decodeRequestFrame(requestBytes);
      expect(frame.header).toEqual({
        apiKey: c.apiKey,
        apiVersion: c.version,
        correlationId: c.correlationId,
        clientId: c.clientId,
      });
      if (expected?.request) expect(frame.body).toMatchObject(expected.request);
      const again = encodeRequestFrame({
        apiKey: c.apiKey as ApiKey,
        apiVersion: c.version,
        correlationId: c.correlationId,
        clientId: c.clientId,
        body: frame.body as never,
      });
      expect(hex(again)).toBe(hex(requestBytes));
    });

    if (c.hasResponse) {
      it('response decodes and re-encodes byte for byte', () => {
        const responseBytes = readHexFixture(join(FIXTURES, `${c.file}.response.hex`));
        const { header, body } = decodeResponseFrame(c.apiKey as ApiKey, c.version, responseBytes);
        expect(header.correlationId).toBe(c.correlationId);
        if (expected?.response) expect(body).toMatchObject(expected.response);
        const again = encodeResponseFrame({
          apiKey: c.apiKey as ApiKey,
          apiVersion: c.version,
          correlationId: c.correlationId,
          body: body as never,
        });
        expect(hex(again)).toBe(hex(responseBytes));
      });
    }

    if (c.records && c.apiKey === 0) {
      it(`Produce batch (${c.records.codec}) decodes to the records ${c.family} sent`, () => {
        const frame = decodeRequestFrame(requestBytes);
        if (frame.apiKey !== 0) throw new Error('not Produce');
        // Produce v13+ names topics by id only (KIP-516): the capture produced to one topic.
        const topic =
          c.version >= 13
            ? frame.body.topicData[0]
            : frame.body.topicData.find((t) => t.name === c.records!.topic);
        expect(topic, `topic ${c.records!.topic} in the request`).toBeDefined();
        const got = topic!.partitionData.flatMap((p) => recordsOf(p.records));
        expect(got).toEqual(c.records!.records);
        expect(new Set(topic!.partitionData.flatMap((p) => codecsOf(p.records)))).toEqual(
          new Set([CODEC_IDS[c.records!.codec]]),
        );
      });
    }

    if (c.records && c.apiKey === 1 && c.hasResponse) {
      it(`Fetch response (${c.records.codec}) decodes to the records that were produced`, () => {
        const responseBytes = readHexFixture(join(FIXTURES, `${c.file}.response.hex`));
        const { body } = decodeResponseFrame(1, c.version, responseBytes);
        const partitions = body.responses.flatMap((t) => t.partitions);
        const got = partitions.flatMap((p) => recordsOf(p.records));
        // The first batch is the one the capture step produced, in its codec.
        expect(partitions.flatMap((p) => codecsOf(p.records))[0]).toBe(CODEC_IDS[c.records!.codec]);
        // A fetch may return later records too (e.g. a transactional one); the sent ones come first.
        expect(got.slice(0, c.records!.records.length)).toEqual(c.records!.records);
      });
    }
  });

  // Captured for completeness (Java tools use them) but kt has no schema for them: nothing to decode.
  it.each(withoutSchema.map((c) => [c.file, c] as const))(
    '%s is framed (no schema: header only)',
    (_f, c) => {
      const bytes = Buffer.from(readHexFixture(join(FIXTURES, `${c.file}.request.hex`)));
      expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
      expect(bytes.readInt16BE(4)).toBe(c.apiKey);
      expect(bytes.readInt16BE(6)).toBe(c.version);
      expect(bytes.readInt32BE(8)).toBe(c.correlationId);
    },
  );
});
