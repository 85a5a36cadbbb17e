/**
 * Batch transformations and checks of the Produce handler (00-produce.ts) that need the records, not
 * just the header: up-conversion of legacy message sets, recompression to a topic's compression.type,
 * and the CreateTime bounds of message.timestamp.*.max.ms.
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import { ATTR_COMPRESSION_MASK, ATTR_TRANSACTIONAL } from '../../protocol/batch-header.js';
import { CODEC_NAMES, type CompressionCodec } from '../../protocol/compression/index.js';
import { DecodeError } from '../../protocol/decode-error.js';
import { decodeLegacyMessageSet } from '../../protocol/legacy-message-set.js';
import { decodeRecordBatch, encodeRecordBatch } from '../../protocol/record-batch.js';

/** The first legacy message's attributes byte: after offset (8), size (4), crc (4) and magic (1). */
const LEGACY_ATTRIBUTES_OFFSET = 17;

/** Per-topic produce rules that are not the log core's business. */
export interface TopicRules {
  /** compression.type: 'producer' keeps the producer's codec. */
  compressionType: string;
  /** message.timestamp.after.max.ms: how far in the future a CreateTime may be. */
  timestampAfterMaxMs: bigint;
  /** message.timestamp.before.max.ms: how far in the past a CreateTime may be. */
  timestampBeforeMaxMs: bigint;
}

/**
 * Kafka's LogValidator.validateTimestamp for CreateTime topics, on the batch header: the max timestamp
 * bounds every record from above and the base timestamp (the first record's) from below. -1 (no
 * timestamp) is never out of range.
 */
export function timestampProblem(
  baseMs: bigint,
  maxMs: bigint,
  rules: TopicRules,
  nowMs: number,
): string | undefined {
  const now = BigInt(nowMs);
  if (maxMs >= 0n && maxMs - now > rules.timestampAfterMaxMs) {
    return `Timestamp ${maxMs} of a record is out of range: it is more than message.timestamp.after.max.ms ${rules.timestampAfterMaxMs} ahead of the broker's time ${now}`;
  }
  if (baseMs >= 0n && now - baseMs > rules.timestampBeforeMaxMs) {
    return `Timestamp ${baseMs} of a record is out of range: it is more than message.timestamp.before.max.ms ${rules.timestampBeforeMaxMs} behind the broker's time ${now}`;
  }
  return undefined;
}

/** The codec a topic's compression.type asks for, or undefined for 'producer' (keep the producer's). */
export function targetCodec(compressionType: string): CompressionCodec | undefined {
  if (compressionType === 'producer') return undefined;
  if (compressionType === 'uncompressed') return 'none';
  return (CODEC_NAMES as readonly string[]).includes(compressionType)
    ? (compressionType as CompressionCodec)
    : undefined;
}

/**
 * Re-encodes a client batch with the topic's compression.type, as Kafka's LogValidator does when it
 * differs from the producer's: same records, timestamps, headers and producer fields. Returns why the
 * batch could not be decoded instead.
 */
export function recompress(batch: Uint8Array, codec: CompressionCodec): Uint8Array | string {
  let decoded: ReturnType<typeof decodeRecordBatch>;
  try {
    decoded = decodeRecordBatch(batch);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return `Corrupt record batch: ${error.message}`;
  }
  const h = decoded.header;
  return encodeRecordBatch(
    decoded.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })),
    {
      compression: codec,
      baseTimestamp: h.baseTimestamp,
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      transactional: (h.attributes & ATTR_TRANSACTIONAL) !== 0,
    },
  );
}

/**
 * A magic 0/1 message set (Produce v0-2 from an old client) as one v2 batch with the same compression,
 * what Kafka 3.x's LogValidator did with message.format.version 3.0. Returns an error code when the set
 * is malformed.
 */
export function upConvert(input: Uint8Array): Uint8Array | number {
  let records: ReturnType<typeof decodeLegacyMessageSet>;
  try {
    records = decodeLegacyMessageSet(input, { partialTail: 'error' });
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return ErrorCode.CORRUPT_MESSAGE;
  }
  if (records.length === 0) return ErrorCode.INVALID_RECORD;
  // The first message's attributes byte: after offset (8), size (4), crc (4) and magic (1).
  const codec = CODEC_NAMES[input[LEGACY_ATTRIBUTES_OFFSET]! & ATTR_COMPRESSION_MASK] ?? 'none';
  const logAppend = records[0]!.timestampType === 'log-append';
  return encodeRecordBatch(
    records.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })),
    {
      compression: codec,
      baseTimestamp: records[0]!.timestamp,
      ...(logAppend ? { timestampType: 'log-append' as const } : {}),
    },
  );
}
