/**
 * fast-check arbitraries derived from the API schemas: a random value of one message version, with
 * every field the version lacks set to its default (what a decoder returns for it), so that
 * decode(encode(value)) must equal value.
 */
import fc from 'fast-check';
import { uuidToString } from '../../src/protocol/reader.js';
import { defaultFactory } from '../../src/protocol/schema/codec.js';
import {
  type FieldSpec,
  inVersionRange,
  type PrimitiveType,
  structName,
} from '../../src/protocol/schema/spec.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function primitive(type: PrimitiveType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
      return fc.bigInt({ min: INT64_MIN, max: INT64_MAX });
    case 'float64':
      return fc.double({ noNaN: true });
    case 'bool':
      return fc.boolean();
    case 'string':
      // Valid Unicode only: lone surrogates are not representable in UTF-8 and cannot round-trip.
      return fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 24 });
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map(uuidToString);
  }
}

function fieldArbitrary(field: FieldSpec, version: number, flexible: boolean): fc.Arbitrary<unknown> {
  const present = inVersionRange(version, field.versions);
  const tagged = field.tag !== undefined;
  const taggedHere = tagged && flexible && inVersionRange(version, field.taggedVersions);
  if (!present || (tagged && !taggedHere)) return fc.constant(defaultFactory(field)());
  const isArray = field.type.startsWith('[]');
  const base = isArray ? field.type.slice(2) : field.type;
  const element =
    structName(field.type) !== undefined
      ? structArbitrary(field.fields ?? [], version, flexible)
      : primitive(base as PrimitiveType);
  const value = isArray ? fc.array(element, { maxLength: 3 }) : element;
  return inVersionRange(version, field.nullableVersions) ? fc.option(value, { nil: null, freq: 4 }) : value;
}

export function structArbitrary(
  fields: readonly FieldSpec[],
  version: number,
  flexible: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) shape[field.name] = fieldArbitrary(field, version, flexible);
  return fc.record(shape);
}
