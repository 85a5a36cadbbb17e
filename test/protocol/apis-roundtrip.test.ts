/**
 * Property tests: for every API, every version, request and response, a random value generated from
 * the schema survives encode → decode unchanged and re-encodes to the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_APIS } from '../../src/protocol/apis/index.js';
import { Reader } from '../../src/protocol/reader.js';
import { type Direction, messageCodec } from '../../src/protocol/schema/registry.js';
import { Writer } from '../../src/protocol/writer.js';
import { structArbitrary } from './schema-arbitrary.js';

const RUNS_PER_VERSION = 10;

function encode(apiKey: number, version: number, direction: Direction, value: unknown): Uint8Array {
  const w = new Writer(16);
  messageCodec(apiKey, version, direction).write(w, value);
  return w.finish();
}

function decode(apiKey: number, version: number, direction: Direction, bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  const value = messageCodec(apiKey, version, direction).read(r);
  r.expectEnd('message');
  return value;
}

describe('every API round-trips', () => {
  for (const api of ALL_APIS) {
    it(`${api.name} (key ${api.apiKey}) v${api.validVersions[0]}-${api.validVersions[1]} request and response`, () => {
      let cases = 0;
      for (let version = api.validVersions[0]; version <= api.validVersions[1]; version++) {
        const flexible = api.flexibleVersions !== null && version >= api.flexibleVersions;
        for (const direction of ['request', 'response'] as const) {
          const arb = structArbitrary(api[direction].fields, version, flexible);
          fc.assert(
            fc.property(arb, (value) => {
              const bytes = encode(api.apiKey, version, direction, value);
              const decoded = decode(api.apiKey, version, direction, bytes);
              expect(decoded).toEqual(value);
              expect(encode(api.apiKey, version, direction, decoded)).toEqual(bytes);
              cases++;
            }),
            { numRuns: RUNS_PER_VERSION, seed: api.apiKey * 1000 + version },
          );
        }
      }
      expect(cases).toBe((api.validVersions[1] - api.validVersions[0] + 1) * 2 * RUNS_PER_VERSION);
    });
  }
});
