/**
 * Apache Kafka 4.1's Java tools (test/real-kafka jars, run asynchronously via runKafkaTool) in consumer
 * groups against the embedded broker (started here, in process; the shared real Kafka is not used):
 * ConsoleConsumer --group consumes and commits, ConsumerGroupCommand --describe shows the committed
 * offsets with no lag, --reset-offsets --to-earliest --execute rewinds them, and a second ConsoleConsumer
 * of the group reads everything again. Skipped when Java is missing.
 */
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { realKafkaUnavailableReason, runKafkaTool } from '../real-kafka/harness.js';

const TOPIC = 'java-group-topic';
const GROUP = 'java-group';
const RECORDS = 10;
const PARTITIONS = 2;

const skipReason = await realKafkaUnavailableReason();
let broker: RunningBroker;

beforeAll(async () => {
  if (skipReason !== undefined) return;
  broker = await startBroker({ port: 0 });
  broker.core.topics.create({ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: -1, configs: {} });
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    messages: Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i}`, value: `java-${i}` })),
  });
  await producer.disconnect();
});

afterAll(async () => {
  await broker?.close();
});

async function consoleConsumer(): Promise<string[]> {
  const result = await runKafkaTool('ConsoleConsumer', [
    '--bootstrap-server',
    broker.bootstrap,
    '--topic',
    TOPIC,
    '--group',
    GROUP,
    '--from-beginning',
    '--max-messages',
    String(RECORDS),
    '--timeout-ms',
    '30000',
  ]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((l) => l !== '');
}

/** ConsumerGroupCommand's table rows for the topic: [partition, current offset, log end, lag]. */
function rows(stdout: string, columns: string[]): string[][] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const header = lines.find((l) => l.includes('PARTITION'));
  expect(header, stdout).toBeDefined();
  const names = header!.trim().split(/\s+/);
  const indexes = columns.map((c) => names.indexOf(c));
  expect(
    indexes.every((i) => i >= 0),
    header,
  ).toBe(true);
  return lines
    .filter((l) => l.trim().split(/\s+/).includes(TOPIC))
    .map((l) => {
      const cells = l.trim().split(/\s+/);
      return indexes.map((i) => cells[i]!);
    })
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

describe.skipIf(skipReason !== undefined)('Java tools in a consumer group', () => {
  it('ConsoleConsumer --group commits; ConsumerGroupCommand describes and resets; the group re-reads', async () => {
    const expected = Array.from({ length: RECORDS }, (_, i) => `java-${i}`).sort();
    expect((await consoleConsumer()).sort()).toEqual(expected);

    const described = await runKafkaTool('ConsumerGroupCommand', [
      '--bootstrap-server',
      broker.bootstrap,
      '--describe',
      '--group',
      GROUP,
    ]);
    expect(described.code, described.stderr).toBe(0);
    const table = rows(described.stdout, ['PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG']);
    expect(table).toHaveLength(PARTITIONS);
    expect(table.reduce((n, r) => n + Number(r[1]), 0)).toBe(RECORDS);
    for (const [, current, end, lag] of table) {
      expect(current).toBe(end);
      expect(lag).toBe('0');
    }

    const reset = await runKafkaTool('ConsumerGroupCommand', [
      '--bootstrap-server',
      broker.bootstrap,
      '--reset-offsets',
      '--group',
      GROUP,
      '--topic',
      TOPIC,
      '--to-earliest',
      '--execute',
    ]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(rows(reset.stdout, ['PARTITION', 'NEW-OFFSET']).map((r) => r[1])).toEqual(['0', '0']);
    const committed = broker.core.groups.coordinator.committedOffsets(GROUP);
    expect(committed.map((c) => c.offset.committedOffset)).toEqual([0n, 0n]);

    expect((await consoleConsumer()).sort()).toEqual(expected);
  }, 240_000); // four JVM starts; each takes several seconds on a loaded machine
});
