/**
 * Idempotent producers over raw Produce frames: duplicates acknowledged with their original offsets and
 * not appended twice, OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, and the state surviving a
 * restart (from the clean-shutdown snapshot, and from a scan of batch headers when there is none).
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { PRODUCER_SNAPSHOT_FILE, ProducerStateManager } from '../../src/broker/producer-state.js';
import { ErrorCode } from '../../src/errors/codes.generated.js';
import {
  batch,
  fetchRequest,
  produceRequest,
  RawConnection,
  startKillableBroker,
  textRecords,
} from './data-path-client.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function initProducerId(conn: RawConnection): Promise<{ producerId: bigint; producerEpoch: number }> {
  const response = await conn.request(22, 4, {
    transactionalId: null,
    transactionTimeoutMs: 60_000,
    producerId: -1n,
    producerEpoch: -1,
    enable2Pc: false,
    keepPreparedTxn: false,
  });
  expect(response.errorCode).toBe(0);
  return { producerId: response.producerId, producerEpoch: response.producerEpoch };
}

function idempotentBatch(
  producerId: bigint,
  producerEpoch: number,
  baseSequence: number,
  n: number,
  tag = 'x',
) {
  return batch(textRecords(n, tag), { producerId, producerEpoch, baseSequence });
}

async function send(conn: RawConnection, topic: string, records: Uint8Array) {
  const response = await conn.request(0, 9, produceRequest(topic, 0, records));
  return response.responses[0]!.partitionResponses[0]!;
}

async function start(dataDir: string): Promise<{ broker: RunningBroker; conn: RawConnection }> {
  const broker = await startBroker({ port: 0, dataDir });
  return { broker, conn: await RawConnection.open(broker.bootstrap) };
}

describe('idempotent producer', () => {
  it('dedups retries, rejects gaps and stale epochs', async () => {
    const { broker, conn } = await start(mkdtempSync(join(tmpdir(), 'kt-idem-')));
    dirs.push(broker.dataDir!);
    try {
      broker.core.topics.create({ name: 'idem', numPartitions: 1, replicationFactor: -1, configs: {} });
      const { producerId, producerEpoch } = await initProducerId(conn);
      expect(producerEpoch).toBe(0);
      const other = await initProducerId(conn);
      expect(other.producerId).not.toBe(producerId);

      const first = idempotentBatch(producerId, 0, 0, 3, 'a');
      expect(await send(conn, 'idem', Buffer.from(first))).toMatchObject({ errorCode: 0, baseOffset: 0n });
      expect(await send(conn, 'idem', idempotentBatch(producerId, 0, 3, 2, 'b'))).toMatchObject({
        baseOffset: 3n,
      });
      // A retry of the first batch (still among the last 5) gets its original offset and is not appended.
      expect(await send(conn, 'idem', Buffer.from(first))).toMatchObject({ errorCode: 0, baseOffset: 0n });
      expect(broker.core.topics.partition('idem', 0)!.logEndOffset).toBe(5n);
      // A corrupt copy of a retained batch is CORRUPT_MESSAGE, not a duplicate (the CRC comes first).
      const corruptCopy = Buffer.from(first);
      corruptCopy[corruptCopy.length - 1]! ^= 0x55;
      expect((await send(conn, 'idem', corruptCopy)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
      // A gap: next expected sequence is 5.
      const gap = await send(conn, 'idem', idempotentBatch(producerId, 0, 7, 1));
      expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(gap.logStartOffset).toBe(0n);
      // Overlapping but not identical to a retained batch: out of order as well.
      const overlap = await send(conn, 'idem', idempotentBatch(producerId, 0, 1, 3));
      expect(overlap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(broker.core.topics.partition('idem', 0)!.logEndOffset).toBe(5n);
      // A new epoch must start at 0; after it, the old epoch is fenced.
      const badNewEpoch = await send(conn, 'idem', idempotentBatch(producerId, 1, 5, 1));
      expect(badNewEpoch.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(await send(conn, 'idem', idempotentBatch(producerId, 1, 0, 1))).toMatchObject({
        errorCode: 0,
        baseOffset: 5n,
      });
      const stale = await send(conn, 'idem', idempotentBatch(producerId, 0, 5, 1));
      expect(stale.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
      // Producers are independent; a producer the broker has no state for may start anywhere (as Kafka).
      expect(await send(conn, 'idem', idempotentBatch(other.producerId, 0, 0, 1))).toMatchObject({
        baseOffset: 6n,
      });
      // The log holds every accepted batch exactly once.
      const fetched = await conn.request(1, 12, fetchRequest('idem', 0, 0n));
      expect(fetched.responses[0]!.partitions[0]!.highWatermark).toBe(7n);
    } finally {
      conn.close();
      await broker.close();
    }
  });

  it('only the last 5 batches are remembered', async () => {
    const broker = await startBroker({ port: 0 });
    const conn = await RawConnection.open(broker.bootstrap);
    try {
      broker.core.topics.create({ name: 'idem5', numPartitions: 1, replicationFactor: -1, configs: {} });
      const { producerId } = await initProducerId(conn);
      const batches = Array.from({ length: 6 }, (_, i) => idempotentBatch(producerId, 0, i, 1));
      for (const b of batches) await send(conn, 'idem5', Buffer.from(b));
      // The 2nd batch is still retained; the 1st has been evicted and now reads as out of order.
      expect(await send(conn, 'idem5', Buffer.from(batches[1]!))).toMatchObject({
        errorCode: 0,
        baseOffset: 1n,
      });
      const evicted = await send(conn, 'idem5', Buffer.from(batches[0]!));
      expect(evicted.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(broker.core.topics.partition('idem5', 0)!.logEndOffset).toBe(6n);
    } finally {
      conn.close();
      await broker.close();
    }
  });

  for (const mode of ['snapshot', 'header scan'] as const) {
    it(`a restart keeps data and dedup state (${mode}) and never reuses a producer id`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kt-idem-restart-'));
      dirs.push(dataDir);
      let { broker, conn } = await start(dataDir);
      broker.core.topics.create({ name: 'keep', numPartitions: 1, replicationFactor: -1, configs: {} });
      const { producerId } = await initProducerId(conn);
      const sent: Uint8Array[] = [];
      for (let seq = 0; seq < 8; seq += 2) {
        const b = idempotentBatch(producerId, 0, seq, 2, `s${seq}-`);
        sent.push(Buffer.from(b));
        await send(conn, 'keep', b);
      }
      conn.close();
      await broker.close();
      if (mode === 'header scan') unlinkSync(join(dataDir, 'keep-0', PRODUCER_SNAPSHOT_FILE));

      ({ broker, conn } = await start(dataDir));
      try {
        expect(broker.core.topics.partition('keep', 0)!.logEndOffset).toBe(8n);
        // Retries of batches sent before the restart are recognised.
        expect(await send(conn, 'keep', Buffer.from(sent[3]!))).toMatchObject({
          errorCode: 0,
          baseOffset: 6n,
        });
        expect(await send(conn, 'keep', Buffer.from(sent[0]!))).toMatchObject({
          errorCode: 0,
          baseOffset: 0n,
        });
        expect(broker.core.topics.partition('keep', 0)!.logEndOffset).toBe(8n);
        const gap = await send(conn, 'keep', idempotentBatch(producerId, 0, 11, 1));
        expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        expect(await send(conn, 'keep', idempotentBatch(producerId, 0, 8, 1))).toMatchObject({
          baseOffset: 8n,
        });
        // A new producer after the restart gets an id never handed out before.
        const fresh = await initProducerId(conn);
        expect(fresh.producerId).toBeGreaterThan(producerId);
        expect(await send(conn, 'keep', idempotentBatch(fresh.producerId, 0, 0, 1))).toMatchObject({
          baseOffset: 9n,
        });
      } finally {
        conn.close();
        await broker.close();
      }
    });
  }

  it('after a SIGKILL (fsync per append) acknowledged data and dedup state survive', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-idem-kill-'));
    dirs.push(dataDir);
    const { bootstrap, kill } = await startKillableBroker({ dataDir, topic: 'killed', partitions: 1 });
    const conn = await RawConnection.open(bootstrap);
    const { producerId } = await initProducerId(conn);
    const sent: Uint8Array[] = [];
    for (let seq = 0; seq < 6; seq += 3) {
      const b = idempotentBatch(producerId, 0, seq, 3, `kill${seq}-`);
      sent.push(Buffer.from(b));
      expect((await send(conn, 'killed', b)).errorCode).toBe(0);
    }
    await kill();
    conn.close();

    const restarted = await start(dataDir);
    try {
      expect(restarted.broker.core.topics.partition('killed', 0)!.logEndOffset).toBe(6n);
      expect(await send(restarted.conn, 'killed', Buffer.from(sent[1]!))).toMatchObject({
        errorCode: 0,
        baseOffset: 3n,
      });
      expect(restarted.broker.core.topics.partition('killed', 0)!.logEndOffset).toBe(6n);
      expect((await initProducerId(restarted.conn)).producerId).not.toBe(producerId);
    } finally {
      restarted.conn.close();
      await restarted.broker.close();
    }
  });

  it('a kafkajs idempotent producer round-trips', async () => {
    const broker = await startBroker({ port: 0 });
    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'kt-idem', logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      broker.core.topics.create({ name: 'kjs-idem', numPartitions: 1, replicationFactor: -1, configs: {} });
      await producer.connect();
      for (let i = 0; i < 5; i++) {
        await producer.send({
          topic: 'kjs-idem',
          messages: [{ key: `k${i}`, value: `v${i}` }, { value: `w${i}` }],
        });
      }
      const partition = broker.core.topics.partition('kjs-idem', 0)!;
      expect(partition.logEndOffset).toBe(10n);
      expect(partition.producers.size).toBe(1);
    } finally {
      await producer.disconnect();
      await broker.close();
    }
  });
});

describe('ProducerStateManager', () => {
  const info = (producerId: bigint, baseSequence: number, lastOffsetDelta = 0, producerEpoch = 0) => ({
    producerId,
    producerEpoch,
    baseSequence,
    lastOffsetDelta,
  });

  it('wraps sequences after 2^31-1', () => {
    const state = new ProducerStateManager();
    state.update(info(1n, 0x7ffffffe, 1), 0n, 0n);
    expect(state.check(info(1n, 0), 't-0')).toEqual({ kind: 'append' });
    expect(state.check(info(1n, 1), 't-0').kind).toBe('error');
    expect(state.check(info(1n, 0x7ffffffe, 1), 't-0').kind).toBe('duplicate');
  });

  it('forgets producers silent for producer.id.expiration.ms and those below the log start', () => {
    const state = new ProducerStateManager();
    state.update(info(1n, 0), 0n, 1_000n);
    state.update(info(2n, 0), 1n, 55_000n);
    state.removeExpired(60_000, 10_000);
    expect(state.entry(1n)).toBeUndefined();
    expect(state.entry(2n)).toBeDefined();
    state.truncateHead(2n);
    expect(state.size).toBe(0);
  });
});
