import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_APIS } from '../../src/protocol/apis/index.js';
import { ApiKeys } from '../../src/protocol/apis/types.generated.js';
import { DecodeError } from '../../src/protocol/decode-error.js';
import { GENERATED_TYPES_PATH, renderTypes } from '../../src/protocol/schema/generate-types.js';
import {
  decodeRequestFrame,
  requestHeaderVersion,
  responseHeaderVersion,
  UnsupportedVersionError,
} from '../../src/protocol/schema/headers.js';
import {
  API_VERSIONS_TABLE,
  CODEC_VERSIONS_TABLE,
  createRequest,
  createResponse,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  isFlexibleVersion,
  messageCodec,
} from '../../src/protocol/schema/registry.js';
import {
  type FieldSpec,
  inVersionRange,
  PRIMITIVE_TYPES,
  parseVersionRange,
  structName,
} from '../../src/protocol/schema/spec.js';

describe('version ranges', () => {
  it('parseVersionRange() reads N+, N-M, N and none', () => {
    expect(parseVersionRange('3+')).toEqual([3, Number.POSITIVE_INFINITY]);
    expect(parseVersionRange('0-4')).toEqual([0, 4]);
    expect(parseVersionRange('5')).toEqual([5, 5]);
    expect(parseVersionRange('none')).toBeNull();
    expect(() => parseVersionRange('3-')).toThrow(TypeError);
    expect(inVersionRange(2, '3+')).toBe(false);
    expect(inVersionRange(4, '0-4')).toBe(true);
    expect(inVersionRange(4, undefined)).toBe(false);
  });
});

describe('generated types', () => {
  it('types.generated.ts is what the generator produces from the current schemas', () => {
    // Fails when a schema changed without `npx tsx src/protocol/schema/generate-types.ts`.
    expect(readFileSync(GENERATED_TYPES_PATH, 'utf8')).toBe(renderTypes());
  });

  it('ApiKeys names every schema by its key', () => {
    expect(Object.keys(ApiKeys)).toHaveLength(ALL_APIS.length);
    for (const api of ALL_APIS) expect(ApiKeys[api.name as keyof typeof ApiKeys]).toBe(api.apiKey);
  });
});

// protocol.md §3, "kt broker (phase 1)" column; SASL listed for SASL listeners; DescribeLogDirs "later".
const BROKER_PHASE_1: [number, number, number][] = [
  [0, 0, 9],
  [1, 4, 12],
  [2, 1, 7],
  [3, 0, 12],
  [8, 2, 8],
  [9, 1, 8],
  [10, 0, 4],
  [11, 0, 7],
  [12, 0, 4],
  [13, 0, 4],
  [14, 0, 5],
  [15, 0, 5],
  [16, 0, 4],
  [17, 0, 1],
  [18, 0, 4],
  [19, 2, 7],
  [20, 1, 6],
  [21, 0, 2],
  [22, 0, 4],
  [24, 0, 3],
  [25, 0, 3],
  [26, 0, 3],
  [28, 0, 3],
  [32, 1, 4],
  [33, 0, 2],
  [36, 0, 2],
  [37, 0, 3],
  [42, 0, 2],
  [43, 0, 2],
  [44, 0, 1],
  [47, 0, 0],
  [60, 0, 1],
];

// Ranges real clients send (Kafka 4.0/4.1 JSON, protocol.md §3) that the codec must at least cover.
const CODEC_AT_LEAST: Record<number, [number, number]> = {
  0: [0, 12],
  1: [4, 17],
  2: [1, 10],
  3: [0, 13],
  8: [2, 9],
  9: [1, 9],
  11: [0, 9],
  15: [0, 6],
  17: [0, 1],
  35: [1, 4],
  36: [0, 2],
  60: [0, 2],
};

describe('API registry', () => {
  it('API_VERSIONS_TABLE is the phase-1 broker table of protocol.md §3 (plus "later" APIs once served)', () => {
    const table = API_VERSIONS_TABLE.map((r) => [r.apiKey, r.minVersion, r.maxVersion]);
    // "Later" rows of §3 that the broker may start advertising, with their ranges.
    const later = [[35, 1, 4]];
    expect(table.filter(([key]) => !later.some(([k]) => k === key))).toEqual(BROKER_PHASE_1);
    for (const row of table.filter(([key]) => later.some(([k]) => k === key)))
      expect(later).toContainEqual(row);
    expect(table.map(([key]) => key)).toEqual([...table.map(([key]) => key)].sort((a, b) => a! - b!));
  });

  it('the codec covers every advertised range and what Kafka 4.x clients send', () => {
    const codec = new Map(CODEC_VERSIONS_TABLE.map((r) => [r.apiKey, r]));
    for (const [key, min, max] of BROKER_PHASE_1) {
      expect(codec.get(key)!.minVersion).toBeLessThanOrEqual(min);
      expect(codec.get(key)!.maxVersion).toBeGreaterThanOrEqual(max);
    }
    for (const [key, [min, max]] of Object.entries(CODEC_AT_LEAST)) {
      expect(codec.get(Number(key))!.minVersion, `key ${key}`).toBeLessThanOrEqual(min);
      expect(codec.get(Number(key))!.maxVersion, `key ${key}`).toBeGreaterThanOrEqual(max);
    }
    expect(CODEC_VERSIONS_TABLE).toHaveLength(33);
  });

  it('headers: request v2 / response v1 exactly in flexible versions, ApiVersions response always v0', () => {
    expect([requestHeaderVersion(3, 8), responseHeaderVersion(3, 8)]).toEqual([1, 0]);
    expect([requestHeaderVersion(3, 9), responseHeaderVersion(3, 9)]).toEqual([2, 1]);
    expect([requestHeaderVersion(18, 2), responseHeaderVersion(18, 2)]).toEqual([1, 0]);
    expect([requestHeaderVersion(18, 3), responseHeaderVersion(18, 3)]).toEqual([2, 0]);
    expect([requestHeaderVersion(18, 9), responseHeaderVersion(18, 9)]).toEqual([2, 0]);
    expect(isFlexibleVersion(47, 0)).toBe(false);
    expect(isFlexibleVersion(60, 0)).toBe(true);
  });

  it('encoding an unknown version is a RangeError; decoding one is a DecodeError', () => {
    expect(() =>
      encodeRequest(12, 5, { groupId: 'g', generationId: 0, memberId: '', groupInstanceId: null }),
    ).toThrow(RangeError);
    expect(() => decodeRequest(12, 5, new Uint8Array(8))).toThrow(DecodeError);
  });

  it('decodeRequestFrame() reports unknown API keys with their header, and bad frame sizes', () => {
    const unknownKey = new Uint8Array(
      Buffer.from('0000000a 0063 0000 00000007 ffff'.replace(/ /g, ''), 'hex'),
    );
    expect(() => decodeRequestFrame(unknownKey)).toThrow(UnsupportedVersionError);
    const badSize = new Uint8Array(Buffer.from('000000ff 0012 0000 00000007 ffff'.replace(/ /g, ''), 'hex'));
    expect(() => decodeRequestFrame(badSize)).toThrow(DecodeError);
    const unframed = new Uint8Array(Buffer.from('0012 0000 00000007 ffff'.replace(/ /g, ''), 'hex'));
    expect(decodeRequestFrame(unframed, { sizePrefixed: false }).header.correlationId).toBe(7);
  });
});

function checkFields(fields: readonly FieldSpec[], where: string, flexibleFrom: number | null): void {
  const names = new Set<string>();
  const tags = new Set<number>();
  for (const f of fields) {
    const at = `${where}.${f.name}`;
    expect(names.has(f.name), `${at} duplicated`).toBe(false);
    names.add(f.name);
    expect(f.doc.length, `${at} has no doc`).toBeGreaterThan(3);
    expect(parseVersionRange(f.versions), `${at} versions`).not.toBeNull();
    const base = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
    const struct = structName(f.type);
    if (struct === undefined) {
      expect(PRIMITIVE_TYPES, at).toContain(base);
      expect(f.fields, `${at} primitive with fields`).toBeUndefined();
    } else {
      expect(f.fields, `${at} struct without fields`).toBeDefined();
      checkFields(f.fields!, at, flexibleFrom);
    }
    if (f.nullableVersions !== undefined && !f.type.startsWith('[]') && struct === undefined) {
      expect(['string', 'bytes', 'records'], `${at} nullable`).toContain(base);
    }
    if (f.default !== undefined && f.default !== null && base === 'int64') {
      expect(typeof f.default, `${at} int64 default`).toBe('bigint');
    }
    if (f.tag !== undefined) {
      expect(tags.has(f.tag), `${at} tag reused`).toBe(false);
      tags.add(f.tag);
      const tagged = parseVersionRange(f.taggedVersions ?? 'none');
      expect(tagged, `${at} tag without taggedVersions`).not.toBeNull();
      expect(flexibleFrom !== null && tagged![0] >= flexibleFrom, `${at} tagged before flexible`).toBe(true);
    }
  }
}

describe('schemas', () => {
  it('the 33 APIs of issue 3 are present, each once', () => {
    const names = ALL_APIS.map((a) => a.name).sort();
    expect(new Set(ALL_APIS.map((a) => a.apiKey)).size).toBe(ALL_APIS.length);
    expect(names).toEqual(
      [
        'AddOffsetsToTxn',
        'AddPartitionsToTxn',
        'AlterConfigs',
        'ApiVersions',
        'CreatePartitions',
        'CreateTopics',
        'DeleteGroups',
        'DeleteRecords',
        'DeleteTopics',
        'DescribeCluster',
        'DescribeConfigs',
        'DescribeGroups',
        'DescribeLogDirs',
        'ElectLeaders',
        'EndTxn',
        'Fetch',
        'FindCoordinator',
        'Heartbeat',
        'IncrementalAlterConfigs',
        'InitProducerId',
        'JoinGroup',
        'LeaveGroup',
        'ListGroups',
        'ListOffsets',
        'Metadata',
        'OffsetCommit',
        'OffsetDelete',
        'OffsetFetch',
        'Produce',
        'SaslAuthenticate',
        'SaslHandshake',
        'SyncGroup',
        'TxnOffsetCommit',
      ].sort(),
    );
  });

  for (const api of ALL_APIS) {
    it(`${api.name} is well formed, documents its errors and compiles for every version`, () => {
      checkFields(api.request.fields, `${api.name}Request`, api.flexibleVersions);
      checkFields(api.response.fields, `${api.name}Response`, api.flexibleVersions);
      expect(api.request.doc.length).toBeGreaterThan(10);
      expect(Object.keys(api.response.errors ?? {}).length).toBeGreaterThan(0);
      if (api.broker !== null) {
        expect(api.broker[0]).toBeGreaterThanOrEqual(api.validVersions[0]);
        expect(api.broker[1]).toBeLessThanOrEqual(api.validVersions[1]);
      }
      for (let v = api.validVersions[0]; v <= api.validVersions[1]; v++) {
        expect(messageCodec(api.apiKey, v, 'request')).toBeDefined();
        expect(messageCodec(api.apiKey, v, 'response')).toBeDefined();
      }
    });
  }
});

describe('createRequest() and createResponse()', () => {
  it('fill every missing field with its default, inside arrays and structs too', () => {
    const req = createRequest(3, { topics: [{ name: 'orders' }] });
    expect(req).toEqual({
      topics: [{ name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(createRequest(3, { topics: null }).topics).toBeNull();
    const res = createResponse(1, { responses: [{ topic: 't', partitions: [{ partitionIndex: 2 }] }] });
    const partition = res.responses[0]!.partitions[0]!;
    expect(partition.partitionIndex).toBe(2);
    expect(partition.lastStableOffset).toBe(-1n);
    expect(partition.currentLeader).toEqual({ leaderId: -1, leaderEpoch: -1 });
    expect(partition.records).toBeNull();
    // What they build encodes and decodes back unchanged.
    expect(decodeRequest(3, 1, encodeRequest(3, 1, req))).toEqual(req);
    expect(decodeResponse(1, 12, encodeResponse(1, 12, res))).toEqual(res);
  });

  it('encoders write undefined fields as their defaults, like createRequest()', () => {
    const partial = { topics: [{ name: 'orders' }] } as unknown as Parameters<typeof encodeRequest<3>>[2];
    expect(encodeRequest(3, 12, partial)).toEqual(
      encodeRequest(3, 12, createRequest(3, { topics: [{ name: 'orders' }] })),
    );
  });
});
