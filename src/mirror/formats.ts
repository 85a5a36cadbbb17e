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
