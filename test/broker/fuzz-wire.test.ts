/**
 * Wire fuzz: for a bounded time several connections send mutated valid requests (bytes flipped, inserted,
 * deleted), random frames, truncated frames, sizes above socket.request.max.bytes, unknown API keys and
 * versions and CRC-corrupt batches, while a well-behaved connection keeps producing with acks=1. Afterwards
 * a normal client still produces and consumes, every acknowledged record is there, and the broker logged
 * exactly one line for each connection it closed. The PRNG is seeded (the seed is in the describe name;
 * KT_FUZZ_SEED=N repeats a run).
 */
import { connect, type Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { ErrorCode } from '../../src/errors/codes.generated.js';
import { decodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { encodeRequestFrame } from '../../src/protocol/schema/headers.js';
import type { ApiKey, RequestOf } from '../../src/protocol/schema/registry.js';
import { batch, fetchRequest, produceRequest, RawConnection, textRecords } from './data-path-client.js';

const FUZZ_MS = 5_000;
const FUZZ_CONNECTIONS = 4;
const REQUEST_BYTES_MAX = 64 * 1024;
/** How long a fuzz connection waits for an answer or a close before it hangs up itself. */
const LINGER_MS = 40;
const SEED = Number(process.env.KT_FUZZ_SEED ?? Date.now() % 2 ** 31);

let broker: RunningBroker;
const logLines: string[] = [];

/** xorshift32: small, seeded, good enough to pick mutations. */
function prng(seed: number): (n: number) => number {
  let x = seed || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function frame<K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestOf<K>, correlationId: number) {
  return Buffer.from(encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId: 'fuzz', body }));
}

/** Valid requests the mutations start from (no group or admin APIs: a mutated count could be huge). */
function seeds(correlationId: number): Buffer[] {
  return [
    frame(18, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }, correlationId),
    frame(3, 12, metadataRequest(['fuzz']), correlationId),
    frame(0, 9, produceRequest('fuzz', 0, batch(textRecords(5, 'f')), 1), correlationId),
    frame(0, 3, produceRequest('fuzz', 0, batch(textRecords(2, 'g')), -1), correlationId),
    frame(1, 12, fetchRequest('fuzz', 0, 0n, { maxWaitMs: 10 }), correlationId),
    frame(1, 4, fetchRequest('fuzz', 0, 0n, { maxWaitMs: 10 }), correlationId),
    frame(
      2,
      7,
      {
        replicaId: -1,
        isolationLevel: 0,
        topics: [
          { name: 'fuzz', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] },
        ],
        timeoutMs: 1000,
      },
      correlationId,
    ),
  ];
}

function metadataRequest(topics: string[]): RequestOf<3> {
  return {
    topics: topics.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

function withSize(payload: Buffer): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

/** A CRC-corrupt Produce: one byte of the records flipped after the CRC was computed. */
function corruptProduce(correlationId: number, acks: number): Buffer {
  const records = Buffer.from(batch(textRecords(3, 'bad')));
  records[records.length - 2]! ^= 0xff;
  return frame(0, 9, produceRequest('fuzz', 0, records, acks), correlationId);
}

/** One hostile payload: what it is and the bytes to send. */
function mutant(rand: (n: number) => number, correlationId: number): Buffer {
  const all = seeds(correlationId);
  const base = Buffer.from(all[rand(all.length)]!);
  const payload = base.subarray(4);
  switch (rand(9)) {
    case 0: {
      for (let i = 0, n = 1 + rand(4); i < n; i++) payload[rand(payload.length)] = rand(256);
      return base;
    }
    case 1: {
      const at = rand(payload.length + 1);
      const extra = Buffer.from(Array.from({ length: 1 + rand(8) }, () => rand(256)));
      return withSize(Buffer.concat([payload.subarray(0, at), extra, payload.subarray(at)]));
    }
    case 2: {
      const at = rand(payload.length);
      return withSize(Buffer.concat([payload.subarray(0, at), payload.subarray(at + 1 + rand(8))]));
    }
    case 3:
      // Truncated: the size promises more than is ever sent.
      return base.subarray(0, 4 + rand(payload.length));
    case 4: {
      const size = Buffer.alloc(4);
      size.writeInt32BE([REQUEST_BYTES_MAX + 1, 0x7fffffff, -1, -(2 ** 31)][rand(4)]!);
      return size;
    }
    case 5:
      // Unknown API key, or a known one at a version nobody serves.
      if (rand(2) === 0) payload.writeInt16BE(1000 + rand(30_000), 0);
      else payload.writeInt16BE(100 + rand(1000), 2);
      return base;
    case 6:
      return corruptProduce(correlationId, rand(2) === 0 ? 1 : 0);
    case 7:
      return withSize(Buffer.from(Array.from({ length: rand(200) }, () => rand(256))));
    default:
      // A frame header that claims a flexible version of a seed's key but carries garbage.
      return withSize(Buffer.concat([payload.subarray(0, 8), Buffer.from([0xff, 0xff, 0xff, 0xff])]));
  }
}

interface FuzzStats {
  connections: number;
  closedByBroker: number[];
  /** Local port of every fuzz connection, in order. */
  localPorts: number[];
  frames: number;
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** One fuzz worker: connections of a few hostile frames each, until the deadline. */
async function fuzzWorker(seed: number, deadline: number, stats: FuzzStats): Promise<void> {
  const rand = prng(seed);
  while (Date.now() < deadline) {
    const socket = await openSocket(broker.port);
    stats.connections++;
    const localPort = socket.localPort!;
    stats.localPorts.push(localPort);
    let brokerClosed = false;
    let hungUp = false;
    socket.on('error', () => {});
    socket.on('data', () => {});
    const closed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        if (!hungUp) brokerClosed = true;
        resolve();
      }),
    );
    for (let i = 0, n = 1 + rand(4); i < n && !socket.destroyed; i++) {
      socket.write(mutant(rand, 1 + i));
      stats.frames++;
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, rand(LINGER_MS)))]);
    }
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, LINGER_MS))]);
    if (!brokerClosed) {
      hungUp = true;
      socket.destroy();
    }
    await closed;
    if (brokerClosed) stats.closedByBroker.push(localPort);
  }
}

function values(records: Uint8Array | null): string[] {
  const out: string[] = [];
  for (const b of iterateBatches(records ?? new Uint8Array(0))) {
    for (const r of decodeRecordBatch(b).records) out.push(Buffer.from(r.value!).toString());
  }
  return out;
}

/** Every value in topic/0, read with raw Fetch requests from offset 0 to the end. */
async function readAll(conn: RawConnection, topic: string): Promise<string[]> {
  const out: string[] = [];
  let offset = 0n;
  for (;;) {
    const response = await conn.request(1, 12, fetchRequest(topic, 0, offset));
    const partition = response.responses[0]!.partitions[0]!;
    expect(partition.errorCode).toBe(0);
    const got = values(partition.records);
    if (got.length === 0) return out;
    out.push(...got);
    offset += BigInt(got.length);
  }
}

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    config: { 'socket.request.max.bytes': String(REQUEST_BYTES_MAX), 'auto.create.topics.enable': 'false' },
    log: (line) => logLines.push(line),
  });
  for (const name of ['fuzz', 'safe', 'after']) {
    broker.core.topics.create({ name, numPartitions: 1, replicationFactor: -1, configs: {} });
  }
});

afterAll(async () => {
  await broker?.close();
});

describe(`wire fuzz (seed ${SEED})`, () => {
  it('answers a CRC-corrupt batch with CORRUPT_MESSAGE and keeps the connection', async () => {
    const conn = await RawConnection.open(broker.bootstrap);
    try {
      const records = Buffer.from(batch(textRecords(3, 'bad')));
      records[records.length - 2]! ^= 0xff;
      const response = await conn.request(0, 9, produceRequest('fuzz', 0, records, 1));
      expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
      const ok = await conn.request(0, 9, produceRequest('fuzz', 0, batch(textRecords(1, 'ok')), 1));
      expect(ok.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    } finally {
      conn.close();
    }
  });

  it('keeps serving and loses nothing acknowledged while several connections send hostile frames', async () => {
    const good = await RawConnection.open(broker.bootstrap);
    const acknowledged: string[] = [];
    let batchNo = 0;
    const produceGood = async () => {
      const n = batchNo++;
      const response = await good.request(
        0,
        9,
        produceRequest('safe', 0, batch(textRecords(4, `b${n}-`)), 1),
      );
      expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
      for (let i = 0; i < 4; i++) acknowledged.push(`b${n}-${i}`);
    };
    for (let i = 0; i < 5; i++) await produceGood();

    const stats: FuzzStats = { connections: 0, closedByBroker: [], localPorts: [], frames: 0 };
    const logLinesBefore = logLines.length;
    const deadline = Date.now() + FUZZ_MS;
    const workers = Array.from({ length: FUZZ_CONNECTIONS }, (_, i) =>
      fuzzWorker(SEED + i * 7919, deadline, stats),
    );
    const producer = (async () => {
      while (Date.now() < deadline) {
        await produceGood();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all([...workers, producer]);

    // The fuzz did reach the broker's error paths, and the good connection was never dropped.
    expect(stats.closedByBroker.length).toBeGreaterThan(10);
    expect(good.closed).toBe(false);
    await produceGood();

    // Exactly one log line per connection the broker closed, naming that connection; never two for one.
    // (A connection we hung up on just as the broker closed it may have its line too, so that count is ≥.)
    const closeLines = logLines.slice(logLinesBefore).filter((line) => line.startsWith('closing connection'));
    const linesPerPort = new Map<string, number>();
    for (const line of closeLines) {
      const port = /^closing connection \S*:(\d+): /.exec(line)?.[1] ?? line;
      linesPerPort.set(port, (linesPerPort.get(port) ?? 0) + 1);
    }
    // Ports are counted, not assumed unique: the OS may hand one out again once the broker closed it.
    const closesPerPort = new Map<string, number>();
    for (const port of stats.closedByBroker)
      closesPerPort.set(String(port), (closesPerPort.get(String(port)) ?? 0) + 1);
    const usesPerPort = new Map<string, number>();
    for (const port of stats.localPorts)
      usesPerPort.set(String(port), (usesPerPort.get(String(port)) ?? 0) + 1);
    for (const [port, closes] of closesPerPort) expect(linesPerPort.get(port)).toBeGreaterThanOrEqual(closes);
    for (const [port, lines] of linesPerPort) expect(lines).toBeLessThanOrEqual(usesPerPort.get(port) ?? 0);
    expect(closeLines.length).toBeLessThanOrEqual(stats.connections);

    // Every acknowledged record is there, once and in order; nothing corrupt was appended to `fuzz`.
    expect(await readAll(good, 'safe')).toEqual(acknowledged);
    for (const value of await readAll(good, 'fuzz')) expect(value).toMatch(/^(ok|f|g)\d+$/);
    good.close();

    // A normal client still produces and consumes.
    const kafka = new Kafka({
      brokers: [broker.bootstrap],
      clientId: 'kt-fuzz-after',
      logLevel: logLevel.NOTHING,
    });
    const producerClient = kafka.producer();
    await producerClient.connect();
    try {
      await producerClient.send({
        topic: 'after',
        acks: -1,
        messages: Array.from({ length: 20 }, (_, i) => ({ value: `after-${i}` })),
      });
    } finally {
      await producerClient.disconnect();
    }
    const reader = await RawConnection.open(broker.bootstrap);
    try {
      expect(await readAll(reader, 'after')).toEqual(Array.from({ length: 20 }, (_, i) => `after-${i}`));
    } finally {
      reader.close();
    }
  }, 60_000);
});
