/**
 * Request and response headers and size-prefixed frames, handled once for every API.
 *
 * Request header v1: apiKey int16, apiVersion int16, correlationId int32, clientId nullable string.
 * v2 (flexible request versions) adds a tagged-field section; clientId stays a classic int16 string.
 * Response header v0: correlationId int32; v1 (flexible) adds a tagged-field section — except that the
 * ApiVersions response always uses v0 (KIP-511): a client must parse it before it knows whether the
 * broker speaks flexible versions. A frame is an int32 size followed by header and body.
 */
import { DecodeError } from '../decode-error.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import {
  type ApiKey,
  decodeRequest,
  decodeResponse,
  getApi,
  isFlexibleVersion,
  isSupportedVersion,
  messageCodec,
  type RequestOf,
  type ResponseOf,
} from './registry.js';

const API_VERSIONS_KEY = 18;
/** int32 size prefix of every frame. */
export const FRAME_SIZE_BYTES = 4;

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Kafka's client.id; null when the client sent none. */
  clientId: string | null;
}

export interface ResponseHeader {
  correlationId: number;
}

/** 2 for flexible request versions, else 1. An ApiVersions version newer than ours is read as 2 (KIP-511). */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  if (apiKey === API_VERSIONS_KEY && apiVersion >= 3) return 2;
  return isFlexibleVersion(apiKey, apiVersion) ? 2 : 1;
}

/** 1 for flexible response versions except ApiVersions (always 0), else 0. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === API_VERSIONS_KEY) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 1 : 0;
}

export function writeRequestHeader(w: Writer, header: RequestHeader): void {
  w.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId).nullableString(header.clientId);
  if (requestHeaderVersion(header.apiKey, header.apiVersion) === 2) w.emptyTaggedFields();
}

/** Reads a request header; the header version follows from the key and version it starts with. */
export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  // No tagged header fields are defined for requests; unknown ones are skipped.
  if (requestHeaderVersion(apiKey, apiVersion) === 2) r.taggedFields(() => false);
  return { apiKey, apiVersion, correlationId, clientId };
}

export function writeResponseHeader(
  w: Writer,
  apiKey: number,
  apiVersion: number,
  header: ResponseHeader,
): void {
  w.int32(header.correlationId);
  if (responseHeaderVersion(apiKey, apiVersion) === 1) w.emptyTaggedFields();
}

export function readResponseHeader(r: Reader, apiKey: number, apiVersion: number): ResponseHeader {
  const correlationId = r.int32();
  if (responseHeaderVersion(apiKey, apiVersion) === 1) r.taggedFields(() => false);
  return { correlationId };
}

/**
 * A request whose API key or version this codec cannot decode. It is a DecodeError (bad input), but
 * carries the header so a broker can still answer: UNSUPPORTED_VERSION, and for ApiVersions a v0 body
 * listing the supported keys.
 */
export class UnsupportedVersionError extends DecodeError {
  readonly header: RequestHeader;

  constructor(header: RequestHeader, offset: number) {
    const api = getApi(header.apiKey);
    super(
      api === undefined
        ? `unknown API key ${header.apiKey}`
        : `${api.name} v${header.apiVersion} is outside ${api.validVersions[0]}-${api.validVersions[1]}`,
      offset,
    );
    this.name = 'UnsupportedVersionError';
    this.header = header;
  }
}

export interface FrameOptions {
  /** The bytes start with the int32 frame size (default true); false for a payload already unframed. */
  sizePrefixed?: boolean;
}

/**
 * A decoded request. `apiKey` is repeated at the top so that `if (frame.apiKey === 3)` narrows `body`
 * to MetadataRequest (TypeScript does not narrow a union through a nested property).
 */
export type RequestFrame = {
  [K in ApiKey]: { apiKey: K; header: RequestHeader & { apiKey: K }; body: RequestOf<K> };
}[ApiKey];

export interface EncodeRequestFrameInput<K extends ApiKey> {
  apiKey: K;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  body: RequestOf<K>;
}

export interface EncodeResponseFrameInput<K extends ApiKey> {
  apiKey: K;
  apiVersion: number;
  correlationId: number;
  body: ResponseOf<K>;
}

/** Size-prefixed request bytes: size, header (v1 or v2) and body, written once into one buffer. */
export function encodeRequestFrame<K extends ApiKey>(input: EncodeRequestFrameInput<K>): Uint8Array {
  const codec = messageCodec(input.apiKey, input.apiVersion, 'request');
  const w = new Writer();
  w.int32(0);
  writeRequestHeader(w, input);
  codec.write(w, input.body);
  return w.finishFrame();
}

function writeResponseFrame<K extends ApiKey>(input: EncodeResponseFrameInput<K>): Writer {
  const codec = messageCodec(input.apiKey, input.apiVersion, 'response');
  const w = new Writer();
  w.int32(0);
  writeResponseHeader(w, input.apiKey, input.apiVersion, input);
  codec.write(w, input.body);
  return w;
}

/** Size-prefixed response bytes: size, header (v0 or v1) and body. */
export function encodeResponseFrame<K extends ApiKey>(input: EncodeResponseFrameInput<K>): Uint8Array {
  return writeResponseFrame(input).finishFrame();
}

/**
 * The same frame as encodeResponseFrame, as chunks to write in order (socket.cork/write/uncork): record
 * data of Fetch responses stays where it is instead of being copied into one buffer.
 */
export function encodeResponseFrameChunks<K extends ApiKey>(
  input: EncodeResponseFrameInput<K>,
): Uint8Array[] {
  return writeResponseFrame(input).finishFrameChunks();
}

function unframe(bytes: Uint8Array, options: FrameOptions | undefined): Uint8Array {
  if (options?.sizePrefixed === false) return bytes;
  const r = new Reader(bytes);
  const size = r.int32();
  if (size !== bytes.length - FRAME_SIZE_BYTES) {
    throw new DecodeError(
      `frame size ${size} does not match the ${bytes.length - FRAME_SIZE_BYTES} bytes given`,
      0,
    );
  }
  return bytes.subarray(FRAME_SIZE_BYTES);
}

/**
 * For the broker: decodes header and body of a request frame. Throws UnsupportedVersionError (with the
 * header) for keys or versions we cannot decode, DecodeError for malformed bytes.
 */
export function decodeRequestFrame(bytes: Uint8Array, options?: FrameOptions): RequestFrame {
  const payload = unframe(bytes, options);
  const r = new Reader(payload);
  // The fixed prefix first: enough to answer an unsupported request.
  const apiKey = r.int16();
  const apiVersion = r.int16();
  if (!isSupportedVersion(apiKey, apiVersion)) {
    const correlationId = r.int32();
    let clientId: string | null = null;
    try {
      clientId = r.nullableString();
    } catch {
      // The client id is a courtesy here: the correlation id is what the answer needs.
    }
    throw new UnsupportedVersionError({ apiKey, apiVersion, correlationId, clientId }, 0);
  }
  r.offset = 0;
  const header = readRequestHeader(r);
  const body = decodeRequest(apiKey as ApiKey, apiVersion, payload.subarray(r.offset));
  return { apiKey, header, body } as RequestFrame;
}

/** For clients: decodes a response frame of the request it answers (key and version known). */
export function decodeResponseFrame<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  bytes: Uint8Array,
  options?: FrameOptions,
): { header: ResponseHeader; body: ResponseOf<K> } {
  const payload = unframe(bytes, options);
  const r = new Reader(payload);
  const header = readResponseHeader(r, apiKey, apiVersion);
  const body = decodeResponse(apiKey, apiVersion, payload.subarray(r.offset));
  return { header, body };
}
