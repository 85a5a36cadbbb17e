import { describe, expect, it } from 'vitest';
import { subscribedTopics } from '../../../src/broker/groups/consumer-protocol.js';
import {
  decodeGroupMetadataValue,
  decodeGroupRecord,
  decodeOffsetCommitValue,
  encodeGroupMetadataValue,
  encodeGroupRecord,
  encodeOffsetCommitValue,
  type GroupMetadataRecord,
  type GroupRecord,
} from '../../../src/broker/groups/records.js';
import { DecodeError } from '../../../src/protocol/decode-error.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

/**
 * Vectors printed by Apache Kafka 4.1.1's own serializer (GroupCoordinatorRecordHelpers +
 * GroupCoordinatorRecordSerde, and MessageUtil.toVersionPrefixedBytes for the explicit versions), run
 * from the jars in test/real-kafka/lib by a throw-away Java program.
 */
const KAFKA = {
  // newOffsetCommitRecord("my-group", "orders", 3, offset 42, epoch 5, "meta", ts 1700000000000)
  offsetKey: '000100086d792d67726f757000066f726465727300000003',
  offsetValue: '0004000000000000002a00000005056d6574610000018bcfe5680000',
  // offset 7, no epoch, "", ts 1700000000001, expire 1700000600001 → v1
  offsetValueExpire: '0001000000000000000700000000018bcfe568010000018bcfee8fc1',
  offsetValueV0: '0000000000000000002a00046d6574610000018bcfe56800',
  groupKey: '000200086d792d67726f7570',
  groupValueV3:
    '00030008636f6e73756d657200000003000572616e676500036d2d310000018bcfe568000000000100036d2d310003692d3100016300' +
    '0a2f3132372e302e302e310000ea6000002710000000030102030000000109',
  groupValueV4:
    '000409636f6e73756d6572000000030672616e6765046d2d310000018bcfe5680002046d2d3104692d3102630b2f3132372e302e30' +
    '2e310000ea60000027100401020302090000',
};

const GROUP_VALUE: GroupMetadataRecord = {
  protocolType: 'consumer',
  generation: 3,
  protocol: 'range',
  leader: 'm-1',
  currentStateTimestampMs: 1_700_000_000_000,
  members: [
    {
      memberId: 'm-1',
      groupInstanceId: 'i-1',
      clientId: 'c',
      clientHost: '/127.0.0.1',
      rebalanceTimeoutMs: 60_000,
      sessionTimeoutMs: 10_000,
      subscription: Uint8Array.of(1, 2, 3),
      assignment: Uint8Array.of(9),
    },
  ],
};

describe('__consumer_offsets records', () => {
  it('encodeOffsetCommitValue() matches a hand-written OffsetCommitValue v4 byte vector', () => {
    const bytes = encodeOffsetCommitValue({
      committedOffset: 42n,
      leaderEpoch: 5,
      metadata: 'meta',
      commitTimestampMs: 1_700_000_000_000,
      expireTimestampMs: null,
    });
    const expected = hex(
      [
        '0004', // value version 4 (flexible)
        '000000000000002a', // offset 42
        '00000005', // leaderEpoch 5
        '05', // metadata: compact string length, uvarint length+1
        '6d657461', // "meta"
        '0000018bcfe56800', // commitTimestamp 1700000000000
        '00', // no tagged fields
      ].join(''),
    );
    expect(toHex(bytes)).toBe(toHex(expected));
    expect(toHex(bytes)).toBe(KAFKA.offsetValue);
  });

  it('encodeGroupRecord() writes offset and group records byte for byte as Kafka 4.1 does', () => {
    const offset = encodeGroupRecord({
      type: 'offset',
      groupId: 'my-group',
      topic: 'orders',
      partition: 3,
      value: {
        committedOffset: 42n,
        leaderEpoch: 5,
        metadata: 'meta',
        commitTimestampMs: 1_700_000_000_000,
        expireTimestampMs: null,
      },
    });
    expect(toHex(offset.key)).toBe(KAFKA.offsetKey);
    expect(toHex(offset.value)).toBe(KAFKA.offsetValue);
    const expiring = encodeOffsetCommitValue({
      committedOffset: 7n,
      leaderEpoch: -1,
      metadata: '',
      commitTimestampMs: 1_700_000_000_001,
      expireTimestampMs: 1_700_000_600_001,
    });
    expect(toHex(expiring)).toBe(KAFKA.offsetValueExpire);
    const group = encodeGroupRecord({ type: 'group', groupId: 'my-group', value: GROUP_VALUE });
    expect(toHex(group.key)).toBe(KAFKA.groupKey);
    expect(toHex(group.value)).toBe(KAFKA.groupValueV3);
    expect(toHex(encodeGroupMetadataValue(GROUP_VALUE))).toBe(KAFKA.groupValueV3);
    expect(encodeGroupRecord({ type: 'group', groupId: 'my-group', value: null }).value).toBeNull();
  });

  it('decode reads every value version Kafka writes, including the flexible v4 group value', () => {
    expect(decodeOffsetCommitValue(hex(KAFKA.offsetValueV0))).toEqual({
      committedOffset: 42n,
      leaderEpoch: -1,
      metadata: 'meta',
      commitTimestampMs: 1_700_000_000_000,
      expireTimestampMs: null,
    });
    expect(decodeOffsetCommitValue(hex(KAFKA.offsetValueExpire)).expireTimestampMs).toBe(1_700_000_600_001);
    expect(decodeGroupMetadataValue(hex(KAFKA.groupValueV3))).toEqual(GROUP_VALUE);
    expect(decodeGroupMetadataValue(hex(KAFKA.groupValueV4))).toEqual(GROUP_VALUE);
  });

  it('decodeGroupRecord() round-trips offsets, groups and tombstones', () => {
    const records: GroupRecord[] = [
      {
        type: 'offset',
        groupId: 'g-ü',
        topic: 't',
        partition: 2_000_000,
        value: {
          committedOffset: 2n ** 62n,
          leaderEpoch: 9,
          metadata: 'x'.repeat(300),
          commitTimestampMs: 5,
          expireTimestampMs: null,
        },
      },
      { type: 'offset', groupId: 'g', topic: 't', partition: 0, value: null },
      { type: 'group', groupId: 'g', value: GROUP_VALUE },
      { type: 'group', groupId: 'g', value: { ...GROUP_VALUE, protocol: null, leader: null, members: [] } },
      { type: 'group', groupId: 'g', value: null },
    ];
    for (const record of records) {
      const { key, value } = encodeGroupRecord(record);
      expect(decodeGroupRecord(key, value)).toEqual(record);
    }
  });

  it('decodeGroupRecord() skips KIP-848 record types and rejects malformed bytes with DecodeError', () => {
    // Key version 3 = ConsumerGroupMetadataKey: not a classic-group record.
    expect(decodeGroupRecord(hex('0003 0001 67'), hex('00'))).toBeNull();
    const bad = [
      () => decodeGroupRecord(hex('00'), null),
      () => decodeGroupRecord(hex('0001 7fff 61'), null), // string longer than the key
      () => decodeGroupRecord(hex(`${KAFKA.offsetKey}00`), null), // trailing byte
      () => decodeOffsetCommitValue(hex('0009 0000000000000000')), // unknown version
      () => decodeOffsetCommitValue(hex(KAFKA.offsetValue).subarray(0, 12)),
      () => decodeGroupMetadataValue(hex('0003 0000 00000001 ffff ffff 0000000000000000 7fffffff')), // hostile count
    ];
    for (const decode of bad) expect(decode).toThrow(DecodeError);
  });

  it('subscribedTopics() reads the topics of any ConsumerProtocolSubscription version, null when malformed', () => {
    // v3 subscription: version, topics ["a","bc"], then user data etc. that must be ignored.
    const v3 = hex('0003 00000002 000161 00026263 ffffffff 00000000 ffffffff ffff');
    expect(subscribedTopics(v3)).toEqual(['a', 'bc']);
    expect(subscribedTopics(hex('0000 00000001 0003'))).toBeNull();
    expect(subscribedTopics(hex('0000 7fffffff'))).toBeNull();
  });
});

describe('ErrorCode', () => {
  it('names map to Kafka’s numbers', async () => {
    const { ErrorCode } = await import('../../../src/errors/codes.generated.js');
    expect(ErrorCode).toMatchObject({
      NONE: 0,
      ILLEGAL_GENERATION: 22,
      UNKNOWN_MEMBER_ID: 25,
      REBALANCE_IN_PROGRESS: 27,
      NON_EMPTY_GROUP: 68,
      GROUP_ID_NOT_FOUND: 69,
      MEMBER_ID_REQUIRED: 79,
      FENCED_INSTANCE_ID: 82,
      GROUP_SUBSCRIBED_TO_TOPIC: 86,
    });
  });
});

describe('__consumer_offsets decoders on hostile bytes', () => {
  it('only ever return a record/null or throw DecodeError (random and mutated inputs)', async () => {
    const fc = (await import('fast-check')).default;
    const valid = [
      hex(KAFKA.offsetKey),
      hex(KAFKA.offsetValue),
      hex(KAFKA.groupKey),
      hex(KAFKA.groupValueV3),
      hex(KAFKA.groupValueV4),
    ];
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.nat(200), fc.nat(255), fc.nat(200))
      .map(([bytes, at, value, cut]) => {
        const copy = Uint8Array.from(bytes);
        if (copy.length > 0) copy[at % copy.length] = value;
        return copy.subarray(0, Math.max(0, copy.length - (cut % 4)));
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated);
    const safely = (decode: () => unknown) => {
      try {
        decode();
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
    };
    fc.assert(
      fc.property(input, input, (key, value) => {
        safely(() => decodeGroupRecord(key, value));
        safely(() => decodeOffsetCommitValue(value));
        safely(() => decodeGroupMetadataValue(value));
        expect(subscribedTopics(value) === null || Array.isArray(subscribedTopics(value))).toBe(true);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});
