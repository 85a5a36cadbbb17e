/**
 * SASL client mechanisms for Kafka: PLAIN (RFC 4616) and SCRAM-SHA-256/512 (RFC 5802, RFC 7677), with
 * node:crypto. A mechanism is a small state machine: `next(challenge)` takes the server's last message
 * (empty at the start) and returns the bytes to send, or `done` once the exchange is complete.
 *
 * Kafka carries these tokens in SaslAuthenticate requests after a SaslHandshake (connection.ts).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type SaslMechanismName = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface SaslOptions {
  mechanism: SaslMechanismName;
  username: string;
  password: string;
}

export type SaslStep = { send: Uint8Array } | { done: true };

export interface SaslMechanism {
  /** Kafka's name for the handshake: 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'. */
  readonly kafkaName: string;
  next(challenge: Uint8Array): SaslStep;
}

/** Thrown by a mechanism when the server's message is malformed or fails verification. */
export class SaslMechanismError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslMechanismError';
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function createSaslMechanism(options: SaslOptions, nonce?: string): SaslMechanism {
  switch (options.mechanism) {
    case 'plain':
      return new PlainMechanism(options.username, options.password);
    case 'scram-sha-256':
      return new ScramMechanism('sha256', 'SCRAM-SHA-256', options.username, options.password, nonce);
    case 'scram-sha-512':
      return new ScramMechanism('sha512', 'SCRAM-SHA-512', options.username, options.password, nonce);
    default:
      throw new TypeError(`unknown SASL mechanism ${String((options as { mechanism: unknown }).mechanism)}`);
  }
}

/** PLAIN: one message, authzid empty: "\0username\0password". */
class PlainMechanism implements SaslMechanism {
  readonly kafkaName = 'PLAIN';
  private sent = false;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  next(): SaslStep {
    if (this.sent) return { done: true };
    this.sent = true;
    return { send: utf8.encode(`\u0000${this.username}\u0000${this.password}`) };
  }
}

/** RFC 5802 §5.1: ',' and '=' in a username are escaped as =2C and =3D. */
export function scramEscapeUsername(username: string): string {
  return username.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

/** Parses "a=1,b=2" SCRAM attributes; values may contain '='. */
function parseAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new SaslMechanismError(`malformed SCRAM attribute ${JSON.stringify(part)}`);
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** Kafka's ScramMechanism.minIterations is 4096; its max is 16384. Refuse a server asking for absurd work. */
const SCRAM_ITERATIONS_MIN = 4096;
const SCRAM_ITERATIONS_MAX = 1_000_000;
/** "n,," base64: no channel binding, no authzid. */
const GS2_HEADER_B64 = Buffer.from('n,,').toString('base64');

class ScramMechanism implements SaslMechanism {
  private state: 'first' | 'final' | 'verify' | 'done' = 'first';
  private readonly clientNonce: string;
  private clientFirstBare = '';
  private serverSignature: Buffer | undefined;

  constructor(
    private readonly hash: 'sha256' | 'sha512',
    readonly kafkaName: string,
    private readonly username: string,
    private readonly password: string,
    nonce?: string,
  ) {
    // Printable ASCII without ',' (RFC 5802 "printable"); base64 of random bytes qualifies.
    this.clientNonce = nonce ?? randomBytes(24).toString('base64');
  }

  next(challenge: Uint8Array): SaslStep {
    switch (this.state) {
      case 'first': {
        this.clientFirstBare = `n=${scramEscapeUsername(this.username)},r=${this.clientNonce}`;
        this.state = 'final';
        return { send: utf8.encode(`n,,${this.clientFirstBare}`) };
      }
      case 'final': {
        this.state = 'verify';
        return { send: utf8.encode(this.clientFinal(decode(challenge))) };
      }
      case 'verify': {
        this.verifyServerFinal(decode(challenge));
        this.state = 'done';
        return { done: true };
      }
      default:
        return { done: true };
    }
  }

  private hmac(key: Uint8Array, data: string | Uint8Array): Buffer {
    return createHmac(this.hash, key).update(data).digest();
  }

  private clientFinal(serverFirst: string): string {
    const attrs = parseAttributes(serverFirst);
    if (attrs.has('e')) throw new SaslMechanismError(`server error: ${attrs.get('e')}`);
    const nonce = attrs.get('r');
    const saltB64 = attrs.get('s');
    const iterationsText = attrs.get('i');
    if (nonce === undefined || saltB64 === undefined || iterationsText === undefined) {
      throw new SaslMechanismError('server-first-message lacks r, s or i');
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw new SaslMechanismError('server nonce does not extend the client nonce');
    }
    const iterations = Number(iterationsText);
    if (
      !Number.isInteger(iterations) ||
      iterations < SCRAM_ITERATIONS_MIN ||
      iterations > SCRAM_ITERATIONS_MAX
    ) {
      throw new SaslMechanismError(`server asked for ${iterationsText} iterations`);
    }
    const salt = Buffer.from(saltB64, 'base64');
    const keyBytes = this.hash === 'sha256' ? 32 : 64;
    // SASLprep of the password is not applied: Kafka's own client does not apply it either.
    const saltedPassword = pbkdf2Sync(this.password, salt, iterations, keyBytes, this.hash);
    const clientKey = this.hmac(saltedPassword, 'Client Key');
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const withoutProof = `c=${GS2_HEADER_B64},r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const clientSignature = this.hmac(storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
    this.serverSignature = this.hmac(this.hmac(saltedPassword, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  private verifyServerFinal(serverFinal: string): void {
    const attrs = parseAttributes(serverFinal);
    if (attrs.has('e')) throw new SaslMechanismError(`server error: ${attrs.get('e')}`);
    const v = attrs.get('v');
    if (v === undefined) throw new SaslMechanismError('server-final-message lacks v');
    const got = Buffer.from(v, 'base64');
    const want = this.serverSignature!;
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      throw new SaslMechanismError(
        'server signature does not verify: not the server that holds our credentials',
      );
    }
  }
}

function decode(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new SaslMechanismError('server message is not UTF-8');
  }
}
