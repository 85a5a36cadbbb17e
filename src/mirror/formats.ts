/**
 * Record formats of the mirror's internal topics.
 *
 * OffsetSync (MirrorMaker 2's `OffsetSync.java`, Kafka `protocol.types.Schema`, big-endian, no version):
 *   key   = topic: STRING (INT16 length + UTF-8), partition: INT32      — the *source* topic-partition
 *   value = upstreamOffset: INT64, offset (downstream): INT64
 * Lives on partition 0 of `mm2-offset-syncs.<target-alias>.internal` on the source (MM2's default
 * location), so MM2's OffsetSyncStore and tools built on it read kt's syncs.
 *
 * Progress (kt's resume position, see run.ts for why it lives on the target): Kafka Connect's source
 * offset layout as MM2 writes it to `mm2-offsets.<src>.internal` (JSON converter, schemas off):
 *   key   = ["kt-mirror",{"cluster":"<source-alias>","partition":N,"topic":"<source topic>"}]
 *   value = {"offset":<last replicated source offset>}            — resume at offset + 1
 * Same shape as MM2's (MirrorUtils.wrapPartition/wrapOffset) so a later takeover from or to MM2 only has
 * to translate the connector name.
 */
import { DecodeError } from '../protocol/decode-error.js';

const STRING_BYTES_MAX = 32767;

export interface OffsetSync {
  topic: string;
  partition: number;
  upstreamOffset: bigint;
  downstreamOffset: bigint;
}

export function offsetSyncsTopic(targetAlias: string): string {
  return `mm2-offset-syncs.${targetAlias}.internal`;
}

export function progressTopic(sourceAlias: string): string {
  return `kt-mirror-offsets.${sourceAlias}.internal`;
}

export const PROGRESS_CONNECTOR = 'kt-mirror';

export function encodeOffsetSyncKey(topic: string, partition: number): Uint8Array {
  const name = Buffer.from(topic, 'utf8');
  if (name.length > STRING_BYTES_MAX) throw new RangeError(`topic name of ${name.length} bytes`);
  const out = Buffer.alloc(2 + name.length + 4);
  out.writeInt16BE(name.length, 0);
  out.set(name, 2);
  out.writeInt32BE(partition, 2 + name.length);
  return out;
}

export function encodeOffsetSyncValue(upstreamOffset: bigint, downstreamOffset: bigint): Uint8Array {
  const out = Buffer.alloc(16);
  out.writeBigInt64BE(upstreamOffset, 0);
  out.writeBigInt64BE(downstreamOffset, 8);
  return out;
}

/** Decodes one offset-sync record; DecodeError on anything that is not exactly that layout. */
export function decodeOffsetSync(key: Uint8Array | null, value: Uint8Array | null): OffsetSync {
  if (key === null || value === null) throw new DecodeError('offset sync with a null key or value', 0);
  if (key.length < 2) throw new DecodeError(`offset sync key of ${key.length} bytes`, 0);
  const k = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const nameBytes = k.readInt16BE(0);
  if (nameBytes < 0 || key.length !== 2 + nameBytes + 4) {
    throw new DecodeError(`offset sync key: topic length ${nameBytes} in ${key.length} bytes`, 0);
  }
  if (value.length !== 16) throw new DecodeError(`offset sync value of ${value.length} bytes`, 0);
  const v = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return {
    topic: k.toString('utf8', 2, 2 + nameBytes),
    partition: k.readInt32BE(2 + nameBytes),
    upstreamOffset: v.readBigInt64BE(0),
    downstreamOffset: v.readBigInt64BE(8),
  };
}

export interface ProgressEntry {
  cluster: string;
  topic: string;
  partition: number;
  /** Last source offset replicated (or skipped as a marker/aborted record); resume at +1. */
  offset: bigint;
}

export function encodeProgressKey(cluster: string, topic: string, partition: number): Uint8Array {
  return Buffer.from(JSON.stringify([PROGRESS_CONNECTOR, { cluster, partition, topic }]), 'utf8');
}

export function encodeProgressValue(offset: bigint): Uint8Array {
  return Buffer.from(`{"offset":${offset}}`, 'utf8');
}

/** Decodes one progress record; null for records of other connectors or tombstones. */
export function decodeProgress(key: Uint8Array | null, value: Uint8Array | null): ProgressEntry | null {
  if (key === null || value === null) return null;
  let parsedKey: unknown;
  let parsedValue: unknown;
  const valueText = Buffer.from(value).toString('utf8');
  try {
    parsedKey = JSON.parse(Buffer.from(key).toString('utf8'));
    parsedValue = JSON.parse(valueText);
  } catch {
    throw new DecodeError('progress record is not JSON', 0);
  }
  if (!Array.isArray(parsedKey) || parsedKey[0] !== PROGRESS_CONNECTOR) return null;
  const where = parsedKey[1] as { cluster?: unknown; topic?: unknown; partition?: unknown } | undefined;
  const offsetText = /^\{"offset":(-?\d+)\}$/.exec(valueText.replace(/\s/g, ''))?.[1];
  if (
    !where ||
    typeof where.cluster !== 'string' ||
    typeof where.topic !== 'string' ||
    typeof where.partition !== 'number' ||
    !Number.isInteger(where.partition) ||
    offsetText === undefined ||
    typeof parsedValue !== 'object'
  ) {
    throw new DecodeError('progress record without cluster/topic/partition/offset', 0);
  }
  // The offset is parsed from the text: JSON.parse would round offsets above 2^53.
  return {
    cluster: where.cluster,
    topic: where.topic,
    partition: where.partition,
    offset: BigInt(offsetText),
  };
}

/**
 * Checkpoint (MM2 `Checkpoint.java`) on partition 0 of `<source-alias>.checkpoints.internal` (target):
 *   key   = group: STRING, topic: STRING (the *target* topic name), partition: INT32
 *   value = version: INT16 (0), upstreamOffset: INT64, offset (downstream): INT64, metadata: STRING
 * Java's RemoteClusterUtils.translateOffsets reads these.
 */
export interface Checkpoint {
  group: string;
  topic: string;
  partition: number;
  upstreamOffset: bigint;
  downstreamOffset: bigint;
  metadata: string;
}

export function checkpointsTopic(sourceAlias: string): string {
  return `${sourceAlias}.checkpoints.internal`;
}

/** MM2's heartbeats topic on the target: one record per flow every interval. */
export const HEARTBEATS_TOPIC = 'heartbeats';

export interface Heartbeat {
  sourceClusterAlias: string;
  targetClusterAlias: string;
  timestampMs: bigint;
}

/** Kafka `STRING` fields: INT16 length + UTF-8, written back to back. */
function encodeStrings(strings: readonly string[], extraBytes: number): { out: Buffer; at: number } {
  const encoded = strings.map((s) => Buffer.from(s, 'utf8'));
  for (const e of encoded) {
    if (e.length > STRING_BYTES_MAX) throw new RangeError(`string of ${e.length} bytes`);
  }
  const out = Buffer.alloc(encoded.reduce((n, e) => n + 2 + e.length, 0) + extraBytes);
  let at = 0;
  for (const e of encoded) {
    out.writeInt16BE(e.length, at);
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return { out, at };
}

/** Reads a Kafka STRING at `at` with its length checked against what is left. */
function readString(b: Buffer, at: number, what: string): [string, number] {
  if (b.length - at < 2) throw new DecodeError(`${what}: no room for a string length`, at);
  const n = b.readInt16BE(at);
  if (n < 0 || b.length - at - 2 < n) throw new DecodeError(`${what}: string of ${n} bytes`, at);
  return [b.toString('utf8', at + 2, at + 2 + n), at + 2 + n];
}

const view = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export function encodeCheckpointKey(group: string, topic: string, partition: number): Uint8Array {
  const { out, at } = encodeStrings([group, topic], 4);
  out.writeInt32BE(partition, at);
  return out;
}

export function encodeCheckpointValue(upstream: bigint, downstream: bigint, metadata = ''): Uint8Array {
  const { out: meta } = encodeStrings([metadata], 0);
  const out = Buffer.alloc(2 + 16 + meta.length);
  out.writeInt16BE(0, 0);
  out.writeBigInt64BE(upstream, 2);
  out.writeBigInt64BE(downstream, 10);
  out.set(meta, 18);
  return out;
}

export function decodeCheckpoint(key: Uint8Array | null, value: Uint8Array | null): Checkpoint {
  if (key === null || value === null) throw new DecodeError('checkpoint with a null key or value', 0);
  const k = view(key);
  const [group, afterGroup] = readString(k, 0, 'checkpoint key');
  const [topic, afterTopic] = readString(k, afterGroup, 'checkpoint key');
  if (k.length - afterTopic !== 4) throw new DecodeError(`checkpoint key of ${k.length} bytes`, afterTopic);
  const v = view(value);
  if (v.length < 18) throw new DecodeError(`checkpoint value of ${v.length} bytes`, 0);
  const version = v.readInt16BE(0);
  if (version !== 0) throw new DecodeError(`checkpoint value version ${version}`, 0);
  const [metadata, end] = readString(v, 18, 'checkpoint value');
  if (end !== v.length) throw new DecodeError(`checkpoint value of ${v.length} bytes`, end);
  return {
    group,
    topic,
    partition: k.readInt32BE(afterTopic),
    upstreamOffset: v.readBigInt64BE(2),
    downstreamOffset: v.readBigInt64BE(10),
    metadata,
  };
}

export function encodeHeartbeatKey(sourceAlias: string, targetAlias: string): Uint8Array {
  return encodeStrings([sourceAlias, targetAlias], 0).out;
}

export function encodeHeartbeatValue(timestampMs: bigint): Uint8Array {
  const out = Buffer.alloc(10);
  out.writeInt16BE(0, 0);
  out.writeBigInt64BE(timestampMs, 2);
  return out;
}

export function decodeHeartbeat(key: Uint8Array | null, value: Uint8Array | null): Heartbeat {
  if (key === null || value === null) throw new DecodeError('heartbeat with a null key or value', 0);
  const k = view(key);
  const [sourceClusterAlias, afterSource] = readString(k, 0, 'heartbeat key');
  const [targetClusterAlias, end] = readString(k, afterSource, 'heartbeat key');
  if (end !== k.length) throw new DecodeError(`heartbeat key of ${k.length} bytes`, end);
  const v = view(value);
  if (v.length !== 10 || v.readInt16BE(0) !== 0)
    throw new DecodeError(`heartbeat value of ${v.length} bytes`, 0);
  return { sourceClusterAlias, targetClusterAlias, timestampMs: v.readBigInt64BE(2) };
}
