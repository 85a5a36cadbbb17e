/**
 * The generic codec: turns a message's field list into a reader and a writer for one version.
 *
 * A message is compiled once per (version, flexible) into closures that already know which fields the
 * version has, which are tagged, which are nullable and whether strings/arrays are compact, so encoding
 * and decoding do no version arithmetic per value. Semantics follow Kafka's generated code:
 * - a field absent from a version is not written, and is decoded as its default;
 * - a tagged field is written only when it differs from its default; unknown tags are skipped;
 * - in flexible versions every struct (the message, each array element, each nested struct) ends with
 *   a tagged-field section;
 * - a nullable struct is prefixed with int8 -1 (null) or 1.
 */
import { Reader, ZERO_UUID } from '../reader.js';
import { Writer } from '../writer.js';
import { type FieldSpec, inVersionRange, PRIMITIVE_TYPES, type PrimitiveType, structName } from './spec.js';

type Obj = Record<string, unknown>;

export interface ValueCodec {
  read(r: Reader): unknown;
  write(w: Writer, v: unknown): void;
}

interface CompiledField {
  readonly name: string;
  readonly codec: ValueCodec;
  readonly tag: number;
  /** A fresh default value (arrays and structs must not be shared between decoded messages). */
  readonly makeDefault: () => unknown;
  readonly isDefault: (v: unknown) => boolean;
}

export interface StructCodec extends ValueCodec {
  read(r: Reader): Obj;
}

function fail(path: string, version: number, why: string): never {
  throw new TypeError(`Cannot encode ${path} at version ${version}: ${why}`);
}

function primitiveCodec(type: PrimitiveType, nullable: boolean, compact: boolean): ValueCodec {
  switch (type) {
    case 'int8':
      return { read: (r) => r.int8(), write: (w, v) => w.int8(v as number) };
    case 'int16':
      return { read: (r) => r.int16(), write: (w, v) => w.int16(v as number) };
    case 'uint16':
      return { read: (r) => r.uint16(), write: (w, v) => w.uint16(v as number) };
    case 'int32':
      return { read: (r) => r.int32(), write: (w, v) => w.int32(v as number) };
    case 'uint32':
      return { read: (r) => r.uint32(), write: (w, v) => w.uint32(v as number) };
    case 'int64':
      return { read: (r) => r.int64(), write: (w, v) => w.int64(v as bigint) };
    case 'float64':
      return { read: (r) => r.float64(), write: (w, v) => w.float64(v as number) };
    case 'bool':
      return { read: (r) => r.bool(), write: (w, v) => w.bool(v as boolean) };
    case 'uuid':
      return { read: (r) => r.uuid(), write: (w, v) => w.uuid(v as string) };
    case 'string':
      if (compact) {
        return nullable
          ? {
              read: (r) => r.compactNullableString(),
              write: (w, v) => w.compactNullableString(v as string | null),
            }
          : { read: (r) => r.compactString(), write: (w, v) => w.compactString(v as string) };
      }
      return nullable
        ? { read: (r) => r.nullableString(), write: (w, v) => w.nullableString(v as string | null) }
        : { read: (r) => r.string(), write: (w, v) => w.string(v as string) };
    case 'bytes':
    case 'records':
      if (compact) {
        return nullable
          ? {
              read: (r) => r.compactNullableBytes(),
              write: (w, v) => w.compactNullableBytes(v as Uint8Array | null),
            }
          : { read: (r) => r.compactBytes(), write: (w, v) => w.compactBytes(v as Uint8Array) };
      }
      return nullable
        ? { read: (r) => r.nullableBytes(), write: (w, v) => w.nullableBytes(v as Uint8Array | null) }
        : { read: (r) => r.bytes(), write: (w, v) => w.bytes(v as Uint8Array) };
  }
}

function arrayCodec(element: ValueCodec, nullable: boolean, compact: boolean): ValueCodec {
  const read = (r: Reader) => element.read(r);
  const write = (w: Writer, v: unknown) => element.write(w, v);
  if (compact) {
    return nullable
      ? {
          read: (r) => r.compactNullableArray(read),
          write: (w, v) => w.compactNullableArray(v as unknown[] | null, write),
        }
      : { read: (r) => r.compactArray(read), write: (w, v) => w.compactArray(v as unknown[], write) };
  }
  return nullable
    ? { read: (r) => r.nullableArray(read), write: (w, v) => w.nullableArray(v as unknown[] | null, write) }
    : { read: (r) => r.array(read), write: (w, v) => w.array(v as unknown[], write) };
}

/** The default of a field, independent of version: spec `default`, else Kafka's implicit zero value. */
export function defaultFactory(field: FieldSpec): () => unknown {
  const d = field.default;
  if (field.type.startsWith('[]')) {
    if (d === null) return () => null;
    return () => [];
  }
  const struct = structName(field.type);
  if (struct !== undefined) {
    if (d === null) return () => null;
    const subs = (field.fields ?? []).map((f) => [f.name, defaultFactory(f)] as const);
    return () => {
      const o: Obj = {};
      for (const [name, make] of subs) o[name] = make();
      return o;
    };
  }
  const type = field.type as PrimitiveType;
  if (d !== undefined) {
    const value = type === 'int64' && typeof d === 'number' ? BigInt(d) : d;
    return () => value;
  }
  switch (type) {
    case 'int64':
      return () => 0n;
    case 'bool':
      return () => false;
    case 'string':
      return () => '';
    case 'uuid':
      return () => ZERO_UUID;
    case 'bytes':
      return () => new Uint8Array(0);
    case 'records':
      return () => null;
    default:
      return () => 0;
  }
}

function defaultTest(field: FieldSpec): (v: unknown) => boolean {
  const make = defaultFactory(field);
  const sample = make();
  if (sample === null) return (v) => v === null;
  if (Array.isArray(sample)) return (v) => Array.isArray(v) && v.length === 0;
  if (sample instanceof Uint8Array) return (v) => v instanceof Uint8Array && v.length === 0;
  if (typeof sample === 'object') {
    const subs = (field.fields ?? []).map((f) => [f.name, defaultTest(f)] as const);
    return (v) => v !== null && typeof v === 'object' && subs.every(([name, test]) => test((v as Obj)[name]));
  }
  return (v) => v === sample;
}

function valueCodec(field: FieldSpec, version: number, flexible: boolean, path: string): ValueCodec {
  const nullable = inVersionRange(version, field.nullableVersions);
  const compact =
    flexible && (field.flexibleVersions === undefined || inVersionRange(version, field.flexibleVersions));
  const isArray = field.type.startsWith('[]');
  const base = isArray ? field.type.slice(2) : field.type;
  let element: ValueCodec;
  if ((PRIMITIVE_TYPES as readonly string[]).includes(base)) {
    element = primitiveCodec(base as PrimitiveType, nullable && !isArray, compact);
  } else {
    if (field.fields === undefined) throw new TypeError(`Schema error: struct field ${path} has no fields`);
    element = compileStruct(field.fields, version, flexible, path);
    if (nullable && !isArray) {
      const struct = element;
      element = {
        read: (r) => (r.int8() < 0 ? null : struct.read(r)),
        write: (w, v) => {
          if (v === null) w.int8(-1);
          else struct.write(w.int8(1), v);
        },
      };
    }
  }
  const codec = isArray ? arrayCodec(element, nullable, compact) : element;
  if (nullable) return codec;
  // Catch a null where the version cannot carry one: encoding it would corrupt the frame.
  return {
    read: codec.read,
    write: (w, v) => {
      if (v === null) fail(path, version, 'null in a version where the field is not nullable');
      codec.write(w, v);
    },
  };
}

/** Compiles `fields` for one version: a StructCodec that reads and writes objects keyed by field name. */
export function compileStruct(
  fields: readonly FieldSpec[],
  version: number,
  flexible: boolean,
  path = 'message',
): StructCodec {
  const regular: CompiledField[] = [];
  const tagged: CompiledField[] = [];
  const absent: { name: string; makeDefault: () => unknown }[] = [];
  for (const field of fields) {
    const fieldPath = `${path}.${field.name}`;
    const present = inVersionRange(version, field.versions);
    const isTagged =
      present && flexible && field.tag !== undefined && inVersionRange(version, field.taggedVersions);
    const makeDefault = defaultFactory(field);
    if (!present || (field.tag !== undefined && !isTagged)) {
      absent.push({ name: field.name, makeDefault });
      continue;
    }
    const compiled: CompiledField = {
      name: field.name,
      codec: valueCodec(field, version, flexible, fieldPath),
      tag: field.tag ?? -1,
      makeDefault,
      isDefault: defaultTest(field),
    };
    (isTagged ? tagged : regular).push(compiled);
  }
  tagged.sort((a, b) => a.tag - b.tag);
  const byTag = new Map(tagged.map((f) => [f.tag, f]));

  return {
    read(r: Reader): Obj {
      const o: Obj = {};
      for (const f of regular) o[f.name] = f.codec.read(r);
      if (flexible) {
        for (const f of tagged) o[f.name] = f.makeDefault();
        r.taggedFields((tag, fieldReader) => {
          const f = byTag.get(tag);
          if (f === undefined) return false;
          o[f.name] = f.codec.read(fieldReader);
          return true;
        });
      }
      for (const f of absent) o[f.name] = f.makeDefault();
      return o;
    },
    write(w: Writer, v: unknown): void {
      if (v === null || typeof v !== 'object') fail(path, version, `expected an object, got ${String(v)}`);
      const o = v as Obj;
      for (const f of regular) {
        const value = o[f.name];
        f.codec.write(w, value === undefined ? f.makeDefault() : value);
      }
      if (!flexible) return;
      let count = 0;
      for (const f of tagged) {
        const value = o[f.name];
        if (value !== undefined && !f.isDefault(value)) count++;
      }
      w.uvarint(count);
      if (count === 0) return;
      for (const f of tagged) {
        const value = o[f.name];
        if (value === undefined || f.isDefault(value)) continue;
        // A tagged field is size-prefixed: encode it apart to learn its size.
        const inner = new Writer(64);
        f.codec.write(inner, value);
        const bytes = inner.finish();
        w.uvarint(f.tag).uvarint(bytes.length).raw(bytes);
      }
    },
  };
}

/** Decodes a whole message body: the struct must consume every byte. */
export function decodeStruct(codec: StructCodec, bytes: Uint8Array, what: string): Obj {
  const r = new Reader(bytes);
  const value = codec.read(r);
  r.expectEnd(what);
  return value;
}
