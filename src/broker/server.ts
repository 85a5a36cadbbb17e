/**
 * The broker's network layer: a TCP listener that splits each connection's byte stream into Kafka request
 * frames (int32 size + payload) and hands them to a handler, writing responses back strictly in request
 * order (Java clients pair each response with their oldest in-flight request; protocol.md §5 item 6).
 *
 * Behavior:
 * - Requests on one connection are handled one at a time, in order, like Kafka (which mutes a channel
 *   while a request is in progress); connections are independent, so a long-polling fetch on one never
 *   blocks another.
 * - A frame whose declared size is negative or above `requestBytesMax` (socket.request.max.bytes) closes
 *   only that connection, after one log line; so does a handler that asks to close (acks=0 errors,
 *   undecodable headers).
 * - Bytes are buffered per connection up to one frame; nothing is allocated for a declared size before
 *   the bytes arrive (a hostile size cannot make the broker allocate).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/**
 * What a handler returns: a response frame (size-prefixed) as chunks written in order — a Fetch response's
 * record data stays in the buffers it was read into instead of being copied into one frame —, no response
 * (acks=0), or close.
 */
export type HandlerResult = { response: readonly Uint8Array[] } | { response: null } | { close: string };

export type FrameHandler = (frame: Uint8Array, connection: ConnectionInfo) => Promise<HandlerResult>;

export interface ServerOptions {
  host: string;
  port: number;
  /** Largest request frame accepted (Kafka's socket.request.max.bytes, default 100 MiB). */
  requestBytesMax: number;
  handler: FrameHandler;
  log: (line: string) => void;
}

export interface ListeningServer {
  readonly host: string;
  readonly port: number;
  readonly connectionCount: number;
  close(): Promise<void>;
}

export async function listen(options: ServerOptions): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  let nextId = 1;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, nextId++, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    host: options.host,
    port,
    get connectionCount() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function serveConnection(socket: Socket, id: number, options: ServerOptions): void {
  socket.setNoDelay(true);
  const info: ConnectionInfo = {
    id,
    remoteAddress: socket.remoteAddress ?? '?',
    remotePort: socket.remotePort ?? 0,
  };
  const chunks: Buffer[] = [];
  let buffered = 0;
  let expected = -1;
  const queue: Uint8Array[] = [];
  let busy = false;
  let closed = false;

  const fail = (reason: string) => {
    if (closed) return;
    closed = true;
    options.log(`closing connection ${info.remoteAddress}:${info.remotePort}: ${reason}`);
    socket.destroy();
  };

  const take = (n: number): Buffer => {
    const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
    const head = whole.subarray(0, n);
    const rest = whole.subarray(n);
    chunks.length = 0;
    buffered = rest.length;
    if (rest.length > 0) chunks.push(rest);
    return head;
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0 && !closed) {
      const frame = queue.shift()!;
      let result: HandlerResult;
      try {
        result = await options.handler(frame, info);
      } catch (error) {
        fail(`handler error: ${(error as Error).message}`);
        break;
      }
      if ('close' in result) {
        fail(result.close);
        break;
      }
      if (result.response !== null && !closed) {
        // One writev for all chunks instead of a syscall each.
        socket.cork();
        let flushed = true;
        for (const chunk of result.response) flushed = socket.write(chunk);
        socket.uncork();
        // A client that sends requests but does not read answers must not make the broker buffer without
        // bound: the next request waits until the socket drained.
        if (!flushed && !closed) await drained(socket);
      }
    }
    busy = false;
  };

  socket.on('data', (data: Buffer) => {
    if (closed) return;
    chunks.push(data);
    buffered += data.length;
    for (;;) {
      if (expected < 0) {
        if (buffered < 4) break;
        const size = take(4).readInt32BE(0);
        if (size < 0 || size > options.requestBytesMax) {
          fail(`request size ${size} is outside 0..${options.requestBytesMax} (socket.request.max.bytes)`);
          return;
        }
        expected = size;
      }
      if (buffered < expected) break;
      // Socket chunks are fresh allocations that Node never reuses, so handlers may keep views into them.
      const frame = take(expected);
      expected = -1;
      queue.push(frame);
    }
    void pump();
  });
  socket.on('error', () => {
    closed = true;
  });
  socket.on('close', () => {
    closed = true;
  });
}
