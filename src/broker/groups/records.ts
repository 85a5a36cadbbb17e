/**
 * Kafka's __consumer_offsets record formats for classic groups: OffsetCommitKey/Value and
 * GroupMetadataKey/Value (group-coordinator/src/main/resources/common/message/*.json in Apache Kafka).
 *
 * Behavior:
 * * A record is a key and a value, each starting with an int16 version. Key version 0 or 1 is an
 *   OffsetCommitKey (group, topic, partition); key version 2 is a GroupMetadataKey (group). Key versions
 *   3+ are KIP-848 consumer/share group records: `decodeGroupRecord` returns null for them, so a log
 *   written by a newer Kafka can be replayed past them.
 * * A null value is a tombstone (the offset, or the whole group, is deleted).
 * * Encoding writes what Apache Kafka 4.1 writes (checked byte for byte against its serializer in the
 *   tests): OffsetCommitKey v1 with OffsetCommitValue v4 (v1 when an expire timestamp is set, the only
 *   version with that field), GroupMetadataKey v2 with GroupMetadataValue v3. kafka-dump-log
 *   --offsets-decoder reads these.
 * * Decoding reads every value version, 0-4 (v4 is the flexible form: compact strings, tagged fields).
 *   Malformed input throws DecodeError; a record never allocates more than the bytes it holds.
 */
import { DecodeError } from '../../protocol/decode-error.js';
import { Reader } from '../../protocol/reader.js';
import { Writer } from '../../protocol/writer.js';
import type { CommittedOffset } from './types.js';

export interface GroupMetadataMemberRecord {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** -1 in records older than v1: use the session timeout. */
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the group's chosen protocol. */
  subscription: Uint8Array;
  assignment: Uint8Array;
}

export interface GroupMetadataRecord {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** -1 when unknown (records older than v2). */
  currentStateTimestampMs: number;
  members: GroupMetadataMemberRecord[];
}

export type GroupRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'group'; groupId: string; value: GroupMetadataRecord | null };

export interface EncodedRecord {
  key: Uint8Array;
  /** null for a tombstone. */
  value: Uint8Array | null;
}

const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
const OFFSET_VALUE_VERSION = 4;
const OFFSET_VALUE_VERSION_WITH_EXPIRE = 1;
const GROUP_VALUE_VERSION = 3;
/** Values above this are from a Kafka we do not know. */
const VALUE_VERSION_MAX = 4;

export function encodeGroupRecord(record: GroupRecord): EncodedRecord {
  if (record.type === 'offset') {
    const key = new Writer(64)
      .int16(OFFSET_KEY_VERSION)
      .string(record.groupId)
      .string(record.topic)
      .int32(record.partition)
      .finish();
    return { key, value: record.value === null ? null : encodeOffsetCommitValue(record.value) };
  }
  const key = new Writer(64).int16(GROUP_KEY_VERSION).string(record.groupId).finish();
  return { key, value: record.value === null ? null : encodeGroupMetadataValue(record.value) };
}

export function encodeOffsetCommitValue(v: CommittedOffset): Uint8Array {
  const w = new Writer(64);
  if (v.expireTimestampMs !== null) {
    return w
      .int16(OFFSET_VALUE_VERSION_WITH_EXPIRE)
      .int64(v.committedOffset)
      .string(v.metadata)
      .int64(BigInt(v.commitTimestampMs))
      .int64(BigInt(v.expireTimestampMs))
      .finish();
  }
  return w
    .int16(OFFSET_VALUE_VERSION)
    .int64(v.committedOffset)
    .int32(v.leaderEpoch)
    .compactString(v.metadata)
    .int64(BigInt(v.commitTimestampMs))
    .emptyTaggedFields()
    .finish();
}

export function encodeGroupMetadataValue(v: GroupMetadataRecord): Uint8Array {
  const w = new Writer(64)
    .int16(GROUP_VALUE_VERSION)
    .string(v.protocolType)
    .int32(v.generation)
    .nullableString(v.protocol)
    .nullableString(v.leader)
    .int64(BigInt(v.currentStateTimestampMs))
    .int32(v.members.length);
  for (const m of v.members) {
    w.string(m.memberId)
      .nullableString(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment);
  }
  return w.finish();
}

/**
 * Decodes one __consumer_offsets record. Returns null for record types other than classic-group offsets
 * and metadata (key versions 3+). Throws DecodeError on malformed bytes.
 */
export function decodeGroupRecord(key: Uint8Array, value: Uint8Array | null): GroupRecord | null {
  const r = new Reader(key);
  const keyVersion = r.int16();
  if (keyVersion === 0 || keyVersion === 1) {
    const groupId = r.string();
    const topic = r.string();
    const partition = r.int32();
    r.expectEnd('OffsetCommitKey');
    return {
      type: 'offset',
      groupId,
      topic,
      partition,
      value: value === null ? null : decodeOffsetCommitValue(value),
    };
  }
  if (keyVersion === 2) {
    const groupId = r.string();
    r.expectEnd('GroupMetadataKey');
    return { type: 'group', groupId, value: value === null ? null : decodeGroupMetadataValue(value) };
  }
  if (keyVersion < 0) throw new DecodeError(`record key version ${keyVersion} is invalid`, 0);
  return null;
}

// Flexible versions (4+) use compact strings/bytes/arrays and end each struct with tagged fields.
const string = (r: Reader, flexible: boolean) => (flexible ? r.compactString() : r.string());
const nullableString = (r: Reader, flexible: boolean) =>
  flexible ? r.compactNullableString() : r.nullableString();
const bytes = (r: Reader, flexible: boolean) => (flexible ? r.compactBytes() : r.bytes());
/** None of these records defines a tagged field yet: skip whatever a newer writer put there. */
const skipTaggedFields = (r: Reader) => r.taggedFields(() => false);

function arrayLength(r: Reader, flexible: boolean): number {
  const n = flexible ? r.uvarint() - 1 : r.int32();
  if (n < 0) throw new DecodeError(`non-nullable array has length ${n}`, r.offset);
  return n;
}

function valueVersion(r: Reader, what: string): number {
  const version = r.int16();
  if (version < 0 || version > VALUE_VERSION_MAX)
    throw new DecodeError(`${what} version ${version} is unknown`, 0);
  return version;
}

/** Kafka's int64 millisecond timestamps as numbers (exact up to 2^53, far beyond any real date). */
function ms(v: bigint): number {
  return Number(v);
}

export function decodeOffsetCommitValue(bytes: Uint8Array): CommittedOffset {
  const r = new Reader(bytes);
  const version = valueVersion(r, 'OffsetCommitValue');
  const flexible = version >= 4;
  const committedOffset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = string(r, flexible);
  const commitTimestampMs = ms(r.int64());
  const expire = version === 1 ? ms(r.int64()) : -1;
  if (flexible) skipTaggedFields(r);
  r.expectEnd('OffsetCommitValue');
  return {
    committedOffset,
    leaderEpoch,
    metadata,
    commitTimestampMs,
    expireTimestampMs: expire === -1 ? null : expire,
  };
}

/** Smallest encoding of one member (v0: four empty strings, int32, two empty bytes). */
const MEMBER_BYTES_MIN = 4;

export function decodeGroupMetadataValue(bytes: Uint8Array): GroupMetadataRecord {
  const r = new Reader(bytes);
  const version = valueVersion(r, 'GroupMetadataValue');
  const flexible = version >= 4;
  const protocolType = string(r, flexible);
  const generation = r.int32();
  const protocol = nullableString(r, flexible);
  const leader = nullableString(r, flexible);
  const currentStateTimestampMs = version >= 2 ? ms(r.int64()) : -1;
  const count = arrayLength(r, flexible);
  r.checkCount(count, MEMBER_BYTES_MIN, 'GroupMetadataValue.members');
  const members: GroupMetadataMemberRecord[] = [];
  for (let i = 0; i < count; i++) members.push(decodeMember(r, version));
  if (flexible) skipTaggedFields(r);
  r.expectEnd('GroupMetadataValue');
  return { protocolType, generation, protocol, leader, currentStateTimestampMs, members };
}

function decodeMember(r: Reader, version: number): GroupMetadataMemberRecord {
  const flexible = version >= 4;
  const memberId = string(r, flexible);
  const groupInstanceId = version >= 3 ? nullableString(r, flexible) : null;
  const clientId = string(r, flexible);
  const clientHost = string(r, flexible);
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
  const sessionTimeoutMs = r.int32();
  // Copies: a loaded record outlives the buffer it was read from (a log segment read).
  const subscription = bytes(r, flexible).slice();
  const assignment = bytes(r, flexible).slice();
  if (flexible) skipTaggedFields(r);
  return {
    memberId,
    groupInstanceId,
    clientId,
    clientHost,
    rebalanceTimeoutMs,
    sessionTimeoutMs,
    subscription,
    assignment,
  };
}
