// A tiny TCP capture proxy for Kafka: listens on a loopback port, forwards every connection to an upstream
// broker listener byte for byte in both directions, and records each request frame with the response
// frame that answers it (paired by correlation id on the same connection).
//
// Nothing is rewritten. Clients keep talking through the proxy because the broker advertises the proxy's
// address: capture-golden.ts starts Apache Kafka with an EXTERNAL listener whose advertised.listeners
// entry is the proxy's port (and an INTERNAL listener for the broker itself), so Metadata responses send
// clients back to the proxy.
//
// The frame parser only reads what pairing needs: request header (api key, version, correlation id,
// client id) and the response's correlation id. A request with no response (Produce acks=0) is recorded
// with response null when the connection closes.

import { connect, createServer, type Server, type Socket } from 'node:net';

export interface CapturedExchange {
  /** Which capture step was active when the request arrived (set by the driver with setLabel). */
  label: string;
  /** Proxy-local connection number, 1-based. */
  connection: number;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** The whole request frame, size prefix included. */
  request: Buffer;
  /** The whole response frame, size prefix included; null when none came (acks=0, closed early). */
  response: Buffer | null;
}

export interface CaptureProxyOptions {
  upstreamHost: string;
  /** May be 0 at construction and set (setUpstreamPort) before the first client connects. */
  upstreamPort: number;
  /** Port to listen on; 0 picks a free one. */
  listenPort?: number;
  listenHost?: string;
  /** A frame larger than this is forwarded but not recorded (keeps memory bounded). */
  frameBytesMax?: number;
}

const FRAME_BYTES_MAX_DEFAULT = 16 * 1024 * 1024;
/** int16 api key + int16 version + int32 correlation id. */
const REQUEST_HEADER_MIN = 8;

/** Splits a byte stream into Kafka frames (int32 size prefix), keeping the prefix. */
class FrameSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set once the stream stopped looking like Kafka frames: forwarding goes on, parsing stops. */
  private gaveUp = false;

  constructor(
    private readonly frameBytesMax: number,
    private readonly onFrame: (frame: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.gaveUp) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    for (;;) {
      if (this.pendingBytes < 4) return;
      const head = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
      this.pending = [head];
      const size = head.readInt32BE(0);
      if (size < 0 || size > this.frameBytesMax) {
        // Not a Kafka stream (or a frame too big to keep): stop parsing, keep forwarding.
        this.pending = [];
        this.pendingBytes = 0;
        this.gaveUp = true;
        return;
      }
      if (head.length < 4 + size) return;
      this.onFrame(Buffer.from(head.subarray(0, 4 + size)));
      const rest = head.subarray(4 + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
  }
}

function parseRequestHeader(
  frame: Buffer,
): Pick<CapturedExchange, 'apiKey' | 'apiVersion' | 'correlationId' | 'clientId'> | undefined {
  if (frame.length < 4 + REQUEST_HEADER_MIN) return undefined;
  const apiKey = frame.readInt16BE(4);
  const apiVersion = frame.readInt16BE(6);
  const correlationId = frame.readInt32BE(8);
  let clientId: string | null = null;
  // Request header v1+ carries a classic nullable string client id (even in flexible header v2).
  if (frame.length >= 14) {
    const len = frame.readInt16BE(12);
    if (len >= 0 && 14 + len <= frame.length) clientId = frame.toString('utf8', 14, 14 + len);
  }
  return { apiKey, apiVersion, correlationId, clientId };
}

export class CaptureProxy {
  readonly exchanges: CapturedExchange[] = [];
  private label = 'unlabelled';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private connections = 0;
  port = 0;

  private upstreamPort: number;

  constructor(private readonly options: CaptureProxyOptions) {
    this.upstreamPort = options.upstreamPort;
  }

  /** The broker must advertise the proxy's port, so the proxy listens first and learns its upstream later. */
  setUpstreamPort(port: number): void {
    this.upstreamPort = port;
  }

  /** Requests arriving from now on are recorded under `label`. */
  setLabel(label: string): void {
    this.label = label;
  }

  /** Exchanges recorded under `label`. */
  byLabel(label: string): CapturedExchange[] {
    return this.exchanges.filter((e) => e.label === label);
  }

  async start(): Promise<number> {
    const server = createServer((client) => this.handle(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.listenPort ?? 0, this.options.listenHost ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('capture proxy: no port');
    this.port = address.port;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private handle(client: Socket): void {
    const connection = ++this.connections;
    const frameBytesMax = this.options.frameBytesMax ?? FRAME_BYTES_MAX_DEFAULT;
    const upstream = connect({ host: this.options.upstreamHost, port: this.upstreamPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Awaiting a response, by correlation id. Kafka answers in order, but pairing by id is exact.
    const inFlight = new Map<number, CapturedExchange>();

    const requests = new FrameSplitter(frameBytesMax, (frame) => {
      const header = parseRequestHeader(frame);
      if (!header) return;
      const exchange: CapturedExchange = {
        label: this.label,
        connection,
        ...header,
        request: frame,
        response: null,
      };
      this.exchanges.push(exchange);
      inFlight.set(header.correlationId, exchange);
    });
    const responses = new FrameSplitter(frameBytesMax, (frame) => {
      if (frame.length < 8) return;
      const exchange = inFlight.get(frame.readInt32BE(4));
      if (!exchange) return;
      inFlight.delete(exchange.correlationId);
      exchange.response = frame;
    });

    client.on('data', (chunk: Buffer) => {
      requests.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      responses.push(chunk);
      client.write(chunk);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }
}
