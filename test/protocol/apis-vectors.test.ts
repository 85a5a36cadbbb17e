/**
 * Hand-written frames, byte by byte from Kafka's protocol spec (not produced by our encoder), so the
 * codec is checked against the wire format and not only against itself. Real-peer captures live in
 * fixtures/protocol (another suite).
 */
import { describe, expect, it } from 'vitest';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  encodeResponseFrameChunks,
  UnsupportedVersionError,
} from '../../src/protocol/schema/headers.js';
import { decodeRequest, encodeRequest, encodeResponse } from '../../src/protocol/schema/registry.js';

const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+|#[^\n]*/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ApiVersions', () => {
  it('v0 request: header v1 and an empty body', () => {
    const frame = bytes(`
      0000000c          # size 12
      0012 0000         # api key 18, version 0
      00000001          # correlation id 1
      0002 6b74         # client id "kt" (int16 string)
    `);
    const decoded = decodeRequestFrame(frame);
    expect(decoded.header).toEqual({ apiKey: 18, apiVersion: 0, correlationId: 1, clientId: 'kt' });
    if (decoded.apiKey !== 18) throw new Error('expected ApiVersions');
    expect(hex(encodeRequestFrame({ ...decoded.header, body: decoded.body }))).toBe(hex(frame));
  });

  it('v3 request: header v2 (tagged fields after the classic client id) and compact strings', () => {
    const frame = bytes(`
      00000015          # size 21
      0012 0003 00000001
      0002 6b74         # client id stays an int16 string in header v2
      00                # header tagged fields
      03 6b74           # clientSoftwareName "kt" (compact: length+1)
      04 312e30         # clientSoftwareVersion "1.0"
      00                # body tagged fields
    `);
    const decoded = decodeRequestFrame(frame);
    expect(decoded.header.apiVersion).toBe(3);
    expect(decoded.body).toEqual({ clientSoftwareName: 'kt', clientSoftwareVersion: '1.0' });
    expect(
      hex(
        encodeRequestFrame({
          apiKey: 18,
          apiVersion: 3,
          correlationId: 1,
          clientId: 'kt',
          body: { clientSoftwareName: 'kt', clientSoftwareVersion: '1.0' },
        }),
      ),
    ).toBe(hex(frame));
  });

  const apiKeys = [{ apiKey: 18, minVersion: 0, maxVersion: 4 }];

  it('v0 response: header v0, int32 array', () => {
    const frame = bytes(`
      00000010 00000001 # size 16, correlation id 1
      0000              # error code 0
      00000001          # 1 api key
      0012 0000 0004    # ApiVersions 0-4
    `);
    const decoded = decodeResponseFrame(18, 0, frame);
    expect(decoded.header.correlationId).toBe(1);
    expect(decoded.body.errorCode).toBe(0);
    expect(decoded.body.apiKeys).toEqual(apiKeys);
    expect(decoded.body.throttleTimeMs).toBe(0); // v1+ field: default
    expect(
      hex(encodeResponseFrame({ apiKey: 18, apiVersion: 0, correlationId: 1, body: decoded.body })),
    ).toBe(hex(frame));
  });

  it('v3 response keeps header v0 (no header tagged fields) and writes non-default tagged fields', () => {
    const frame = bytes(`
      0000001d 00000001 # size 29, correlation id 1, NO tagged fields (KIP-511)
      0000              # error code
      02                # compact array of 1
      0012 0000 0004 00 # ApiVersions 0-4, element tagged fields
      00000000          # throttle time
      01                # 1 tagged field
      01 08 0000000000000005 # tag 1 (finalizedFeaturesEpoch), 8 bytes: 5
    `);
    const decoded = decodeResponseFrame(18, 3, frame);
    expect(decoded.body.apiKeys).toEqual(apiKeys);
    expect(decoded.body.finalizedFeaturesEpoch).toBe(5n);
    expect(decoded.body.supportedFeatures).toEqual([]);
    expect(decoded.body.zkMigrationReady).toBe(false);
    expect(
      hex(encodeResponseFrame({ apiKey: 18, apiVersion: 3, correlationId: 1, body: decoded.body })),
    ).toBe(hex(frame));
    // With the epoch at its default (-1) the tagged section is empty.
    const body = encodeResponse(18, 3, { ...decoded.body, finalizedFeaturesEpoch: -1n });
    expect(hex(body)).toBe('0000' + '02' + '001200000004' + '00' + '00000000' + '00');
  });

  it('an unknown ApiVersions version is reported with its header so the broker can answer v0', () => {
    const frame = bytes('0000000f 0012 0063 0000002a 0002 6b74 00 0000');
    try {
      decodeRequestFrame(frame);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnsupportedVersionError);
      expect((e as UnsupportedVersionError).header).toEqual({
        apiKey: 18,
        apiVersion: 99,
        correlationId: 42,
        clientId: 'kt',
      });
    }
  });
});

describe('Metadata v1 request', () => {
  it('encodes a topic list as an int32 array of int16 strings, and null (-1) for all topics', () => {
    const frame = bytes(`
      00000015 0003 0001 00000002 0002 6b74
      00000001 0003 666f6f  # topics: ["foo"]
    `);
    const decoded = decodeRequestFrame(frame);
    if (decoded.apiKey !== 3) throw new Error('expected Metadata');
    expect(decoded.body.topics).toEqual([{ name: 'foo', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }]);
    expect(decoded.body.allowAutoTopicCreation).toBe(true); // v4+ field, default true
    expect(hex(encodeRequestFrame({ ...decoded.header, body: decoded.body }))).toBe(hex(frame));

    const all = { topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false };
    const body = encodeRequest(3, 1, { ...all, includeTopicAuthorizedOperations: false });
    expect(hex(body)).toBe('ffffffff');
    expect(decodeRequest(3, 1, body).topics).toBeNull();
  });

  it('v0 cannot carry a null topic list', () => {
    expect(() =>
      encodeRequest(3, 0, {
        topics: null,
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      }),
    ).toThrow(TypeError);
  });
});

describe('Heartbeat v4 (flexible)', () => {
  it('request: header v2, compact strings, null group instance id, tagged fields', () => {
    const frame = bytes(`
      00000018 000c 0004 00000003 0002 6b74 00
      03 6731       # groupId "g1"
      00000005      # generationId 5
      02 6d         # memberId "m"
      00            # groupInstanceId null
      00            # tagged fields
    `);
    const decoded = decodeRequestFrame(frame);
    expect(decoded.body).toEqual({ groupId: 'g1', generationId: 5, memberId: 'm', groupInstanceId: null });
    if (decoded.apiKey !== 12) throw new Error('expected Heartbeat');
    expect(hex(encodeRequestFrame({ ...decoded.header, body: decoded.body }))).toBe(hex(frame));
  });

  it('response: header v1 (tagged fields after the correlation id)', () => {
    const frame = bytes(`
      0000000c 00000003 00  # size 12, correlation id 3, header tagged fields
      00000000              # throttle time
      001b                  # REBALANCE_IN_PROGRESS (27)
      00
    `);
    const decoded = decodeResponseFrame(12, 4, frame);
    expect(decoded).toEqual({ header: { correlationId: 3 }, body: { throttleTimeMs: 0, errorCode: 27 } });
    expect(
      hex(encodeResponseFrame({ apiKey: 12, apiVersion: 4, correlationId: 3, body: decoded.body })),
    ).toBe(hex(frame));
  });

  it('encodeResponseFrameChunks() produces the same bytes as encodeResponseFrame()', () => {
    const input = {
      apiKey: 12 as const,
      apiVersion: 4,
      correlationId: 3,
      body: { throttleTimeMs: 0, errorCode: 27 },
    };
    expect(hex(Buffer.concat(encodeResponseFrameChunks(input)))).toBe(hex(encodeResponseFrame(input)));
  });

  it('v0 response is just the error code, without throttle time', () => {
    expect(hex(encodeResponse(12, 0, { throttleTimeMs: 100, errorCode: 27 }))).toBe('001b');
  });
});

describe('Produce v3 request', () => {
  it('carries records as int32-length bytes and returns them as a view of the frame', () => {
    const frame = bytes(`
      00000029 0000 0003 00000009 ffff   # null client id
      ffff                 # transactionalId null
      ffff                 # acks -1
      00007530             # timeout 30000
      00000001 0001 74     # 1 topic "t"
      00000001 00000000    # 1 partition, index 0
      00000004 deadbeef    # records (4 bytes)
    `);
    const decoded = decodeRequestFrame(frame);
    if (decoded.apiKey !== 0) throw new Error('expected Produce');
    expect(decoded.header.clientId).toBeNull();
    const records = decoded.body.topicData[0]!.partitionData[0]!.records!;
    expect(hex(records)).toBe('deadbeef');
    expect(records.buffer).toBe(frame.buffer);
    expect(decoded.body.acks).toBe(-1);
    expect(decoded.body.timeoutMs).toBe(30000);
    expect(hex(encodeRequestFrame({ ...decoded.header, body: decoded.body }))).toBe(hex(frame));
  });
});
