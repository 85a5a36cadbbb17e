/**
 * Fuzzing every decoder with random and mutated frames. Invariants:
 * - the only failure is DecodeError (no RangeError, TypeError, hang or crash);
 * - nothing decoded is bigger than the input: every bytes view, string and array, and their totals
 *   (bytes + string lengths), fit in the input's byte count.
 * Bounded by an iteration count (and a wall-clock cap as a safety net, never asserted).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_APIS } from '../../src/protocol/apis/index.js';
import { DecodeError } from '../../src/protocol/decode-error.js';
import { ZERO_UUID } from '../../src/protocol/reader.js';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
} from '../../src/protocol/schema/headers.js';
import {
  type ApiKey,
  decodeRequest,
  decodeResponse,
  messageCodec,
} from '../../src/protocol/schema/registry.js';
import { Writer } from '../../src/protocol/writer.js';
import { structArbitrary } from './schema-arbitrary.js';

const SEED = 20261122;
const BASES_PER_MESSAGE = 2;
const MUTATIONS_PER_BASE = 10;
const WALL_CLOCK_CAP_MS = 8000;

/** mulberry32: a small seeded PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = [
  [0x7f, 0xff, 0xff, 0xff],
  [0xff, 0xff, 0xff, 0xff],
  [0x80, 0x00, 0x00, 0x00],
  [0xff, 0xff, 0xff, 0x0f],
  [0x7f, 0xff],
];

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const at = (n: number) => Math.floor(rand() * n);
  const bytes = Uint8Array.from(input);
  switch (at(7)) {
    case 0: {
      // flip bits of 1-3 bytes
      for (let i = 0, n = 1 + at(3); i < n && bytes.length > 0; i++) bytes[at(bytes.length)]! ^= 1 + at(255);
      return bytes;
    }
    case 1: {
      // insert random bytes
      const pos = at(bytes.length + 1);
      const extra = Uint8Array.from({ length: 1 + at(8) }, () => at(256));
      return Uint8Array.from([...bytes.subarray(0, pos), ...extra, ...bytes.subarray(pos)]);
    }
    case 2: {
      // delete a range
      const pos = at(bytes.length + 1);
      return Uint8Array.from([...bytes.subarray(0, pos), ...bytes.subarray(pos + 1 + at(8))]);
    }
    case 3:
      // truncate
      return bytes.subarray(0, at(bytes.length + 1));
    case 4: {
      // a length or count set to a huge value
      const huge = HUGE[at(HUGE.length)]!;
      const pos = at(Math.max(1, bytes.length - huge.length + 1));
      for (let i = 0; i < huge.length && pos + i < bytes.length; i++) bytes[pos + i] = huge[i]!;
      return bytes;
    }
    case 5: {
      // a varint continuation run
      const pos = at(bytes.length + 1);
      return Uint8Array.from([
        ...bytes.subarray(0, pos),
        ...new Array(1 + at(12)).fill(0xff),
        ...bytes.subarray(pos),
      ]);
    }
    default:
      return Uint8Array.from({ length: at(input.length + 16) }, () => at(256));
  }
}

interface Sizes {
  total: number;
  largest: number;
}

/** Sums byte views and string lengths and finds the largest single byte/string/array in a decoded value. */
function measure(value: unknown, sizes: Sizes = { total: 0, largest: 0 }): Sizes {
  if (value === ZERO_UUID) {
    // The default of uuid fields a version lacks: not read from the input.
  } else if (value instanceof Uint8Array || typeof value === 'string') {
    sizes.total += value.length;
    sizes.largest = Math.max(sizes.largest, value.length);
  } else if (Array.isArray(value)) {
    sizes.largest = Math.max(sizes.largest, value.length);
    for (const v of value) measure(v, sizes);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) measure(v, sizes);
  }
  return sizes;
}

interface Outcome {
  ok: number;
  rejected: number;
}

function check(input: Uint8Array, decode: (b: Uint8Array) => unknown, outcome: Outcome, what: string): void {
  let value: unknown;
  try {
    value = decode(input);
  } catch (e) {
    if (!(e instanceof DecodeError)) {
      throw new Error(`${what}: ${String(e)} on input ${Buffer.from(input).toString('hex')}`);
    }
    outcome.rejected++;
    return;
  }
  outcome.ok++;
  const sizes = measure(value);
  // UUIDs decode 16 bytes into 22 chars: allow for them without letting real payloads grow.
  const uuidSlack = (input.length / 16) * 6;
  expect(sizes.largest, what).toBeLessThanOrEqual(input.length);
  expect(sizes.total, what).toBeLessThanOrEqual(input.length + uuidSlack);
}

function encodeBody(
  apiKey: number,
  version: number,
  direction: 'request' | 'response',
  value: unknown,
): Uint8Array {
  const w = new Writer(64);
  messageCodec(apiKey, version, direction).write(w, value);
  return w.finish();
}

describe('decoders under fuzzing', () => {
  it('every API body decoder and frame decoder fails only with DecodeError and never outgrows its input', () => {
    const rand = prng(SEED);
    const started = Date.now();
    const outcome: Outcome = { ok: 0, rejected: 0 };
    let messages = 0;
    for (const api of ALL_APIS) {
      const key = api.apiKey as ApiKey;
      for (let version = api.validVersions[0]; version <= api.validVersions[1]; version++) {
        if (Date.now() - started > WALL_CLOCK_CAP_MS) break;
        const flexible = api.flexibleVersions !== null && version >= api.flexibleVersions;
        for (const direction of ['request', 'response'] as const) {
          messages++;
          const arb = structArbitrary(api[direction].fields, version, flexible);
          const values = fc.sample(arb, { numRuns: BASES_PER_MESSAGE, seed: SEED + key * 100 + version });
          const decodeBody =
            direction === 'request'
              ? (b: Uint8Array) => decodeRequest(key, version, b)
              : (b: Uint8Array) => decodeResponse(key, version, b);
          const decodeFrame =
            direction === 'request'
              ? (b: Uint8Array) => decodeRequestFrame(b)
              : (b: Uint8Array) => decodeResponseFrame(key, version, b);
          for (const value of values) {
            const body = encodeBody(key, version, direction, value);
            const frame =
              direction === 'request'
                ? encodeRequestFrame({
                    apiKey: key,
                    apiVersion: version,
                    correlationId: 1,
                    clientId: 'f',
                    body: value as never,
                  })
                : Uint8Array.from([...new Uint8Array(4), ...body]);
            if (direction === 'response') {
              // Response frames: size + header (v0: correlation id, or v1 with empty tags) + body.
              const header = api.apiKey !== 18 && flexible ? [0, 0, 0, 1, 0] : [0, 0, 0, 1];
              const bytes = Uint8Array.from([0, 0, 0, 0, ...header, ...body]);
              new DataView(bytes.buffer).setInt32(0, bytes.length - 4);
              check(bytes, decodeFrame, outcome, `${api.name} v${version} response frame (valid)`);
            }
            const what = `${api.name} v${version} ${direction}`;
            check(body, decodeBody, outcome, `${what} (valid)`);
            for (let i = 0; i < MUTATIONS_PER_BASE; i++) {
              check(mutate(body, rand), decodeBody, outcome, `${what} body`);
              check(mutate(frame, rand), decodeFrame, outcome, `${what} frame`);
            }
          }
        }
      }
    }
    // Pure noise into the broker's entry point.
    for (let i = 0; i < 2000; i++) {
      const noise = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
      check(noise, (b) => decodeRequestFrame(b, { sizePrefixed: false }), outcome, 'noise');
    }
    expect(messages).toBeGreaterThan(400);
    // Both outcomes occur: the fuzzer reaches past the first length check.
    expect(outcome.ok).toBeGreaterThan(messages);
    expect(outcome.rejected).toBeGreaterThan(messages);
  });
});
