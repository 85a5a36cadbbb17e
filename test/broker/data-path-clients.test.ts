/**
 * Real clients against the embedded broker's data path: kafkajs produce/consume round trips
 * (uncompressed and gzip, the codecs kafkajs has built in) and kcat/librdkafka producing 100k records
 * with each of gzip, snappy, lz4 and zstd, then consuming them with -e. kcat runs as an async child
 * process: the broker shares this process's event loop.
 */
import { existsSync } from 'node:fs';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { decodeRecordBatch, iterateBatches } from '../../src/protocol/record-batch.js';
import { fetchRequest, RawConnection, run } from './data-path-client.js';

const KCAT_RECORDS = 100_000;

let broker: RunningBroker;

beforeAll(async () => {
  broker = await startBroker({ port: 0 });
});

afterAll(async () => {
  await broker?.close();
});

function createTopic(name: string, partitions = 1): void {
  broker.core.topics.create({ name, numPartitions: partitions, replicationFactor: -1, configs: {} });
}

describe('kafkajs', () => {
  for (const [name, compression] of [
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
  ] as const) {
    it(`produces and consumes with compression ${name}`, async () => {
      const topic = `kjs-${name}`;
      createTopic(topic, 2);
      const kafka = new Kafka({
        brokers: [broker.bootstrap],
        clientId: 'kt-data-path',
        logLevel: logLevel.NOTHING,
      });
      const producer = kafka.producer();
      await producer.connect();
      const sent: string[] = [];
      for (let round = 0; round < 5; round++) {
        const messages = Array.from({ length: 40 }, (_, i) => ({
          key: `k${i % 7}`,
          value: `${name}-${round}-${i}`,
        }));
        sent.push(...messages.map((m) => m.value));
        await producer.send({ topic, compression, acks: -1, messages });
      }
      await producer.disconnect();

      // kafkajs consumers need the group APIs (tested with the group coordinator); here the records are
      // counted with kafkajs' ListOffsets and read back with Fetch v12 frames (gzip batches decoded).
      const admin = kafka.admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(sent.length);
      const received: string[] = [];
      const conn = await RawConnection.open(broker.bootstrap);
      for (const o of offsets) {
        const response = await conn.request(
          1,
          12,
          fetchRequest(topic, o.partition, 0n, { partitionMaxBytes: 10_000_000 }),
        );
        for (const b of iterateBatches(response.responses[0]!.partitions[0]!.records!)) {
          const decoded = decodeRecordBatch(b);
          expect(decoded.header.attributes & 0x07).toBe(compression);
          for (const r of decoded.records) received.push(Buffer.from(r.value!).toString());
        }
      }
      conn.close();
      expect(received.sort()).toEqual([...sent].sort());
    });
  }
});

describe('kcat (librdkafka)', () => {
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`produces ${KCAT_RECORDS} records with -z ${codec} and consumes them all with -e`, async () => {
      const topic = `kcat-${codec}`;
      createTopic(topic);
      const lines = Array.from({ length: KCAT_RECORDS }, (_, i) => `record-${i}-${codec}`).join('\n');
      const produced = await run(
        'kcat',
        ['-P', '-b', broker.bootstrap, '-t', topic, '-z', codec, '-X', 'acks=all'],
        `${lines}\n`,
      );
      expect(produced.stderr).not.toMatch(/ERROR/i);
      expect(produced.code).toBe(0);
      expect(broker.core.topics.partition(topic, 0)!.logEndOffset).toBe(BigInt(KCAT_RECORDS));

      const consumed = await run('kcat', [
        '-C',
        '-b',
        broker.bootstrap,
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
      ]);
      expect(consumed.code).toBe(0);
      const out = consumed.stdout.split('\n').filter((l) => l.length > 0);
      expect(out.length).toBe(KCAT_RECORDS);
      expect(out[0]).toBe(`record-0-${codec}`);
      expect(out[KCAT_RECORDS - 1]).toBe(`record-${KCAT_RECORDS - 1}-${codec}`);
    });
  }

  it('acks=0 produce through librdkafka lands in the log', async () => {
    createTopic('kcat-acks0');
    const lines = Array.from({ length: 500 }, (_, i) => `a${i}`).join('\n');
    const produced = await run(
      'kcat',
      ['-P', '-b', broker.bootstrap, '-t', 'kcat-acks0', '-X', 'acks=0'],
      `${lines}\n`,
    );
    expect(produced.code).toBe(0);
    expect(broker.core.topics.partition('kcat-acks0', 0)!.logEndOffset).toBe(500n);
  });

  it('reads by timestamp via ListOffsets (-o s@)', async () => {
    createTopic('kcat-time');
    const produce = (line: string) =>
      run('kcat', ['-P', '-b', broker.bootstrap, '-t', 'kcat-time'], `${line}\n`);
    await produce('early');
    // kcat stamps CreateTime from the wall clock: records produced after `cut` carry timestamps >= it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cut = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await produce('late');
    const consumed = await run('kcat', [
      '-C',
      '-b',
      broker.bootstrap,
      '-t',
      'kcat-time',
      '-o',
      `s@${cut}`,
      '-e',
      '-q',
    ]);
    expect(consumed.stdout.trim().split('\n')).toEqual(['late']);
  });
});

// Debian's python3 carries kafka-python 2.0.2 (Produce <= v7, Fetch v4, ListOffsets v1) and
// confluent-kafka on librdkafka 2.0.2 (idempotent producer: InitProducerId + sequence numbers).
const PYTHON = '/usr/bin/python3';

const KAFKA_PYTHON = `
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
bs, topic = sys.argv[1], sys.argv[2]
p = KafkaProducer(bootstrap_servers=bs, acks='all', compression_type='gzip')
for i in range(300):
    p.send(topic, key=b'k%d' % i, value=b'v%d' % i)
p.flush(); p.close()
c = KafkaConsumer(bootstrap_servers=bs, enable_auto_commit=False, consumer_timeout_ms=3000)
tp = TopicPartition(topic, 0)
c.assign([tp]); c.seek_to_beginning(tp)
values = [m.value.decode() for m in c]
print(len(values), values[0], values[-1], c.end_offsets([tp])[tp])
`;

const CONFLUENT = `
import sys
from confluent_kafka import Producer, Consumer, TopicPartition
bs, topic = sys.argv[1], sys.argv[2]
errors = []
p = Producer({'bootstrap.servers': bs, 'enable.idempotence': True, 'compression.type': 'zstd', 'linger.ms': 5})
for i in range(5000):
    p.produce(topic, value=b'v%d' % i, on_delivery=lambda e, m: errors.append(str(e)) if e else None)
    if i % 500 == 0: p.poll(0)
p.flush(20)
c = Consumer({'bootstrap.servers': bs, 'group.id': 'unused', 'enable.auto.commit': False, 'enable.partition.eof': True})
c.assign([TopicPartition(topic, 0, 0)])
n = 0
while True:
    m = c.poll(10)
    if m is None or (m.error() and m.error().code() == -191): break
    if m.error(): print('error', m.error()); break
    n += 1
c.close()
print(n, len(errors))
`;

describe('python clients', () => {
  it('kafka-python 2.0.2 produces (gzip) and consumes by assignment', async () => {
    createTopic('py-kafka-python');
    const result = await run(PYTHON, ['-c', KAFKA_PYTHON, broker.bootstrap, 'py-kafka-python']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('300 v0 v299 300');
  });

  it('confluent-kafka idempotent producer (zstd) and consumer', async () => {
    createTopic('py-confluent');
    const result = await run(PYTHON, ['-c', CONFLUENT, broker.bootstrap, 'py-confluent']);
    expect(result.stdout.trim()).toBe('5000 0');
    const partition = broker.core.topics.partition('py-confluent', 0)!;
    expect(partition.logEndOffset).toBe(5000n);
    expect(partition.producers.size).toBe(1);
  });
});

// Apache Kafka 4.1.1's Java clients (test/real-kafka/lib): the producer is idempotent by default, so this
// runs InitProducerId, sequence numbers and acks=all; the console consumer with --partition uses assign
// (no group), so Fetch v12 and ListOffsets v7 come from the Java client.
const KAFKA_TOOL = new URL('../real-kafka/tool', import.meta.url).pathname;
const javaLibs = existsSync(new URL('../real-kafka/lib/.pom-hash', import.meta.url));

describe.runIf(javaLibs)('Java clients (Kafka 4.1.1)', () => {
  it('ProducerPerformance (idempotent, acks=all) then ConsoleConsumer by assignment', async () => {
    createTopic('java-perf');
    const records = 20_000;
    const produced = await run(KAFKA_TOOL, [
      'ProducerPerformance',
      '--topic',
      'java-perf',
      '--num-records',
      String(records),
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${broker.bootstrap}`,
      'acks=all',
    ]);
    expect(produced.code).toBe(0);
    expect(produced.stdout).toMatch(new RegExp(`${records} records sent`));
    const partition = broker.core.topics.partition('java-perf', 0)!;
    expect(partition.logEndOffset).toBe(BigInt(records));
    expect(partition.producers.size).toBe(1);

    const consumed = await run(KAFKA_TOOL, [
      'ConsoleConsumer',
      '--bootstrap-server',
      broker.bootstrap,
      '--topic',
      'java-perf',
      '--partition',
      '0',
      '--offset',
      'earliest',
      '--max-messages',
      String(records),
      '--timeout-ms',
      '30000',
    ]);
    expect(consumed.stderr).toMatch(new RegExp(`Processed a total of ${records} messages`));
  });
});
