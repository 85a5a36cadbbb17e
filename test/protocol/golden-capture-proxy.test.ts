// The capture proxy behind fixtures/protocol: forwards bytes unchanged both ways and pairs each request
// frame with its response by correlation id, also when frames arrive split or coalesced, and records a
// request with no answer (acks=0) with response null.

import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureProxy } from '../tools/capture-proxy.js';

const servers: Server[] = [];
const proxies: CaptureProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A request frame: size, api key, version, correlation id, client id, then `extra` body bytes. */
function request(apiKey: number, version: number, correlationId: number, extra = 0): Buffer {
  const clientId = Buffer.from('cap-test');
  const body = Buffer.alloc(8 + 2 + clientId.length + extra, 7);
  body.writeInt16BE(apiKey, 0);
  body.writeInt16BE(version, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function response(correlationId: number, extra: number): Buffer {
  const frame = Buffer.alloc(8 + extra, 9);
  frame.writeInt32BE(4 + extra, 0);
  frame.writeInt32BE(correlationId, 4);
  return frame;
}

describe('CaptureProxy', () => {
  it('forwards bytes unchanged and pairs split and coalesced frames by correlation id', async () => {
    const upstreamGot: Buffer[] = [];
    // Upstream: once it has both requests, answers the second one first (pairing must not assume order),
    // coalesced into one write; correlation id 3 (acks=0 style) is never answered.
    const upstream = createServer((socket: Socket) => {
      socket.on('data', (chunk: Buffer) => {
        upstreamGot.push(chunk);
        const all = Buffer.concat(upstreamGot);
        if (
          all.length ===
          request(0, 7, 1, 300).length + request(3, 12, 2).length + request(0, 7, 3, 5).length
        ) {
          socket.write(Buffer.concat([response(2, 40), response(1, 10)]));
        }
      });
    });
    servers.push(upstream);
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const proxy = new CaptureProxy({
      upstreamHost: '127.0.0.1',
      upstreamPort: (upstream.address() as { port: number }).port,
    });
    proxies.push(proxy);
    proxy.setLabel('step-a');
    const port = await proxy.start();

    const frames = [request(0, 7, 1, 300), request(3, 12, 2), request(0, 7, 3, 5)];
    const sent = Buffer.concat(frames);
    const client = netConnect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    client.on('data', (c: Buffer) => received.push(c));
    await new Promise<void>((r) => client.once('connect', () => r()));
    // Split mid-header and mid-body, across writes.
    for (const [from, to] of [
      [0, 3],
      [3, 200],
      [200, sent.length],
    ] as const) {
      client.write(sent.subarray(from, to));
      await new Promise((r) => setTimeout(r, 20));
    }
    const expectedBack = Buffer.concat([response(2, 40), response(1, 10)]);
    for (let i = 0; i < 100 && Buffer.concat(received).length < expectedBack.length; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    client.destroy();

    expect(Buffer.concat(upstreamGot).equals(sent)).toBe(true);
    expect(Buffer.concat(received).equals(expectedBack)).toBe(true);
    const byId = new Map(proxy.byLabel('step-a').map((e) => [e.correlationId, e]));
    expect([...byId.keys()].sort()).toEqual([1, 2, 3]);
    expect(byId.get(1)).toMatchObject({ apiKey: 0, apiVersion: 7, clientId: 'cap-test' });
    expect(byId.get(1)?.request.equals(frames[0]!)).toBe(true);
    expect(byId.get(1)?.response?.equals(response(1, 10))).toBe(true);
    expect(byId.get(2)?.response?.equals(response(2, 40))).toBe(true);
    expect(byId.get(3)?.response).toBeNull();
  });
});
