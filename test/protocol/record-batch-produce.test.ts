// Our batches, in every codec, sent as-is in a raw Produce v7 request (the first version that
// may carry zstd: older ones get UNSUPPORTED_COMPRESSION_TYPE) to Apache Kafka 4.1.1 (whose
// LogValidator checks the CRC, decompresses and validates every record), then read back by kcat
// (librdkafka 2.0.2) and compared with what we encoded. Uses the shared real Kafka `test` on a lease
// (reused when a run already started it; started and stopped here otherwise); skipped without Java.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompressionCodec,
  encodeRecordBatch,
  type RecordInput,
} from '../../src/protocol/record-batch.js';
import { acquireKafka, realKafkaUnavailableReason, releaseKafka } from '../real-kafka/harness.js';
import { REAL_CLUSTER_NAME } from '../support/targets.js';

const run = promisify(execFile);
const CODECS: CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/**
 * Encodes a Produce v7 request (request header v1; v3–v8 share this body) carrying one batch for
 * partition 0 of `topic`.
 */
function produceV7(topic: string, batch: Uint8Array, correlationId: number): Buffer {
  const clientId = Buffer.from('kt-record-batch-test');
  const name = Buffer.from(topic);
  const body = Buffer.alloc(2 + 2 + 4 + 4 + clientId.length + 2 + 2 + 4 + 4 + 2 + name.length + 4 + 4 + 4);
  let p = 0;
  p = body.writeInt16BE(0, p); // api key: Produce
  p = body.writeInt16BE(7, p); // api version
  p = body.writeInt32BE(correlationId, p);
  p = body.writeInt16BE(clientId.length, p);
  p += clientId.copy(body, p);
  p = body.writeInt16BE(-1, p); // transactional_id: null
  p = body.writeInt16BE(-1, p); // acks: all
  p = body.writeInt32BE(30_000, p); // timeout_ms
  p = body.writeInt32BE(1, p); // one topic
  p = body.writeInt16BE(name.length, p);
  p += name.copy(body, p);
  p = body.writeInt32BE(1, p); // one partition
  p = body.writeInt32BE(0, p); // partition index
  p = body.writeInt32BE(batch.length, p); // records: bytes
  const frame = Buffer.concat([Buffer.alloc(4), body.subarray(0, p), batch]);
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

/** Sends one request and returns the response body (after the correlation id). */
function roundTrip(bootstrap: string, request: Buffer): Promise<Buffer> {
  const [host, port] = bootstrap.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('produce timed out')), 30_000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readInt32BE(0)) {
        clearTimeout(timer);
        socket.end();
        resolve(all.subarray(8, 4 + all.readInt32BE(0)));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Produce v7 response: [topic [partition error_code base_offset log_append_time log_start_offset]]. */
function partitionResult(body: Buffer): { errorCode: number; baseOffset: bigint } {
  let p = 4; // topic count (1)
  p += 2 + body.readInt16BE(p); // topic name
  p += 4; // partition count (1)
  p += 4; // partition index
  return { errorCode: body.readInt16BE(p), baseOffset: body.readBigInt64BE(p + 2) };
}

interface KcatMessage {
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
  ts: number;
}

const skipReason = (await realKafkaUnavailableReason()) ?? null;

describe.skipIf(skipReason !== null)(
  `raw Produce of our batches, read back by kcat ${skipReason ?? ''}`,
  () => {
    let bootstrap = '';
    const topics: string[] = [];
    const admin = () =>
      new kafkajs.Kafka({
        brokers: [bootstrap],
        logLevel: kafkajs.logLevel.NOTHING,
        retry: { retries: 3 },
      }).admin();

    beforeAll(async () => {
      bootstrap = (await acquireKafka(REAL_CLUSTER_NAME, { holder: process.pid })).bootstrap;
    });

    afterAll(async () => {
      if (!bootstrap) return;
      const a = admin();
      try {
        await a.connect();
        if (topics.length > 0) await a.deleteTopics({ topics });
      } finally {
        await a.disconnect();
        await releaseKafka(REAL_CLUSTER_NAME, { holder: process.pid });
      }
    });

    it.each(CODECS)('%s: the broker accepts the batch and kcat reads every record', async (codec) => {
      const topic = `kt-rb-produce-${codec}-${process.pid}-${randomBytes(3).toString('hex')}`;
      topics.push(topic);
      const a = admin();
      await a.connect();
      try {
        await a.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      } finally {
        await a.disconnect();
      }
      const records: RecordInput[] = Array.from({ length: 30 }, (_, i) => ({
        key: i % 4 === 0 ? null : Buffer.from(`key-${i}`),
        value: Buffer.from(`${codec} value ${i} ${'z'.repeat(i * 11)}`),
        headers: i % 3 === 0 ? [{ key: 'n', value: Buffer.from(String(i)) }] : [],
        timestamp: 1_700_000_000_000n + BigInt(i),
      }));
      for (const round of [0, 1]) {
        const batch = encodeRecordBatch(records, { compression: codec });
        const result = partitionResult(await roundTrip(bootstrap, produceV7(topic, batch, 7 + round)));
        expect(result).toEqual({ errorCode: 0, baseOffset: BigInt(round * records.length) });
      }
      const { stdout } = await run(
        'kcat',
        ['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-J', '-q'],
        { timeout: 60_000, maxBuffer: 16 << 20 },
      );
      const got = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as KcatMessage);
      expect(got).toHaveLength(2 * records.length);
      got.forEach((m, i) => {
        const want = records[i % records.length]!;
        expect(m.offset).toBe(i);
        expect(m.ts).toBe(Number(want.timestamp));
        expect(m.key).toBe(want.key === null ? null : want.key.toString());
        expect(m.payload).toBe(want.value?.toString());
        expect(m.headers ?? []).toEqual((want.headers ?? []).flatMap((h) => [h.key, h.value?.toString()]));
      });
    });
  },
);
