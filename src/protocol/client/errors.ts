/**
 * Errors of the protocol client. They are KtErrors (kt's one error model) so the CLI prints them with their
 * stable codes and exit status without a mapping table:
 *
 *   KT_CONNECTION  cannot connect, TLS failure, connection closed or broken, SASL failure, bad frames
 *   KT_TIMEOUT     connect or request timeout
 *   KT_KAFKA       no common version of an API (kafkaCode 35 ErrorCode.UNSUPPORTED_VERSION)
 *
 * Error codes inside a response body are the caller's to interpret: ProtocolError (src/errors/kafka.ts)
 * carries them.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { KtError, type KtErrorOptions } from '../../errors/kt-error.js';

/** The connection could not be made, or broke: every request in flight on it fails with this. */
export class KafkaConnectionError extends KtError {
  /** 'host:port' of the broker. */
  readonly broker: string;

  constructor(broker: string, message: string, options: KtErrorOptions = {}) {
    super('KT_CONNECTION', `${broker}: ${message}`, options);
    this.name = 'KafkaConnectionError';
    this.broker = broker;
  }
}

/** Connect or a request took longer than its bound. */
export class KafkaTimeoutError extends KtError {
  readonly broker: string;
  readonly timeoutMs: number;

  constructor(broker: string, message: string, timeoutMs: number, options: KtErrorOptions = {}) {
    super('KT_TIMEOUT', `${broker}: ${message} (after ${timeoutMs} ms)`, options);
    this.name = 'KafkaTimeoutError';
    this.broker = broker;
    this.timeoutMs = timeoutMs;
  }
}

/** SASL handshake or authentication failed (wrong mechanism, credentials, or a server we cannot verify). */
export class SaslAuthenticationError extends KtError {
  readonly broker: string;

  constructor(broker: string, message: string, options: KtErrorOptions = {}) {
    super('KT_CONNECTION', `${broker}: SASL authentication failed: ${message}`, {
      hint: 'check the profile’s sasl mechanism, username and password',
      ...options,
    });
    this.name = 'SaslAuthenticationError';
    this.broker = broker;
  }
}

/** The broker and kt share no version of an API, or the broker does not offer the API at all. */
export class NoCommonVersionError extends KtError {
  readonly apiKey: number;
  readonly ours: readonly [number, number] | undefined;
  readonly broker: readonly [number, number] | undefined;

  constructor(
    apiName: string,
    apiKey: number,
    ours: readonly [number, number] | undefined,
    broker: readonly [number, number] | undefined,
  ) {
    const range = (r: readonly [number, number] | undefined): string => (r ? `v${r[0]}-v${r[1]}` : 'none');
    super(
      'KT_KAFKA',
      broker === undefined
        ? `The broker does not support ${apiName} (API key ${apiKey})`
        : `No common version of ${apiName} (API key ${apiKey}): kt speaks ${range(ours)}, the broker ${range(broker)}`,
      {
        kafkaCode: ErrorCode.UNSUPPORTED_VERSION,
        hint: 'the cluster is too old or too new for this operation',
      },
    );
    this.name = 'NoCommonVersionError';
    this.apiKey = apiKey;
    this.ours = ours;
    this.broker = broker;
  }
}
