// The protocol client against a scripted peer: a real TCP server on loopback that decodes each request
// with the schema codec and answers as a test tells it (or not at all). Covers what a healthy Kafka never
// does: old ApiVersions, no common version, wrong correlation ids, silence, oversized frames.
// SCRAM is checked against the RFC 7677 test vector.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { KtError } from '../../src/errors/kt-error.js';
import {
  Connection,
  createSaslMechanism,
  KafkaConnectionError,
  KafkaTimeoutError,
  NoCommonVersionError,
  type SaslStep,
  scramEscapeUsername,
} from '../../src/protocol/client/index.js';
import {
  API_VERSIONS_TABLE,
  type ApiKey,
  decodeRequestFrame,
  encodeResponseFrame,
  type RequestFrame,
  type ResponseOf,
} from '../../src/protocol/index.js';

type Answer = Uint8Array | null | 'close';
type Handler = (frame: RequestFrame, socket: Socket) => Answer | Promise<Answer>;

interface Peer {
  port: number;
  requests: RequestFrame[];
  server: Server;
}

const peers: Server[] = []; // tls.Server extends net.Server
afterEach(async () => {
  await Promise.all(peers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function respond<K extends ApiKey>(frame: RequestFrame, apiKey: K, body: Partial<ResponseOf<K>>): Uint8Array {
  return encodeResponseFrame({
    apiKey,
    apiVersion: frame.header.apiVersion,
    correlationId: frame.header.correlationId,
    body: body as ResponseOf<K>,
  });
}

const ALL_KEYS = API_VERSIONS_TABLE.map((r) => ({
  apiKey: r.apiKey,
  minVersion: r.minVersion,
  maxVersion: r.maxVersion,
}));

/** A peer answering ApiVersions with `apiKeys` and everything else through `handler`. */
async function startPeer(
  handler: Handler,
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[] = ALL_KEYS,
): Promise<Peer> {
  const requests: RequestFrame[] = [];
  const server = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', async (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const frameBytes = buf.subarray(0, 4 + buf.readInt32BE(0));
        buf = buf.subarray(frameBytes.length);
        const frame = decodeRequestFrame(frameBytes);
        requests.push(frame);
        const answer =
          frame.apiKey === 18 ? respond(frame, 18, { errorCode: 0, apiKeys }) : await handler(frame, socket);
        if (answer === 'close') socket.destroy();
        else if (answer) socket.write(answer);
      }
    });
  });
  peers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, requests, server };
}

const metadataAnswer = (frame: RequestFrame, clusterId: string): Uint8Array =>
  respond(frame, 3, { brokers: [], clusterId, controllerId: 1, topics: [] });

describe('Connection', () => {
  it('falls back from ApiVersions v3 to the broker max on UNSUPPORTED_VERSION (v0 body)', async () => {
    const seen: number[] = [];
    const server = createServer((socket) => {
      socket.on('data', (chunk) => {
        const frame = decodeRequestFrame(chunk);
        seen.push(frame.header.apiVersion);
        const version = frame.header.apiVersion;
        // An old broker: ApiVersions up to v2. KIP-511: answer a newer request with a v0 body.
        const body =
          version > 2
            ? { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }] }
            : {
                errorCode: 0,
                apiKeys: [
                  { apiKey: 18, minVersion: 0, maxVersion: 2 },
                  { apiKey: 3, minVersion: 0, maxVersion: 5 },
                ],
              };
        socket.write(
          encodeResponseFrame({
            apiKey: 18,
            apiVersion: version > 2 ? 0 : version,
            correlationId: frame.header.correlationId,
            body: body as ResponseOf<18>,
          }),
        );
      });
    });
    peers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const conn = await Connection.connect({ host: '127.0.0.1', port });
    expect(seen).toEqual([3, 2]);
    expect(conn.versionFor(3)).toBe(5);
    await conn.close();
  });

  it('picks min(our max, broker max) and rejects an API without a common version', async () => {
    const peer = await startPeer(
      (f) => metadataAnswer(f, 'c1'),
      [
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
        { apiKey: 3, minVersion: 0, maxVersion: 7 },
        { apiKey: 44, minVersion: 5, maxVersion: 9 },
        { apiKey: 0, minVersion: 0, maxVersion: 13 },
      ],
    );
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port });
    expect(conn.versionFor(3)).toBe(7);
    // Produce v13 names topics by id only: capped at 12 unless asked for.
    expect(conn.versionFor(0)).toBe(12);
    await conn.send(3, { topics: [] });
    expect(peer.requests.at(-1)?.header.apiVersion).toBe(7);
    for (const apiKey of [44, 60] as const) {
      const err = await conn.send(apiKey, {}).catch((e) => e);
      expect(err).toBeInstanceOf(NoCommonVersionError);
      expect((err as KtError).code).toBe('KT_KAFKA');
      expect((err as KtError).kafkaCode).toBe(35);
    }
    await conn.close();
  });

  it('pipelines requests and delivers each response to its own request', async () => {
    const held: RequestFrame[] = [];
    let release: (() => void) | undefined;
    const peer = await startPeer(async (frame, socket) => {
      held.push(frame);
      if (held.length < 3) return null;
      // Answer all three at once, in order, in one write.
      socket.write(Buffer.concat(held.map((f) => metadataAnswer(f, `cluster-${f.header.correlationId}`))));
      release?.();
      return null;
    });
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port });
    const answers = await Promise.all([1, 2, 3].map(() => conn.send(3, { topics: [] })));
    expect(answers.map((a) => a.clusterId)).toEqual(held.map((f) => `cluster-${f.header.correlationId}`));
    expect(new Set(held.map((f) => f.header.correlationId)).size).toBe(3);
    await conn.close();
  });

  it('keeps at most inFlightRequestsMax requests on the wire', async () => {
    const waiting: RequestFrame[] = [];
    let socketRef: Socket | undefined;
    const peer = await startPeer((frame, socket) => {
      waiting.push(frame);
      socketRef = socket;
      return null;
    });
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port, inFlightRequestsMax: 2 });
    const all = Promise.all(Array.from({ length: 5 }, () => conn.send(3, { topics: [] })));
    await new Promise((r) => setTimeout(r, 100));
    expect(waiting.length).toBe(2);
    expect(conn.pendingRequests).toBe(5);
    // Answer one at a time; each answer lets one more request out.
    for (let answered = 0; answered < 5; answered++) {
      while (waiting.length === 0) await new Promise((r) => setTimeout(r, 5));
      socketRef!.write(metadataAnswer(waiting.shift()!, 'x'));
    }
    expect((await all).length).toBe(5);
    await conn.close();
  });

  it('breaks the connection on a response with an unexpected correlation id', async () => {
    const peer = await startPeer((frame) =>
      encodeResponseFrame({
        apiKey: 3,
        apiVersion: frame.header.apiVersion,
        correlationId: frame.header.correlationId + 100,
        body: { brokers: [], clusterId: null, controllerId: 1, topics: [] } as unknown as ResponseOf<3>,
      }),
    );
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port });
    const err = await conn.send(3, { topics: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect(String(err.message)).toMatch(/correlation id/);
    expect(conn.closed).toBe(true);
  });

  it('times a silent request out with KT_TIMEOUT and fails the others on the connection', async () => {
    const peer = await startPeer(() => null);
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port, requestTimeoutMs: 60_000 });
    const other = conn.send(3, { topics: [] }).catch((e) => e);
    const err = await conn.send(3, { topics: [] }, { timeoutMs: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaTimeoutError);
    expect((err as KtError).code).toBe('KT_TIMEOUT');
    expect(await other).toBeInstanceOf(KafkaConnectionError);
    expect(conn.closed).toBe(true);
  });

  it('times connect out when the peer never answers ApiVersions', async () => {
    // Reads (so it sees the client hang up) but never answers.
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
    });
    peers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const err = await Connection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaTimeoutError);
  });

  it('resolves acks=0 Produce with null and keeps serving', async () => {
    const peer = await startPeer((frame) => (frame.apiKey === 0 ? null : metadataAnswer(frame, 'after')));
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port });
    const none = await conn.send(0, { acks: 0, timeoutMs: 100, topicData: [] });
    expect(none).toBeNull();
    expect((await conn.send(3, { topics: [] })).clusterId).toBe('after');
    expect(peer.requests.some((r) => r.apiKey === 0)).toBe(true);
    await conn.close();
  });

  it('refuses a response frame above responseBytesMax', async () => {
    const peer = await startPeer((frame) => {
      const big = Buffer.alloc(8);
      big.writeInt32BE(64 * 1024 * 1024, 0);
      big.writeInt32BE(frame.header.correlationId, 4);
      return big;
    });
    const conn = await Connection.connect({
      host: '127.0.0.1',
      port: peer.port,
      responseBytesMax: 1024 * 1024,
    });
    const err = await conn.send(3, { topics: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect(String(err.message)).toMatch(/outside/);
  });

  it('reports a broker that closes the connection', async () => {
    const peer = await startPeer(() => 'close');
    const conn = await Connection.connect({ host: '127.0.0.1', port: peer.port });
    const err = await conn.send(3, { topics: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect((err as KtError).code).toBe('KT_CONNECTION');
    const after = await conn.send(3, { topics: [] }).catch((e) => e);
    expect(after).toBeInstanceOf(KafkaConnectionError);
  });
});

describe('Connection over TLS', () => {
  it('speaks Kafka over TLS with a CA it trusts and refuses an untrusted certificate', async () => {
    // A throwaway self-signed certificate for 127.0.0.1 (IP SAN), made with the openssl CLI.
    const dir = mkdtempSync(join(tmpdir(), 'kt-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=kt-test',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const key = readFileSync(join(dir, 'key.pem'), 'utf8');
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const server = createTlsServer({ key, cert }, (socket) => {
        socket.on('error', () => {});
        socket.on('data', (chunk: Buffer) => {
          const frame = decodeRequestFrame(chunk);
          socket.write(
            frame.apiKey === 18
              ? respond(frame, 18, { errorCode: 0, apiKeys: ALL_KEYS })
              : metadataAnswer(frame, 'over-tls'),
          );
        });
      });
      peers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const conn = await Connection.connect({ host: '127.0.0.1', port, tls: { ca: cert } });
      expect((await conn.send(3, { topics: [] })).clusterId).toBe('over-tls');
      await conn.close();
      const err = await Connection.connect({ host: '127.0.0.1', port, tls: true }).catch((e) => e);
      expect(err).toBeInstanceOf(KafkaConnectionError);
      expect(String(err.message)).toMatch(/self-signed|certificate/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SASL mechanisms', () => {
  const text = (step: SaslStep): string =>
    'send' in step ? Buffer.from(step.send).toString('utf8') : 'done';

  it('PLAIN sends \\0user\\0password once', () => {
    const m = createSaslMechanism({ mechanism: 'plain', username: 'alice', password: 's3cret' });
    expect(m.kafkaName).toBe('PLAIN');
    expect(text(m.next(new Uint8Array()))).toBe('\u0000alice\u0000s3cret');
    expect(text(m.next(new Uint8Array()))).toBe('done');
  });

  // RFC 7677 §3: SCRAM-SHA-256 exchange for user "user", password "pencil".
  const serverFirst =
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('SCRAM-SHA-256 reproduces the RFC 7677 exchange', () => {
    const m = createSaslMechanism(
      { mechanism: 'scram-sha-256', username: 'user', password: 'pencil' },
      'rOprNGfwEbeRWgbNEkqO',
    );
    expect(text(m.next(new Uint8Array()))).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(text(m.next(enc(serverFirst)))).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(text(m.next(enc('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')))).toBe('done');
  });

  it('SCRAM rejects a server signature that does not verify, a foreign nonce and absurd iterations', () => {
    const start = () => {
      const m = createSaslMechanism(
        { mechanism: 'scram-sha-256', username: 'user', password: 'pencil' },
        'rOprNGfwEbeRWgbNEkqO',
      );
      m.next(new Uint8Array());
      return m;
    };
    const forged = start();
    forged.next(enc(serverFirst));
    expect(() => forged.next(enc('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='))).toThrow(/signature/);
    expect(() => start().next(enc('r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'))).toThrow(/nonce/);
    expect(() =>
      start().next(enc('r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999')),
    ).toThrow(/iterations/);
    expect(() => start().next(enc('e=invalid-proof'))).toThrow(/invalid-proof/);
  });

  it('escapes , and = in SCRAM usernames', () => {
    expect(scramEscapeUsername('a,b=c')).toBe('a=2Cb=3Dc');
  });
});
