/**
 * The schema DSL: one ApiSpec per Kafka API key (src/protocol/apis/NN-name.ts) describes the request
 * and the response for every version we speak. Types (types.generated.ts), codecs (codec.ts) and the
 * broker's ApiVersions table (registry.ts) all derive from these specs, so adding a version is one edit:
 * raise `validVersions` (and `broker` if kt serves it), then mark new fields with their `versions`.
 *
 * Version ranges are written the way Kafka's message specs write them: '3+' (3 and later), '0-4'
 * (inclusive), '5' (exactly), 'none'.
 */

export type PrimitiveType =
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'string'
  | 'bytes'
  /** Record batches as bytes (a view); record-batch.ts decodes them. */
  | 'records'
  | 'uuid';

export const PRIMITIVE_TYPES: readonly PrimitiveType[] = [
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'bool',
  'string',
  'bytes',
  'records',
  'uuid',
];

/** '3+', '0-4', '5' or 'none'. */
export type VersionRange = string;

export type DefaultValue = number | bigint | boolean | string | null;

export interface FieldSpec {
  /** camelCase property name in the TypeScript value. */
  readonly name: string;
  /**
   * A primitive ('int32'), an array of one ('[]int32'), a struct ('LeaderIdAndEpoch') or an array of
   * structs ('[]MetadataResponseTopic'). Struct types carry their `fields`; the struct name becomes
   * the generated interface name (prefixed with the API name when it is not already).
   */
  readonly type: string;
  /** Versions of the enclosing message in which the field exists. */
  readonly versions: VersionRange;
  /** Versions in which the field may be null (strings, bytes, records, arrays, structs). */
  readonly nullableVersions?: VersionRange;
  /** Tag number: the field lives in the tagged-field section in `taggedVersions`. */
  readonly tag?: number;
  readonly taggedVersions?: VersionRange;
  /** Value when absent from a version (decoders fill it in) and the value tagged fields omit. */
  readonly default?: DefaultValue;
  /** Overrides the message's flexible versions for this field (the header's ClientId is never compact). */
  readonly flexibleVersions?: VersionRange;
  /** What the field means. */
  readonly doc: string;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSpec {
  /** What the message does and how its versions differ (KIPs). */
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
  /** Responses: Kafka error names the response may carry, and why. */
  readonly errors?: Readonly<Record<string, string>>;
}

export interface ApiSpec {
  readonly apiKey: number;
  /** Kafka's API name, e.g. 'Metadata'; types are `${name}Request` / `${name}Response`. */
  readonly name: string;
  /** Versions this codec encodes and decodes. */
  readonly validVersions: readonly [number, number];
  /** First flexible version (compact types, tagged fields, header v2/v1), or null when none is. */
  readonly flexibleVersions: number | null;
  /** Versions the kt broker advertises in ApiVersions, or null when it does not serve this API. */
  readonly broker: readonly [number, number] | null;
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}

/** Parsed inclusive range; `null` for 'none'. */
export type ParsedRange = readonly [number, number] | null;

export function parseVersionRange(range: VersionRange): ParsedRange {
  if (range === 'none') return null;
  const plus = /^(\d+)\+$/.exec(range);
  if (plus) return [Number(plus[1]), Number.POSITIVE_INFINITY];
  const span = /^(\d+)-(\d+)$/.exec(range);
  if (span) return [Number(span[1]), Number(span[2])];
  if (/^\d+$/.test(range)) return [Number(range), Number(range)];
  throw new TypeError(`Cannot parse version range "${range}": expected "N+", "N-M", "N" or "none"`);
}

export function inVersionRange(version: number, range: VersionRange | undefined): boolean {
  if (range === undefined) return false;
  const r = parseVersionRange(range);
  return r !== null && version >= r[0] && version <= r[1];
}

/** Struct name of a struct or struct-array type, undefined for primitives. */
export function structName(type: string): string | undefined {
  const base = type.startsWith('[]') ? type.slice(2) : type;
  return (PRIMITIVE_TYPES as readonly string[]).includes(base) ? undefined : base;
}

/** `api` itself, typed: a helper so schema files get checking without repeating the interface name. */
export function defineApi(api: ApiSpec): ApiSpec {
  return api;
}
