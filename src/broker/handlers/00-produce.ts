/**
 * Produce: v0-9 (v3-9 as Kafka 4 serves them; v0-2 are advertised for old librdkafka and also served,
 * their magic 0/1 message sets converted to one v2 batch as Kafka 3.x did).
 *
 * Behavior (Kafka's KafkaApis.handleProduceRequest, ProduceRequest.validateRecords, LogValidator,
 * UnifiedLog.append):
 * - acks must be -1, 0 or 1, else every partition gets INVALID_REQUIRED_ACKS. acks=0 gets no response;
 *   if any partition failed the connection is closed (how Kafka tells an acks=0 producer). acks=-1 waits
 *   for nothing more than acks=1: one node is the whole ISR. Durability is the topic's flush policy.
 * - Per partition, in this order: unknown topic/partition → UNKNOWN_TOPIC_OR_PARTITION (auto-creation is
 *   Metadata's job); an internal topic (__consumer_offsets) → INVALID_TOPIC_EXCEPTION, as Kafka refuses
 *   client appends to internal topics; acks=-1 on a topic whose min.insync.replicas exceeds 1 →
 *   ErrorCode.NOT_ENOUGH_REPLICAS (one node is an ISR of one); no batch, a magic other than 2 (v3+) or more than one batch → INVALID_RECORD; a
 *   batch over the topic's max.message.bytes → MESSAGE_TOO_LARGE; over segment.bytes →
 *   ErrorCode.RECORD_LIST_TOO_LARGE; truncated or CRC-corrupt → CORRUPT_MESSAGE; zstd below v7 →
 *   ErrorCode.UNSUPPORTED_COMPRESSION_TYPE; a control batch, an inconsistent record count, or a keyless record on
 *   a compacted topic (v8+: with recordErrors) → INVALID_RECORD; a transactional batch → ErrorCode.NOT_ENOUGH_REPLICAS
 *   (no transaction coordinator: Kafka's ReplicaManager answers a transactional produce whose
 *   verification finds the coordinator unavailable with ErrorCode.NOT_ENOUGH_REPLICAS, a retriable error).
 * - Idempotent batches (producerId >= 0) go through the partition's producer state: a duplicate is
 *   answered with its original offsets and not appended; INVALID_PRODUCER_EPOCH and
 *   OUT_OF_ORDER_SEQUENCE_NUMBER as in producer-state.ts.
 * - Under CreateTime, a batch whose timestamps lie beyond message.timestamp.after.max.ms (default 1 h)
 *   in the future or message.timestamp.before.max.ms in the past → ErrorCode.INVALID_TIMESTAMP.
 * - A topic compression.type other than 'producer' that differs from the batch's codec: the batch is
 *   re-encoded with it (records, timestamps, headers and producer fields kept), as Kafka does.
 * - The response carries baseOffset, logAppendTimeMs (-1 under CreateTime; the broker's stamp under
 *   message.timestamp.type=LogAppendTime, which the log applies) and logStartOffset (v5+).
 */

import { ErrorCode } from '../../errors/codes.generated.js';
import {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  BATCH_MAGIC_OFFSET,
  isBatchCrcValid,
  readBatchHeader,
} from '../../protocol/batch-header.js';
import { CODEC_NAMES } from '../../protocol/compression/index.js';
import { DecodeError } from '../../protocol/decode-error.js';
import { decodeRecordBatch } from '../../protocol/record-batch.js';
import type { BrokerSettings } from '../config.js';
import { defineHandler } from '../handler.js';
import { logErrorCode, type Partition } from '../partition.js';
import { topicConfigDefault } from '../topic-configs.js';
import type { Topic } from '../topics.js';
import { recompress, type TopicRules, targetCodec, timestampProblem, upConvert } from './00-produce-batch.js';

const ZSTD_CODEC_ID = 4;
/** One node: the in-sync replica set is this broker alone. */
const ISR_SIZE = 1;
const ERRORS_WITH_LOG_START = new Set([
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCode.INVALID_PRODUCER_EPOCH,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.INVALID_TIMESTAMP,
]);

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
  currentLeader: { leaderId: number; leaderEpoch: number };
}

function failed(
  index: number,
  code: number,
  message: string | null = null,
  recordErrors: PartitionResult['recordErrors'] = [],
): PartitionResult {
  return {
    index,
    errorCode: code,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors,
    errorMessage: message,
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
  };
}

export const produceHandler = defineHandler({
  apiKey: 0,
  handle(request, { broker, version }) {
    const acks = request.acks;
    const validAcks = acks === -1 || acks === 0 || acks === 1;
    let anyError = false;
    const responses = request.topicData.map((topicData) => {
      const topic = broker.topics.get(topicData.name);
      return {
        name: topicData.name,
        topicId: topicData.topicId,
        partitionResponses: topicData.partitionData.map((data): PartitionResult => {
          const result = validAcks
            ? answerPartition(topic, data.index, data.records, acks, version, broker.settings)
            : failed(data.index, ErrorCode.INVALID_REQUIRED_ACKS);
          if (result.errorCode !== ErrorCode.NONE) anyError = true;
          return result;
        }),
      };
    });
    if (acks === 0) {
      if (anyError) throw new Error('acks=0 produce failed for at least one partition');
      return null;
    }
    return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
  },
});

function answerPartition(
  topic: Topic | undefined,
  index: number,
  records: Uint8Array | null,
  acks: number,
  version: number,
  settings: BrokerSettings,
): PartitionResult {
  const partition = topic?.partitions[index];
  if (topic === undefined || partition === undefined) {
    return failed(
      index,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      'This server does not host this topic-partition.',
    );
  }
  if (topic.internal)
    return failed(index, ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic.name}`);
  const minIsr = Number(topic.configs['min.insync.replicas'] ?? settings['min.insync.replicas']);
  let result: PartitionResult;
  if (acks === -1 && minIsr > ISR_SIZE) {
    result = failed(
      index,
      ErrorCode.NOT_ENOUGH_REPLICAS,
      `The size of the current ISR Set(${ISR_SIZE}) is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${topic.name}-${index}`,
    );
  } else {
    const setting = (name: string) => topic.configs[name] ?? topicConfigDefault(name, settings)!;
    result = produceToPartition(partition, index, records, version, {
      compressionType: setting('compression.type'),
      timestampAfterMaxMs: BigInt(setting('message.timestamp.after.max.ms')),
      timestampBeforeMaxMs: BigInt(setting('message.timestamp.before.max.ms')),
    });
  }
  // Kafka reports the log start with errors raised at append time (ReplicaManager.appendToLocalLog), so
  // an idempotent producer can tell a real sequence gap from one left by deleted records (KIP-360).
  if (result.errorCode !== ErrorCode.NONE && ERRORS_WITH_LOG_START.has(result.errorCode)) {
    result.logStartOffset = partition.logStartOffset;
  }
  return result;
}

function produceToPartition(
  partition: Partition,
  index: number,
  input: Uint8Array | null,
  version: number,
  rules: TopicRules,
): PartitionResult {
  const where = `${partition.topic}-${partition.index}`;
  if (input === null || input.length < BATCH_LOG_OVERHEAD_BYTES) {
    return failed(
      index,
      ErrorCode.INVALID_RECORD,
      `Produce requests with version ${version} must have at least one record batch per partition`,
    );
  }
  let records = input;
  if (input.length > BATCH_MAGIC_OFFSET && input[BATCH_MAGIC_OFFSET] !== 2) {
    if (version >= 3 || input[BATCH_MAGIC_OFFSET]! > 2) {
      return failed(
        index,
        ErrorCode.INVALID_RECORD,
        `Produce requests with version ${version} are only allowed to contain record batches with magic version 2`,
      );
    }
    const converted = upConvert(input);
    if (typeof converted === 'number') return failed(index, converted, 'Invalid legacy message set');
    records = converted;
  }
  const config = partition.log.config;
  const declared = new DataView(records.buffer, records.byteOffset, records.length).getInt32(8);
  const sizeBytes = declared + BATCH_LOG_OVERHEAD_BYTES;
  if (sizeBytes > config.maxBatchBytes) {
    return failed(
      index,
      ErrorCode.MESSAGE_TOO_LARGE,
      `The record batch of ${sizeBytes} bytes is larger than max.message.bytes ${config.maxBatchBytes} of ${where}`,
    );
  }
  if (sizeBytes > config.segmentBytesMax) {
    return failed(
      index,
      ErrorCode.RECORD_LIST_TOO_LARGE,
      `The record batch of ${sizeBytes} bytes is larger than segment.bytes ${config.segmentBytesMax}`,
    );
  }
  if (records.length < BATCH_HEADER_BYTES || sizeBytes < BATCH_HEADER_BYTES || sizeBytes > records.length) {
    return failed(
      index,
      ErrorCode.CORRUPT_MESSAGE,
      `Corrupt record batch: ${sizeBytes} bytes declared, ${records.length} received`,
    );
  }
  if (sizeBytes !== records.length) {
    return failed(
      index,
      ErrorCode.INVALID_RECORD,
      `Produce requests with version ${version} are only allowed to contain exactly one record batch per partition`,
    );
  }
  // The CRC is checked once on the common path, by the log's append. Every other answer checks it
  // first, so a corrupt batch is CORRUPT_MESSAGE whatever else is wrong with it (Kafka's order).
  const batchBytes = records;
  const reject = (code: number, message: string): PartitionResult =>
    isBatchCrcValid(batchBytes)
      ? failed(index, code, message)
      : failed(index, ErrorCode.CORRUPT_MESSAGE, 'Corrupt record batch: CRC mismatch');
  const header = readBatchHeader(records, 0);
  if (version < 7 && (header.attributes & ATTR_COMPRESSION_MASK) === ZSTD_CODEC_ID) {
    return reject(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      `Produce requests with version ${version} are not allowed to use ZStandard compression`,
    );
  }
  if ((header.attributes & ATTR_CONTROL) !== 0) {
    return reject(ErrorCode.INVALID_RECORD, 'Clients are not allowed to write control records');
  }
  if (header.recordCount < 1 || header.lastOffsetDelta !== header.recordCount - 1) {
    return reject(
      ErrorCode.INVALID_RECORD,
      `Record count ${header.recordCount} does not match lastOffsetDelta ${header.lastOffsetDelta}`,
    );
  }
  if ((header.attributes & ATTR_TRANSACTIONAL) !== 0) {
    return reject(
      ErrorCode.NOT_ENOUGH_REPLICAS,
      `Unable to verify the partition has been added to the transaction. Underlying error: COORDINATOR_NOT_AVAILABLE`,
    );
  }
  if (config.messageTimestampType === 'CreateTime') {
    const problem = timestampProblem(header.baseTimestamp, header.maxTimestamp, rules, partition.log.nowMs());
    if (problem !== undefined) return reject(ErrorCode.INVALID_TIMESTAMP, problem);
  }
  const idempotent = header.producerId >= 0n;
  if (idempotent && header.baseSequence < 0) {
    return reject(
      ErrorCode.INVALID_RECORD,
      `Invalid sequence number ${header.baseSequence} for an idempotent batch`,
    );
  }
  const target = targetCodec(rules.compressionType);
  if (target !== undefined && target !== CODEC_NAMES[header.attributes & ATTR_COMPRESSION_MASK]) {
    const recompressed = recompress(records, target);
    if (typeof recompressed === 'string') return failed(index, ErrorCode.CORRUPT_MESSAGE, recompressed);
    records = recompressed;
  }
  if (config.cleanupPolicy.includes('compact')) {
    const problem = keylessRecords(records, where);
    if (problem !== undefined) return problem.result(index);
  }
  if (idempotent) {
    const info = {
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      lastOffsetDelta: header.lastOffsetDelta,
    };
    const check = partition.producers.check(info, where);
    if (check.kind === 'error') return reject(ErrorCode[check.error], check.message);
    if (check.kind === 'duplicate') {
      if (!isBatchCrcValid(records))
        return failed(index, ErrorCode.CORRUPT_MESSAGE, 'Corrupt record batch: CRC mismatch');
      return {
        ...failed(index, ErrorCode.NONE),
        baseOffset: check.batch.firstOffset,
        logAppendTimeMs: config.messageTimestampType === 'LogAppendTime' ? check.batch.timestampMs : -1n,
        logStartOffset: partition.logStartOffset,
      };
    }
    const appended = append(partition, index, records);
    if ('errorCode' in appended) return appended;
    const timestampMs = appended.logAppendTimeMs >= 0n ? appended.logAppendTimeMs : header.maxTimestamp;
    partition.producers.update(info, appended.baseOffset, timestampMs);
    return success(index, appended);
  }
  const appended = append(partition, index, records);
  return 'errorCode' in appended ? appended : success(index, appended);
}

function append(partition: Partition, index: number, records: Uint8Array) {
  try {
    return partition.append(records);
  } catch (error) {
    const code = logErrorCode(error);
    if (code === undefined) throw error;
    return failed(index, code, (error as Error).message);
  }
}

function success(
  index: number,
  appended: { baseOffset: bigint; logAppendTimeMs: bigint; logStartOffset: bigint },
): PartitionResult {
  return {
    ...failed(index, ErrorCode.NONE),
    baseOffset: appended.baseOffset,
    logAppendTimeMs: appended.logAppendTimeMs,
    logStartOffset: appended.logStartOffset,
  };
}

/** Kafka's LogValidator rule for compacted topics: every record needs a key. */
function keylessRecords(
  batch: Uint8Array,
  where: string,
): { result: (index: number) => PartitionResult } | undefined {
  let decoded: ReturnType<typeof decodeRecordBatch>;
  try {
    decoded = decodeRecordBatch(batch, { verifyCrc: false });
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return {
      result: (index) => failed(index, ErrorCode.CORRUPT_MESSAGE, `Corrupt record batch: ${error.message}`),
    };
  }
  const message = `Compacted topic cannot accept message without key in topic partition ${where}.`;
  const recordErrors: PartitionResult['recordErrors'] = [];
  decoded.records.forEach((record, i) => {
    if (record.key === null) recordErrors.push({ batchIndex: i, batchIndexErrorMessage: message });
  });
  if (recordErrors.length === 0) return undefined;
  return { result: (index) => failed(index, ErrorCode.INVALID_RECORD, message, recordErrors) };
}
