// Readiness probe: one hand-built ApiVersions v0 request over a plain socket.
//
// An open port is not enough: Kafka binds its listener before it can serve requests. A broker that answers
// ApiVersions with error code 0 is ready for clients. The frame is built here (rather than with src/protocol)
// so the harness that validates our codec does not depend on it.
//
// Request:  int32 size | int16 api_key=18 | int16 api_version=0 | int32 correlation_id | string client_id
// Response: int32 size | int32 correlation_id | int16 error_code | ...(api keys, ignored)

import { connect } from 'node:net';

const API_VERSIONS_KEY = 18;
const CLIENT_ID = 'kt-harness';
/** The v0 response lists ~90 api keys at 6 bytes each; anything far larger is not Kafka. */
const RESPONSE_BYTES_MAX = 64 * 1024;

export function buildApiVersionsV0Request(correlationId: number): Buffer {
  const clientId = Buffer.from(CLIENT_ID, 'utf8');
  const body = 2 + 2 + 4 + 2 + clientId.length;
  const frame = Buffer.alloc(4 + body);
  let at = frame.writeInt32BE(body, 0);
  at = frame.writeInt16BE(API_VERSIONS_KEY, at);
  at = frame.writeInt16BE(0, at);
  at = frame.writeInt32BE(correlationId, at);
  at = frame.writeInt16BE(clientId.length, at);
  clientId.copy(frame, at);
  return frame;
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** Parse a complete response frame (size prefix included). */
export function checkApiVersionsResponse(frame: Buffer, correlationId: number): ProbeResult {
  if (frame.length < 10) return { ok: false, reason: `response too short (${frame.length} bytes)` };
  const gotCorrelation = frame.readInt32BE(4);
  if (gotCorrelation !== correlationId) {
    return { ok: false, reason: `correlation id ${gotCorrelation}, expected ${correlationId}` };
  }
  const errorCode = frame.readInt16BE(8);
  return errorCode === 0 ? { ok: true } : { ok: false, reason: `ApiVersions error code ${errorCode}` };
}

/** Send one ApiVersions v0 request to host:port; resolves (never rejects) within about `timeoutMs`. */
export function probeApiVersions(host: string, port: number, timeoutMs = 1_000): Promise<ProbeResult> {
  const correlationId = 1 + Math.floor(Math.random() * 0x7ffffffe);
  return new Promise((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const socket = connect({ host, port });
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(buildApiVersionsV0Request(correlationId)));
    socket.on('error', (err) => finish({ ok: false, reason: err.message }));
    socket.on('close', () => finish({ ok: false, reason: 'connection closed before a full response' }));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (size < 6 || size > RESPONSE_BYTES_MAX) {
        finish({ ok: false, reason: `implausible response size ${size}` });
        return;
      }
      if (received.length >= 4 + size)
        finish(checkApiVersionsResponse(received.subarray(0, 4 + size), correlationId));
    });
  });
}

/** Probe a `host:port` bootstrap string. */
export function probeBootstrap(bootstrap: string, timeoutMs = 1_000): Promise<ProbeResult> {
  const colon = bootstrap.lastIndexOf(':');
  const port = Number(bootstrap.slice(colon + 1));
  if (colon < 1 || !Number.isInteger(port) || port < 1 || port > 65_535) {
    return Promise.resolve({ ok: false, reason: `bad bootstrap ${JSON.stringify(bootstrap)}` });
  }
  return probeApiVersions(bootstrap.slice(0, colon), port, timeoutMs);
}
