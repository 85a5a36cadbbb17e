/**
 * One connection to one Kafka broker: TCP or TLS, optional SASL, versions negotiated with ApiVersions,
 * typed requests pipelined with correlation ids.
 *
 *   const conn = await Connection.connect({ host: '127.0.0.1', port: 9092, sasl, tls });
 *   const metadata = await conn.send(3, { topics: null, allowAutoTopicCreation: false, ... });
 *
 * - Versions: ApiVersions v3 first (clientSoftwareName "kt"); on UNSUPPORTED_VERSION the broker answers
 *   with a v0 body listing its ranges and we retry at its max (KIP-511). `send` then uses
 *   min(our max, broker max) and rejects with NoCommonVersionError when the ranges do not overlap.
 * - Order: Kafka answers strictly in request order per connection, so responses are matched against the
 *   oldest request awaiting one; a response with any other correlation id breaks the connection.
 * - Produce with acks=0 gets no response: `send` resolves with null once the bytes are written.
 * - At most `inFlightRequestsMax` requests await responses; further ones queue here.
 * - A request that times out rejects with KafkaTimeoutError and closes the connection (as Kafka's own
 *   client does): its late response would otherwise be matched against the next request. Other requests
 *   on it reject with KafkaConnectionError. A request still queued when it times out just leaves the queue.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions as TlsOptions, connect as tlsConnect } from 'node:tls';
import { decodeResponseFrame, encodeRequestFrame } from '../schema/headers.js';
import {
  type ApiKey,
  CODEC_VERSIONS_TABLE,
  getApi,
  type RequestOf,
  type ResponseOf,
} from '../schema/registry.js';
import { KafkaConnectionError, KafkaTimeoutError, NoCommonVersionError } from './errors.js';
import {
  authenticateSasl,
  CLIENT_SOFTWARE_VERSION,
  type HandshakeChannel,
  negotiateVersions,
  type VersionRange,
} from './handshake.js';
import type { SaslOptions } from './sasl.js';

export type { VersionRange } from './handshake.js';

const PRODUCE = 0;

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Kafka client.id of every request (default 'kt'). */
  clientId?: string | null;
  /** TLS: node tls options (e.g. from src/client/security.ts `tlsOptions`), or true for defaults. */
  tls?: TlsOptions | true | undefined;
  sasl?: SaslOptions | undefined;
  /** Bound on TCP/TLS connect, ApiVersions and SASL together. Default 10 s. */
  connectTimeoutMs?: number;
  /** Default bound on each request, from `send` to its response. Default 30 s. */
  requestTimeoutMs?: number;
  /** Requests awaiting a response at once; more wait in a queue here. Default 32. */
  inFlightRequestsMax?: number;
  /** A response frame above this breaks the connection instead of being buffered. Default 256 MiB. */
  responseBytesMax?: number;
  /** Negotiate with ApiVersions (default true). Without it every `send` must pass `version`. */
  negotiateVersions?: boolean;
  clientSoftwareVersion?: string;
  /** Highest version `send` picks per API key (default TOPIC_ID_VERSION_CAPS). */
  versionCaps?: Readonly<Record<number, number>>;
}

export interface SendOptions {
  /** Exact version to use (must lie in the codec's range); default min(our max, broker max). */
  version?: number;
  /** Overrides the connection's requestTimeoutMs for this request. */
  timeoutMs?: number;
}

/**
 * A request as the caller writes it: every field optional, absent ones take Kafka's default for the
 * field (as Kafka's generated message classes do) — 0, '', false, [], null or the schema's default.
 * Names (topics, groups) have no useful default: pass them.
 */
export type RequestInput<T> = T extends Uint8Array | bigint | string | number | boolean | null
  ? T
  : T extends readonly (infer E)[]
    ? RequestInput<E>[]
    : { [P in keyof T]?: RequestInput<T[P]> };

/** Produce with acks=0 resolves with null (the broker sends nothing back). */
export type ResponseFor<K extends ApiKey> = K extends 0 ? ResponseOf<K> | null : ResponseOf<K>;

interface Pending {
  correlationId: number;
  apiKey: number;
  version: number;
  frame: Uint8Array;
  expectResponse: boolean;
  decode: (payload: Uint8Array) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  written: boolean;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  inFlightRequestsMax: 32,
  responseBytesMax: 256 * 1024 * 1024,
};

/**
 * Default upper bounds below the codec's max: versions that address topics by id only (KIP-516/KIP-848),
 * which callers naming topics cannot use. Produce v13, Fetch v13+, OffsetCommit/OffsetFetch v10.
 * `send(…, { version })` still reaches them; `versionCaps` overrides.
 */
export const TOPIC_ID_VERSION_CAPS: Readonly<Record<number, number>> = { 0: 12, 1: 12, 8: 9, 9: 9 };

const OUR_VERSIONS: ReadonlyMap<number, VersionRange> = new Map(
  CODEC_VERSIONS_TABLE.map((r) => [r.apiKey, { min: r.minVersion, max: r.maxVersion }]),
);

function apiName(apiKey: number): string {
  return getApi(apiKey)?.name ?? `API ${apiKey}`;
}

export class Connection {
  readonly host: string;
  readonly port: number;
  /** 'host:port', for messages. */
  readonly address: string;
  private readonly options: Required<
    Pick<
      ConnectionOptions,
      'connectTimeoutMs' | 'requestTimeoutMs' | 'inFlightRequestsMax' | 'responseBytesMax'
    >
  > &
    ConnectionOptions;
  private socket: Socket | undefined;
  private brokerRanges: ReadonlyMap<number, VersionRange> | undefined;
  private nextCorrelationId = 1;
  /** Written, awaiting a response, oldest first. */
  private readonly awaiting: Pending[] = [];
  /** Not yet written (in-flight limit reached). */
  private readonly queued: Pending[] = [];
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private closedWith: Error | undefined;
  private readonly closeListeners: ((error: Error | undefined) => void)[] = [];

  private constructor(options: ConnectionOptions) {
    this.options = { ...DEFAULTS, ...options };
    this.host = options.host;
    this.port = options.port;
    this.address = `${options.host}:${options.port}`;
  }

  /** Connects, negotiates versions and authenticates; rejects with a KtError subclass on failure. */
  static async connect(options: ConnectionOptions): Promise<Connection> {
    const conn = new Connection(options);
    const timeoutMs = conn.options.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new KafkaTimeoutError(conn.address, 'connect timed out', timeoutMs);
        conn.fail(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      await Promise.race([conn.open(), deadline]);
      if (options.negotiateVersions !== false) {
        conn.brokerRanges = await Promise.race([
          negotiateVersions(conn.channel(), options.clientSoftwareVersion ?? CLIENT_SOFTWARE_VERSION),
          deadline,
        ]);
      }
      if (options.sasl) await Promise.race([authenticateSasl(conn.channel(), options.sasl), deadline]);
      return conn;
    } catch (error) {
      conn.fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The broker's version ranges by API key (after negotiation). */
  get brokerVersions(): ReadonlyMap<number, VersionRange> {
    return this.brokerRanges ?? new Map();
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Requests written and awaiting a response, plus those queued behind the in-flight limit. */
  get pendingRequests(): number {
    return this.awaiting.length + this.queued.length;
  }

  /** Called once when the connection closes (error undefined for a close()). */
  onClose(listener: (error: Error | undefined) => void): void {
    if (this.closedWith) listener(this.closedWith);
    else this.closeListeners.push(listener);
  }

  /**
   * The version `send` uses for `apiKey`: min(our max, broker max, cap), or a NoCommonVersionError when the
   * ranges do not overlap or the broker lacks the API.
   */
  versionFor(apiKey: number): number {
    const ours = OUR_VERSIONS.get(apiKey);
    if (!this.brokerRanges) {
      if (!ours) throw new NoCommonVersionError(apiName(apiKey), apiKey, undefined, undefined);
      throw new TypeError(`${apiName(apiKey)}: versions were not negotiated; pass { version }`);
    }
    const broker = this.brokerRanges.get(apiKey);
    const oursRange = ours ? ([ours.min, ours.max] as const) : undefined;
    const brokerRange = broker ? ([broker.min, broker.max] as const) : undefined;
    if (!ours || !broker) throw new NoCommonVersionError(apiName(apiKey), apiKey, oursRange, brokerRange);
    const cap = (this.options.versionCaps ?? TOPIC_ID_VERSION_CAPS)[apiKey] ?? ours.max;
    const version = Math.min(ours.max, broker.max, Math.max(cap, ours.min));
    if (version < Math.max(ours.min, broker.min)) {
      throw new NoCommonVersionError(apiName(apiKey), apiKey, oursRange, brokerRange);
    }
    return version;
  }

  /** Sends a typed request and resolves with the decoded response body. */
  send<K extends ApiKey>(
    apiKey: K,
    request: RequestInput<RequestOf<K>>,
    options: SendOptions = {},
  ): Promise<ResponseFor<K>> {
    let version: number;
    try {
      version = options.version ?? this.versionFor(apiKey);
    } catch (error) {
      return Promise.reject(error);
    }
    const expectResponse = !(apiKey === PRODUCE && (request as RequestInput<RequestOf<0>>).acks === 0);
    return this.enqueue(
      apiKey,
      version,
      request,
      expectResponse,
      (payload) => decodeResponseFrame(apiKey, version, payload, { sizePrefixed: false }).body,
      options.timeoutMs,
    ) as Promise<ResponseFor<K>>;
  }

  /** Closes the socket; requests still pending reject with KafkaConnectionError. */
  async close(): Promise<void> {
    if (this.closedWith) return;
    const socket = this.socket;
    this.fail(undefined);
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        // end() waits for the peer; a peer that never answers must not hold close() forever.
        setTimeout(() => socket.destroy(), 1_000).unref();
      });
    }
  }

  private enqueue(
    apiKey: number,
    version: number,
    body: unknown,
    expectResponse: boolean,
    decode: (payload: Uint8Array) => unknown,
    timeoutMs: number | undefined,
  ): Promise<unknown> {
    if (this.closedWith) {
      return Promise.reject(
        new KafkaConnectionError(this.address, `connection is closed: ${this.closedWith.message}`, {
          cause: this.closedWith,
        }),
      );
    }
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = correlationId >= 0x7fffffff ? 1 : correlationId + 1;
    let frame: Uint8Array;
    try {
      frame = encodeRequestFrame({
        apiKey: apiKey as ApiKey,
        apiVersion: version,
        correlationId,
        clientId: this.options.clientId === undefined ? 'kt' : this.options.clientId,
        body: body as never,
      });
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        correlationId,
        apiKey,
        version,
        frame,
        expectResponse,
        decode,
        resolve,
        reject,
        timer: undefined,
        written: false,
      };
      const limitMs = timeoutMs ?? this.options.requestTimeoutMs;
      pending.timer = setTimeout(() => this.timeOut(pending, limitMs), limitMs);
      this.queued.push(pending);
      this.pump();
    });
  }

  private timeOut(pending: Pending, limitMs: number): void {
    const error = new KafkaTimeoutError(
      this.address,
      `${apiName(pending.apiKey)} v${pending.version} request (correlation id ${pending.correlationId}) timed out`,
      limitMs,
    );
    const queuedAt = this.queued.indexOf(pending);
    if (queuedAt >= 0) {
      this.queued.splice(queuedAt, 1);
      pending.reject(error);
      return;
    }
    pending.reject(error);
    const at = this.awaiting.indexOf(pending);
    if (at >= 0) this.awaiting.splice(at, 1);
    this.fail(new KafkaConnectionError(this.address, 'closed after a request timed out', { cause: error }));
  }

  /** Writes queued requests while the in-flight limit allows. */
  private pump(): void {
    const socket = this.socket;
    if (!socket || this.closedWith) return;
    while (this.queued.length > 0 && this.awaiting.length < this.options.inFlightRequestsMax) {
      const pending = this.queued.shift()!;
      pending.written = true;
      if (pending.expectResponse) {
        this.awaiting.push(pending);
        socket.write(pending.frame);
      } else {
        socket.write(pending.frame, (error) => {
          clearTimeout(pending.timer);
          if (error) pending.reject(new KafkaConnectionError(this.address, error.message, { cause: error }));
          else pending.resolve(null);
        });
      }
    }
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port, tls } = this.options;
      const socket = tls
        ? tlsConnect({
            // SNI takes host names only (RFC 6066); an IP address is verified against the certificate's IP SANs.
            ...(isIP(host) === 0 ? { servername: host } : {}),
            ...(tls === true ? {} : tls),
            host,
            port,
          })
        : netConnect({ host, port });
      this.socket = socket;
      socket.setNoDelay(true);
      const onError = (error: Error): void => {
        reject(new KafkaConnectionError(this.address, `cannot connect: ${error.message}`, { cause: error }));
      };
      socket.once('error', onError);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', onError);
        socket.on('error', (error) =>
          this.fail(new KafkaConnectionError(this.address, error.message, { cause: error })),
        );
        socket.on('close', () =>
          this.fail(new KafkaConnectionError(this.address, 'connection closed by the broker')),
        );
        socket.on('data', (chunk: Buffer) => this.onData(chunk));
        resolve();
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    while (this.chunkBytes >= 4 && !this.closedWith) {
      let head = this.chunks[0]!;
      if (head.length < 4) {
        head = Buffer.concat(this.chunks);
        this.chunks = [head];
      }
      const size = head.readInt32BE(0);
      if (size < 4 || size > this.options.responseBytesMax) {
        this.fail(
          new KafkaConnectionError(
            this.address,
            `response frame of ${size} bytes is outside 4..${this.options.responseBytesMax} (not Kafka, or too large)`,
          ),
        );
        return;
      }
      if (this.chunkBytes < 4 + size) return;
      if (head.length < 4 + size) {
        head = Buffer.concat(this.chunks);
        this.chunks = [head];
      }
      const payload = head.subarray(4, 4 + size);
      const rest = head.subarray(4 + size);
      this.chunks.shift();
      if (rest.length > 0) this.chunks.unshift(rest);
      this.chunkBytes -= 4 + size;
      this.onFrame(payload);
    }
  }

  private onFrame(payload: Uint8Array): void {
    const correlationId = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getInt32(0);
    const pending = this.awaiting[0];
    if (!pending || pending.correlationId !== correlationId) {
      this.fail(
        new KafkaConnectionError(
          this.address,
          `response with correlation id ${correlationId}, expected ${pending ? pending.correlationId : 'none'}`,
        ),
      );
      return;
    }
    this.awaiting.shift();
    clearTimeout(pending.timer);
    try {
      pending.resolve(pending.decode(payload));
    } catch (error) {
      // The frame boundary is intact, so only this request fails; the stream stays usable.
      pending.reject(
        new KafkaConnectionError(
          this.address,
          `malformed ${apiName(pending.apiKey)} v${pending.version} response: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    }
    this.pump();
  }

  /** Closes for good: rejects everything pending with `error` (or a "closed" error for close()). */
  private fail(error: Error | undefined): void {
    if (this.closedWith) return;
    this.closedWith = error ?? new KafkaConnectionError(this.address, 'connection closed');
    const reason =
      error instanceof KafkaConnectionError || error instanceof KafkaTimeoutError
        ? error
        : new KafkaConnectionError(this.address, this.closedWith.message, { cause: error });
    for (const pending of [...this.awaiting, ...this.queued]) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.awaiting.length = 0;
    this.queued.length = 0;
    this.chunks = [];
    this.chunkBytes = 0;
    if (error) this.socket?.destroy();
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }

  /** What the handshake (handshake.ts) needs of this connection. */
  private channel(): HandshakeChannel {
    return {
      address: this.address,
      request: (apiKey, version, body, decode) =>
        this.enqueue(apiKey, version, body, true, decode, undefined),
      versionFor: (apiKey) => this.versionFor(apiKey),
    };
  }
}
