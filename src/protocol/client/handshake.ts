/**
 * The start of every connection: ApiVersions negotiation and SASL authentication (SaslHandshake v1 then
 * SaslAuthenticate), over the connection's own request path.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ProtocolError } from '../../errors/kafka.js';
import { DecodeError } from '../decode-error.js';
import { decodeResponseFrame } from '../schema/headers.js';
import { CODEC_VERSIONS_TABLE, decodeResponse, type ResponseOf } from '../schema/registry.js';
import { KafkaConnectionError, NoCommonVersionError, SaslAuthenticationError } from './errors.js';
import { createSaslMechanism, SaslMechanismError, type SaslOptions } from './sasl.js';

export const CLIENT_SOFTWARE_NAME = 'kt';
export const CLIENT_SOFTWARE_VERSION = '0.1.0';

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
/** We ask for ApiVersions v3 first, like librdkafka: flexible, carries our software name. */
const API_VERSIONS_FIRST = 3;

export interface VersionRange {
  min: number;
  max: number;
}

/** What the handshake needs of a connection. */
export interface HandshakeChannel {
  readonly address: string;
  /** One request at an exact version; `decode` gets the response payload after the size prefix. */
  request(
    apiKey: number,
    version: number,
    body: unknown,
    decode: (payload: Uint8Array) => unknown,
  ): Promise<unknown>;
  versionFor(apiKey: number): number;
}

/**
 * An ApiVersions response: header v0 always (KIP-511), then a body of `version` — or, when the error
 * code (the body's first field in every version) is ErrorCode.UNSUPPORTED_VERSION, a v0 body.
 */
export function decodeApiVersionsPayload(version: number, payload: Uint8Array): ResponseOf<18> {
  const body = payload.subarray(4);
  if (body.length < 2) throw new DecodeError('ApiVersions response: no error code', 4);
  const errorCode = new DataView(body.buffer, body.byteOffset, 2).getInt16(0);
  return decodeResponse(API_VERSIONS, errorCode === ErrorCode.UNSUPPORTED_VERSION ? 0 : version, body);
}

/** ApiVersions v3; on ErrorCode.UNSUPPORTED_VERSION read the v0 body and retry at the broker's max. */
export async function negotiateVersions(
  channel: HandshakeChannel,
  clientSoftwareVersion: string,
): Promise<Map<number, VersionRange>> {
  const ours = CODEC_VERSIONS_TABLE.find((r) => r.apiKey === API_VERSIONS)!;
  let version = Math.min(API_VERSIONS_FIRST, ours.maxVersion);
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = (await channel.request(
      API_VERSIONS,
      version,
      { clientSoftwareName: CLIENT_SOFTWARE_NAME, clientSoftwareVersion },
      (payload) => decodeApiVersionsPayload(version, payload),
    )) as ResponseOf<18>;
    if (response.errorCode === ErrorCode.UNSUPPORTED_VERSION && attempt === 0) {
      const brokerMax = response.apiKeys.find((k) => k.apiKey === API_VERSIONS)?.maxVersion ?? 0;
      const next = Math.min(ours.maxVersion, brokerMax);
      if (next === version) break;
      version = next;
      continue;
    }
    if (response.errorCode !== ErrorCode.NONE) {
      const error = new ProtocolError(response.errorCode);
      throw new KafkaConnectionError(channel.address, `ApiVersions failed: ${error.name}: ${error.message}`, {
        kafkaCode: response.errorCode,
        cause: error,
      });
    }
    return new Map(response.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
  }
  throw new NoCommonVersionError('ApiVersions', API_VERSIONS, [ours.minVersion, ours.maxVersion], undefined);
}

/** SaslHandshake v1 (tokens then travel in SaslAuthenticate requests), then the mechanism's exchange. */
export async function authenticateSasl(channel: HandshakeChannel, sasl: SaslOptions): Promise<void> {
  const mechanism = createSaslMechanism(sasl);
  const handshakeVersion = channel.versionFor(SASL_HANDSHAKE);
  if (handshakeVersion < 1) {
    // v0 sends raw SASL tokens outside Kafka frames; every Kafka since 1.0 has v1.
    throw new NoCommonVersionError('SaslHandshake', SASL_HANDSHAKE, [1, 1], [0, 0]);
  }
  const decode =
    (apiKey: 17 | 36, version: number) =>
    (payload: Uint8Array): unknown =>
      decodeResponseFrame(apiKey, version, payload, { sizePrefixed: false }).body;
  const handshake = (await channel.request(
    SASL_HANDSHAKE,
    handshakeVersion,
    { mechanism: mechanism.kafkaName },
    decode(SASL_HANDSHAKE, handshakeVersion),
  )) as ResponseOf<17>;
  if (handshake.errorCode !== ErrorCode.NONE) {
    throw new SaslAuthenticationError(
      channel.address,
      `the broker does not enable ${mechanism.kafkaName} (enabled: ${handshake.mechanisms.join(', ') || 'none'})`,
      { kafkaCode: handshake.errorCode },
    );
  }
  const authVersion = channel.versionFor(SASL_AUTHENTICATE);
  let challenge: Uint8Array = new Uint8Array(0);
  for (;;) {
    let step: ReturnType<typeof mechanism.next>;
    try {
      step = mechanism.next(challenge);
    } catch (error) {
      if (error instanceof SaslMechanismError)
        throw new SaslAuthenticationError(channel.address, error.message);
      throw error;
    }
    if ('done' in step) return;
    const response = (await channel.request(
      SASL_AUTHENTICATE,
      authVersion,
      { authBytes: step.send },
      decode(SASL_AUTHENTICATE, authVersion),
    )) as ResponseOf<36>;
    if (response.errorCode !== ErrorCode.NONE) {
      throw new SaslAuthenticationError(
        channel.address,
        response.errorMessage ?? new ProtocolError(response.errorCode).message,
        { kafkaCode: response.errorCode },
      );
    }
    challenge = response.authBytes;
  }
}
