/**
 * The API registry: schemas by key, compiled codecs (cached per key, version and direction), the
 * generic encode/decode functions and the broker's ApiVersions table — all derived from
 * src/protocol/apis/*.ts.
 */
import { ALL_APIS } from '../apis/index.js';
import type { ApiMessages } from '../apis/types.generated.js';
import { DecodeError } from '../decode-error.js';
import { Writer } from '../writer.js';
import { compileStruct, decodeStruct, defaultFactory, type StructCodec } from './codec.js';
import { type ApiSpec, type FieldSpec, structName } from './spec.js';

/** API keys with a schema. */
export type ApiKey = keyof ApiMessages;
export type RequestOf<K extends ApiKey> = ApiMessages[K]['request'];
export type ResponseOf<K extends ApiKey> = ApiMessages[K]['response'];

export type Direction = 'request' | 'response';

const API_BY_KEY: ReadonlyMap<number, ApiSpec> = new Map(ALL_APIS.map((api) => [api.apiKey, api]));

export function getApi(apiKey: number): ApiSpec | undefined {
  return API_BY_KEY.get(apiKey);
}

export function isApiKey(apiKey: number): apiKey is ApiKey {
  return API_BY_KEY.has(apiKey);
}

/** True when this codec can encode and decode `version` of `apiKey`. */
export function isSupportedVersion(apiKey: number, version: number): boolean {
  const api = API_BY_KEY.get(apiKey);
  return api !== undefined && version >= api.validVersions[0] && version <= api.validVersions[1];
}

/** Flexible versions use compact types, tagged fields and request header v2 / response header v1. */
export function isFlexibleVersion(apiKey: number, version: number): boolean {
  const api = API_BY_KEY.get(apiKey);
  return api !== undefined && api.flexibleVersions !== null && version >= api.flexibleVersions;
}

const compiled = new Map<string, StructCodec>();

/** The codec for one message version; throws RangeError for versions outside `validVersions`. */
export function messageCodec(apiKey: number, version: number, direction: Direction): StructCodec {
  const cacheKey = `${apiKey}:${version}:${direction}`;
  let codec = compiled.get(cacheKey);
  if (codec !== undefined) return codec;
  const api = API_BY_KEY.get(apiKey);
  if (api === undefined) throw new RangeError(`Cannot find API key ${apiKey}: no schema`);
  if (version < api.validVersions[0] || version > api.validVersions[1]) {
    throw new RangeError(
      `Cannot use ${api.name} v${version}: supported versions are ${api.validVersions[0]}-${api.validVersions[1]}`,
    );
  }
  const flexible = api.flexibleVersions !== null && version >= api.flexibleVersions;
  const name = `${api.name}${direction === 'request' ? 'Request' : 'Response'}`;
  codec = compileStruct(api[direction].fields, version, flexible, name);
  compiled.set(cacheKey, codec);
  return codec;
}

/**
 * For decoders: a version we cannot decode is bad input from a peer (DecodeError), not a programming
 * error. Frame decoders turn it into UnsupportedVersionError first; this covers direct callers.
 */
function decoderCodec(apiKey: number, version: number, direction: Direction): StructCodec {
  if (!isSupportedVersion(apiKey, version)) {
    throw new DecodeError(`cannot decode ${direction} of API key ${apiKey} v${version}: unsupported version`);
  }
  return messageCodec(apiKey, version, direction);
}

function encode(apiKey: number, version: number, direction: Direction, value: unknown): Uint8Array {
  const w = new Writer();
  messageCodec(apiKey, version, direction).write(w, value);
  return w.finish();
}

/**
 * Encodes a request body (no header). Fields the version lacks are ignored; fields left undefined (at
 * any depth) are written as their defaults, so a partial value built with a cast encodes like
 * createRequest(apiKey, partial) would.
 */
export function encodeRequest<K extends ApiKey>(apiKey: K, version: number, value: RequestOf<K>): Uint8Array {
  return encode(apiKey, version, 'request', value);
}

/** Encodes a response body (no header). */
export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  value: ResponseOf<K>,
): Uint8Array {
  return encode(apiKey, version, 'response', value);
}

/** Decodes a request body; every field is set (defaults for fields the version lacks). */
export function decodeRequest<K extends ApiKey>(apiKey: K, version: number, body: Uint8Array): RequestOf<K> {
  const codec = decoderCodec(apiKey, version, 'request');
  return decodeStruct(codec, body, `request ${apiKey} v${version}`) as unknown as RequestOf<K>;
}

/** Decodes a response body; every field is set (defaults for fields the version lacks). */
export function decodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  body: Uint8Array,
): ResponseOf<K> {
  const codec = decoderCodec(apiKey, version, 'response');
  return decodeStruct(codec, body, `response ${apiKey} v${version}`) as unknown as ResponseOf<K>;
}

/**
 * A message value with any field left out: what createRequest/createResponse fill with defaults.
 * Encoders want every field (the decoded shape); these helpers build one without spelling out the
 * fields a caller does not care about.
 */
export type Init<T> = T extends Uint8Array | bigint | string | number | boolean | null
  ? T
  : T extends readonly (infer E)[]
    ? Init<E>[]
    : { [P in keyof T]?: Init<T[P]> };

function fill(fields: readonly FieldSpec[], init: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const v = init[field.name];
    if (v === undefined) out[field.name] = defaultFactory(field)();
    else if (v === null || structName(field.type) === undefined) out[field.name] = v;
    else if (field.type.startsWith('[]')) {
      out[field.name] = (v as Record<string, unknown>[]).map((e) => fill(field.fields ?? [], e));
    } else out[field.name] = fill(field.fields ?? [], v as Record<string, unknown>);
  }
  return out;
}

/** A complete request value: `init` plus every missing field at its default, at any depth. */
export function createRequest<K extends ApiKey>(
  apiKey: K,
  init: Init<RequestOf<K>> = {} as never,
): RequestOf<K> {
  const api = API_BY_KEY.get(apiKey);
  if (api === undefined) throw new RangeError(`Cannot find API key ${apiKey}: no schema`);
  return fill(api.request.fields, init as Record<string, unknown>) as unknown as RequestOf<K>;
}

/** A complete response value: `init` plus every missing field at its default, at any depth. */
export function createResponse<K extends ApiKey>(
  apiKey: K,
  init: Init<ResponseOf<K>> = {} as never,
): ResponseOf<K> {
  const api = API_BY_KEY.get(apiKey);
  if (api === undefined) throw new RangeError(`Cannot find API key ${apiKey}: no schema`);
  return fill(api.response.fields, init as Record<string, unknown>) as unknown as ResponseOf<K>;
}

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * What the kt broker advertises in ApiVersions: every schema with a `broker` range, by key.
 * SaslHandshake (17) and SaslAuthenticate (36) are listed; a broker without SASL listeners drops them.
 */
export const API_VERSIONS_TABLE: readonly ApiVersionRange[] = ALL_APIS.filter((api) => api.broker !== null)
  .map((api) => ({ apiKey: api.apiKey, minVersion: api.broker![0], maxVersion: api.broker![1] }))
  .sort((a, b) => a.apiKey - b.apiKey);

/** What this codec can speak, by key (for a client negotiating versions with a broker). */
export const CODEC_VERSIONS_TABLE: readonly ApiVersionRange[] = ALL_APIS.map((api) => ({
  apiKey: api.apiKey,
  minVersion: api.validVersions[0],
  maxVersion: api.validVersions[1],
})).sort((a, b) => a.apiKey - b.apiKey);
