/**
 * The broker's data path over raw frames built with src/protocol: Produce (acks, errors, LogAppendTime,
 * compacted topics), Fetch (long polling, limits, out of range), ListOffsets and DeleteRecords.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { ErrorCode } from '../../src/errors/codes.generated.js';
import { decodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import {
  batch,
  fetchRequest,
  listOffsetsRequest,
  produceRequest,
  RawConnection,
  textRecords,
} from './data-path-client.js';

const PRODUCE_V = 9;
const FETCH_V = 12;
const LIST_OFFSETS_V = 7;

let broker: RunningBroker;
let conn: RawConnection;

function createTopic(name: string, partitions = 1, configs: Record<string, string> = {}): void {
  broker.core.topics.create({ name, numPartitions: partitions, replicationFactor: -1, configs });
}

async function produce(topic: string, records: Uint8Array | null, partition = 0, version = PRODUCE_V) {
  const response = await conn.request(0, version, produceRequest(topic, partition, records));
  return response.responses[0]!.partitionResponses[0]!;
}

async function fetchFrom(topic: string, offset: bigint, options: Parameters<typeof fetchRequest>[3] = {}) {
  const response = await conn.request(1, FETCH_V, fetchRequest(topic, 0, offset, options));
  return response.responses[0]!.partitions[0]!;
}

function values(records: Uint8Array | null): string[] {
  const out: string[] = [];
  for (const b of iterateBatches(records ?? new Uint8Array(0))) {
    for (const r of decodeRecordBatch(b).records) out.push(Buffer.from(r.value!).toString());
  }
  return out;
}

beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  conn = await RawConnection.open(broker.bootstrap);
});

afterAll(async () => {
  conn?.close();
  await broker?.close();
});

describe('Produce', () => {
  it('appends, answers offsets and logStartOffset, and the data reads back', async () => {
    createTopic('p-basic');
    const first = await produce('p-basic', batch(textRecords(3)));
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 0n, logAppendTimeMs: -1n, logStartOffset: 0n });
    const second = await produce('p-basic', batch(textRecords(2, 'w')));
    expect(second.baseOffset).toBe(3n);
    const fetched = await fetchFrom('p-basic', 0n);
    expect(fetched.errorCode).toBe(0);
    expect(fetched.highWatermark).toBe(5n);
    expect(fetched.lastStableOffset).toBe(5n);
    expect(fetched.logStartOffset).toBe(0n);
    expect(fetched.preferredReadReplica).toBe(-1);
    expect(values(fetched.records)).toEqual(['v0', 'v1', 'v2', 'w0', 'w1']);
  });

  it('answers per partition: unknown topic and partition, and appends the rest', async () => {
    createTopic('p-multi', 2);
    const response = await conn.request(0, PRODUCE_V, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1000,
      topicData: [
        {
          name: 'p-multi',
          topicId: '',
          partitionData: [
            { index: 0, records: batch(textRecords(1)) },
            { index: 1, records: batch(textRecords(2)) },
            { index: 7, records: batch(textRecords(1)) },
          ],
        },
        { name: 'p-nope', topicId: '', partitionData: [{ index: 0, records: batch(textRecords(1)) }] },
      ],
    });
    const [a, b, c] = response.responses[0]!.partitionResponses;
    expect([a!.errorCode, b!.errorCode, c!.errorCode]).toEqual([0, 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(response.responses[1]!.partitionResponses[0]!.errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect(broker.core.topics.partition('p-multi', 1)!.logEndOffset).toBe(2n);
    // Produce never auto-creates: that is Metadata's job.
    expect(broker.core.topics.get('p-nope')).toBeUndefined();
  });

  it('rejects invalid acks with INVALID_REQUIRED_ACKS and appends nothing', async () => {
    createTopic('p-acks');
    const response = await conn.request(0, PRODUCE_V, produceRequest('p-acks', 0, batch(textRecords(1)), 2));
    expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(broker.core.topics.partition('p-acks', 0)!.logEndOffset).toBe(0n);
  });

  it('acks=all on a topic with min.insync.replicas=2 is NOT_ENOUGH_REPLICAS; acks=1 is served', async () => {
    createTopic('p-minisr', 1, { 'min.insync.replicas': '2' });
    const all = await conn.request(0, PRODUCE_V, produceRequest('p-minisr', 0, batch(textRecords(1)), -1));
    expect(all.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    const one = await conn.request(0, PRODUCE_V, produceRequest('p-minisr', 0, batch(textRecords(1)), 1));
    expect(one.responses[0]!.partitionResponses[0]!).toMatchObject({ errorCode: 0, baseOffset: 0n });
  });

  it('acks=0 sends no response but appends; the next request is answered first', async () => {
    createTopic('p-acks0');
    const silent = conn.peekCorrelationId();
    void conn.request(0, PRODUCE_V, produceRequest('p-acks0', 0, batch(textRecords(4)), 0));
    const arrivalsBefore = conn.arrivals.length;
    const offsets = await conn.request(2, LIST_OFFSETS_V, listOffsetsRequest('p-acks0', 0, -1n));
    expect(offsets.topics[0]!.partitions[0]!.offset).toBe(4n);
    expect(conn.arrivals.slice(arrivalsBefore)).toEqual([silent + 1]);
  });

  it('acks=0 with an error closes only that connection', async () => {
    const other = await RawConnection.open(broker.bootstrap);
    void other.request(0, PRODUCE_V, produceRequest('p-missing-acks0', 0, batch(textRecords(1)), 0));
    await other.whenClosed();
    expect((await produce('p-basic', batch(textRecords(1)))).errorCode).toBe(0);
  });

  it('MESSAGE_TOO_LARGE for a batch over max.message.bytes; other clients keep being served', async () => {
    createTopic('p-small', 1, { 'max.message.bytes': '200' });
    const big = batch([{ key: null, value: Buffer.alloc(500, 7) }]);
    const result = await produce('p-small', big);
    expect(result.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(result.errorMessage).toMatch(/max.message.bytes/);
    expect((await produce('p-small', batch(textRecords(1)))).errorCode).toBe(0);
  });

  it('CORRUPT_MESSAGE for a CRC-corrupt or truncated batch; the broker keeps serving others', async () => {
    createTopic('p-corrupt');
    const corrupt = batch(textRecords(3));
    corrupt[corrupt.length - 2]! ^= 0xff;
    const other = await RawConnection.open(broker.bootstrap);
    const bad = other.request(0, PRODUCE_V, produceRequest('p-corrupt', 0, corrupt));
    expect((await bad).responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const truncated = batch(textRecords(3)).subarray(0, 70);
    expect((await produce('p-corrupt', truncated)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(broker.core.topics.partition('p-corrupt', 0)!.logEndOffset).toBe(0n);
    expect((await produce('p-corrupt', batch(textRecords(1)))).errorCode).toBe(0);
    // The connection that sent the corrupt batch is still usable too.
    expect(
      (await other.request(0, PRODUCE_V, produceRequest('p-corrupt', 0, batch(textRecords(1))))).responses[0]!
        .partitionResponses[0]!.baseOffset,
    ).toBe(1n);
    other.close();
  });

  it('INVALID_RECORD for two batches in one partition, a control batch, or no batch', async () => {
    createTopic('p-invalid');
    const two = Buffer.concat([batch(textRecords(1)), batch(textRecords(1))]);
    expect((await produce('p-invalid', two)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    const control = batch(textRecords(1), { control: true });
    expect((await produce('p-invalid', control)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect((await produce('p-invalid', null)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(broker.core.topics.partition('p-invalid', 0)!.logEndOffset).toBe(0n);
  });

  it('INVALID_TOPIC_EXCEPTION for a client append to an internal topic', async () => {
    broker.core.topics.create({
      name: '__internal_test',
      numPartitions: 1,
      replicationFactor: -1,
      configs: {},
      internal: true,
    });
    expect((await produce('__internal_test', batch(textRecords(1)))).errorCode).toBe(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
    );
    expect(broker.core.topics.partition('__internal_test', 0)!.logEndOffset).toBe(0n);
  });

  it('INVALID_RECORD with recordErrors for keyless records on a compacted topic', async () => {
    createTopic('p-compact', 1, { 'cleanup.policy': 'compact' });
    const mixed = batch([
      { key: Buffer.from('a'), value: Buffer.from('1') },
      { key: null, value: Buffer.from('2') },
    ]);
    const result = await produce('p-compact', mixed);
    expect(result.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(result.recordErrors.map((e) => e.batchIndex)).toEqual([1]);
    expect((await produce('p-compact', batch(textRecords(2)))).errorCode).toBe(0);
  });

  it('message.timestamp.type=LogAppendTime stamps the batch and answers the time', async () => {
    createTopic('p-lat', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const before = BigInt(Date.now());
    const result = await produce('p-lat', batch(textRecords(2), { baseTimestamp: 1000n }));
    expect(result.errorCode).toBe(0);
    expect(result.logAppendTimeMs).toBeGreaterThanOrEqual(before);
    const fetched = await fetchFrom('p-lat', 0n);
    const decoded = decodeRecordBatch(fetched.records!);
    expect(decoded.records.map((r) => r.timestamp)).toEqual([result.logAppendTimeMs, result.logAppendTimeMs]);
  });

  it('INVALID_TIMESTAMP beyond message.timestamp.after.max.ms (1 h by default) or before.max.ms', async () => {
    createTopic('p-future');
    const twoHours = BigInt(Date.now() + 2 * 3_600_000);
    const future = await produce('p-future', batch(textRecords(1), { baseTimestamp: twoHours }));
    expect(future.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect((await produce('p-future', batch(textRecords(1)))).errorCode).toBe(0);
    createTopic('p-recent', 1, { 'message.timestamp.before.max.ms': '60000' });
    const old = await produce('p-recent', batch(textRecords(1), { baseTimestamp: 1_000n }));
    expect(old.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    createTopic('p-lat-future', 1, { 'message.timestamp.type': 'LogAppendTime' });
    expect(
      (await produce('p-lat-future', batch(textRecords(1), { baseTimestamp: twoHours }))).errorCode,
    ).toBe(0);
  });

  it('topic compression.type recompresses the batch, keeping records and producer fields', async () => {
    createTopic('p-gzip', 1, { 'compression.type': 'gzip' });
    const sent = batch(
      [
        {
          key: Buffer.from('a'),
          value: Buffer.from('x'.repeat(200)),
          headers: [{ key: 'h', value: Buffer.from('1') }],
        },
        { key: null, value: Buffer.from('y'), timestamp: 5_000n },
      ],
      { baseTimestamp: 4_000n, producerId: 77n, producerEpoch: 0, baseSequence: 0 },
    );
    expect((await produce('p-gzip', Buffer.from(sent))).errorCode).toBe(0);
    const stored = decodeRecordBatch((await fetchFrom('p-gzip', 0n)).records!);
    expect(stored.header.attributes & 0x07).toBe(1);
    expect(stored.header).toMatchObject({
      producerId: 77n,
      producerEpoch: 0,
      baseSequence: 0,
      maxTimestamp: 5_000n,
    });
    expect(
      stored.records.map((r) => [
        Buffer.from(r.value!).toString().slice(0, 3),
        r.timestamp,
        r.headers.length,
      ]),
    ).toEqual([
      ['xxx', 4_000n, 1],
      ['y', 5_000n, 0],
    ]);
    // The retry of the same (uncompressed) batch is still recognised as a duplicate.
    expect(await produce('p-gzip', Buffer.from(sent))).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(broker.core.topics.partition('p-gzip', 0)!.logEndOffset).toBe(2n);
  });

  it('up-converts a v2 produce of a magic 1 message set into a v2 batch', async () => {
    createTopic('p-legacy');
    // One magic 1 message: offset, size, crc, magic, attributes, timestamp, key, value.
    const value = Buffer.from('legacy');
    const body = Buffer.alloc(1 + 1 + 8 + 4 + 4 + value.length);
    body.writeInt8(1, 0);
    body.writeInt8(0, 1);
    body.writeBigInt64BE(1234n, 2);
    body.writeInt32BE(-1, 10);
    body.writeInt32BE(value.length, 14);
    value.copy(body, 18);
    const { crc32 } = await import('node:zlib');
    const message = Buffer.alloc(12 + 4 + body.length);
    message.writeBigInt64BE(0n, 0);
    message.writeInt32BE(4 + body.length, 8);
    message.writeUInt32BE((crc32 as (b: Uint8Array) => number)(body), 12);
    body.copy(message, 16);
    const result = await produce('p-legacy', message, 0, 2);
    expect(result.errorCode).toBe(0);
    const fetched = await fetchFrom('p-legacy', 0n);
    const decoded = decodeRecordBatch(fetched.records!);
    expect(decoded.records.map((r) => [Buffer.from(r.value!).toString(), r.timestamp])).toEqual([
      ['legacy', 1234n],
    ]);
  });
});

describe('Fetch', () => {
  it('long-polls: a waiting fetch answers once data arrives, and other requests are served meanwhile', async () => {
    createTopic('f-wait');
    const events: string[] = [];
    const waiter = await RawConnection.open(broker.bootstrap);
    const pending = waiter
      .request(1, FETCH_V, fetchRequest('f-wait', 0, 0n, { maxWaitMs: 20_000, minBytes: 1 }))
      .then((r) => {
        events.push('fetched');
        return r.responses[0]!.partitions[0]!;
      });
    // Another connection is served while the fetch waits.
    const offsets = await conn.request(2, LIST_OFFSETS_V, listOffsetsRequest('f-wait', 0, -1n));
    expect(offsets.topics[0]!.partitions[0]!.offset).toBe(0n);
    events.push('produce');
    await produce('f-wait', batch(textRecords(1, 'late')));
    const fetched = await pending;
    expect(events).toEqual(['produce', 'fetched']);
    expect(values(fetched.records)).toEqual(['late0']);
    waiter.close();
  });

  it('an empty long poll returns empty at the end of its wait', async () => {
    createTopic('f-empty');
    const fetched = await fetchFrom('f-empty', 0n, { maxWaitMs: 50 });
    expect(fetched.errorCode).toBe(0);
    expect(fetched.records?.length ?? 0).toBe(0);
    expect(fetched.highWatermark).toBe(0n);
  });

  it('returns whole batches within partitionMaxBytes, but always the first batch', async () => {
    createTopic('f-limits');
    for (let i = 0; i < 4; i++)
      await produce('f-limits', batch([{ key: null, value: Buffer.alloc(300, i) }]));
    const one = await fetchFrom('f-limits', 0n, { partitionMaxBytes: 10 });
    expect([...iterateBatches(one.records!)].length).toBe(1);
    const two = await fetchFrom('f-limits', 0n, { partitionMaxBytes: 800 });
    expect([...iterateBatches(two.records!)].length).toBe(2);
    const capped = await fetchFrom('f-limits', 0n, { maxBytes: 800, partitionMaxBytes: 100_000 });
    expect([...iterateBatches(capped.records!)].length).toBe(2);
    // Mid-batch offsets return the containing batch (clients skip what is before their offset).
    const mid = await fetchFrom('f-limits', 1n, { partitionMaxBytes: 10 });
    expect(decodeRecordBatch(mid.records!).header.baseOffset).toBe(1n);
  });

  it('a second partition gets nothing rather than a batch over the request limit', async () => {
    createTopic('f-two', 2);
    for (const p of [0, 1]) {
      await conn.request(
        0,
        PRODUCE_V,
        produceRequest('f-two', p, batch([{ key: null, value: Buffer.alloc(400) }])),
      );
    }
    const request = fetchRequest('f-two', 0, 0n, { maxBytes: 500 });
    request.topics[0]!.partitions.push({ ...request.topics[0]!.partitions[0]!, partition: 1 });
    const response = await conn.request(1, FETCH_V, request);
    const [p0, p1] = response.responses[0]!.partitions;
    expect(p0!.records!.length).toBeGreaterThan(400);
    expect(p1!.errorCode).toBe(0);
    expect(p1!.records?.length ?? 0).toBe(0);
    expect(p1!.highWatermark).toBe(1n);
  });

  it('OFFSET_OUT_OF_RANGE beyond the log end, UNKNOWN_TOPIC_OR_PARTITION for a missing topic', async () => {
    createTopic('f-range');
    await produce('f-range', batch(textRecords(2)));
    expect((await fetchFrom('f-range', 3n)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect((await fetchFrom('f-range', 2n)).errorCode).toBe(0);
    expect((await fetchFrom('f-missing', 0n)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('declines fetch sessions: session id 0, and FETCH_SESSION_ID_NOT_FOUND for an unknown one', async () => {
    const request = fetchRequest('p-basic', 0, 0n);
    request.sessionEpoch = 0;
    expect((await conn.request(1, FETCH_V, request)).sessionId).toBe(0);
    request.sessionId = 42;
    request.sessionEpoch = 1;
    expect((await conn.request(1, FETCH_V, request)).errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    // Closing a session (epoch -1) is a full, sessionless fetch.
    request.sessionEpoch = -1;
    const closing = await conn.request(1, FETCH_V, request);
    expect(closing.errorCode).toBe(0);
    expect(closing.responses[0]!.partitions[0]!.errorCode).toBe(0);
  });

  it('a fetch parked in a closing broker does not hold up close()', async () => {
    const own = await startBroker({ port: 0 });
    own.core.topics.create({ name: 'parked', numPartitions: 1, replicationFactor: -1, configs: {} });
    const waiter = await RawConnection.open(own.bootstrap);
    void waiter.request(1, FETCH_V, fetchRequest('parked', 0, 0n, { maxWaitMs: 600_000 })).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.close();
    await waiter.whenClosed();
    expect(waiter.closed).toBe(true);
  });
});

describe('ListOffsets', () => {
  it('earliest, latest, max timestamp and by timestamp', async () => {
    createTopic('l-times');
    await produce('l-times', batch([{ key: null, value: Buffer.from('a'), timestamp: 1000n }]));
    await produce(
      'l-times',
      batch([
        { key: null, value: Buffer.from('b'), timestamp: 2000n },
        { key: null, value: Buffer.from('c'), timestamp: 5000n },
        { key: null, value: Buffer.from('d'), timestamp: 3000n },
      ]),
    );
    await produce('l-times', batch([{ key: null, value: Buffer.from('e'), timestamp: 4000n }]));
    const at = async (timestamp: bigint) =>
      (await conn.request(2, LIST_OFFSETS_V, listOffsetsRequest('l-times', 0, timestamp))).topics[0]!
        .partitions[0]!;
    expect(await at(-2n)).toMatchObject({ errorCode: 0, offset: 0n, timestamp: -1n });
    expect(await at(-1n)).toMatchObject({ errorCode: 0, offset: 5n });
    expect(await at(-3n)).toMatchObject({ errorCode: 0, offset: 2n, timestamp: 5000n });
    expect(await at(1500n)).toMatchObject({ offset: 1n, timestamp: 2000n });
    expect(await at(2500n)).toMatchObject({ offset: 2n, timestamp: 5000n });
    expect(await at(0n)).toMatchObject({ offset: 0n, timestamp: 1000n });
    expect(await at(9999n)).toMatchObject({ errorCode: 0, offset: -1n, timestamp: -1n });
    const missing = await conn.request(2, LIST_OFFSETS_V, listOffsetsRequest('l-none', 0, -1n));
    expect(missing.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

describe('DeleteRecords', () => {
  it('advances the log start; fetching below it is OFFSET_OUT_OF_RANGE; beyond HW is rejected', async () => {
    createTopic('d-del');
    for (let i = 0; i < 5; i++) await produce('d-del', batch(textRecords(1, `r${i}`)));
    const del = async (offset: bigint) =>
      (
        await conn.request(21, 2, {
          topics: [{ name: 'd-del', partitions: [{ partitionIndex: 0, offset }] }],
          timeoutMs: 1000,
        })
      ).topics[0]!.partitions[0]!;
    expect(await del(3n)).toMatchObject({ errorCode: 0, lowWatermark: 3n });
    expect((await fetchFrom('d-del', 1n)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const from3 = await fetchFrom('d-del', 3n);
    expect(from3.logStartOffset).toBe(3n);
    expect(values(from3.records)).toEqual(['r30', 'r40']);
    expect(await del(9n)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1n });
    expect(await del(-1n)).toMatchObject({ errorCode: 0, lowWatermark: 5n });
    const earliest = await conn.request(2, LIST_OFFSETS_V, listOffsetsRequest('d-del', 0, -2n));
    expect(earliest.topics[0]!.partitions[0]!.offset).toBe(5n);
  });
});

describe('transactions (not yet implemented)', () => {
  it('answers every transactional API with COORDINATOR_NOT_AVAILABLE, never a hang', async () => {
    const init = await conn.request(22, 4, {
      transactionalId: 'tx-1',
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
      enable2Pc: false,
      keepPreparedTxn: false,
    });
    expect(init.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const add = await conn.request(24, 3, {
      transactions: [],
      v3AndBelowTransactionalId: 'tx-1',
      v3AndBelowProducerId: 1n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [{ name: 'p-basic', partitions: [0] }],
    });
    expect(add.resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode).toBe(
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
    const offsets = await conn.request(25, 3, {
      transactionalId: 'tx-1',
      producerId: 1n,
      producerEpoch: 0,
      groupId: 'g',
    });
    expect(offsets.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const end = await conn.request(26, 3, {
      transactionalId: 'tx-1',
      producerId: 1n,
      producerEpoch: 0,
      committed: true,
    });
    expect(end.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const commit = await conn.request(28, 3, {
      transactionalId: 'tx-1',
      groupId: 'g',
      producerId: 1n,
      producerEpoch: 0,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'p-basic',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const txBatch = batch(textRecords(1), {
      transactional: true,
      producerId: 1n,
      producerEpoch: 0,
      baseSequence: 0,
    });
    expect((await produce('p-basic', txBatch)).errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
  });
});
