/**
 * kcat -G (librdkafka's high-level consumer) against the embedded broker (started here, in process):
 * a first run consumes everything and commits on close; a second run of the same group resumes from the
 * committed offsets and sees only the records produced in between. kcat runs as an async child process,
 * since the broker shares this process's event loop.
 */
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { run } from '../broker/data-path-client.js';

const TOPIC = 'kcat-group-topic';
const GROUP = 'kcat-group';

let broker: RunningBroker;
let kafka: InstanceType<typeof kafkajs.Kafka>;

beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  broker.core.topics.create({ name: TOPIC, numPartitions: 3, replicationFactor: -1, configs: {} });
  kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
});

afterAll(async () => {
  await broker?.close();
});

async function produce(values: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  await producer.disconnect();
}

/** One kcat -G run until every assigned partition reached its end (-e); the values it printed. */
async function kcatGroup(group = GROUP, extra: string[] = []): Promise<string[]> {
  const result = await run('timeout', [
    '60',
    'kcat',
    '-b',
    broker.bootstrap,
    '-G',
    group,
    ...extra,
    '-X',
    'auto.offset.reset=earliest',
    '-e',
    '-q',
    '-f',
    '%s\n',
    TOPIC,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('kcat -G', () => {
  it('consumes in a group, commits, and a second run resumes from the committed offsets', async () => {
    const first = Array.from({ length: 50 }, (_, i) => `first-${i}`);
    await produce(first);
    expect((await kcatGroup()).sort()).toEqual([...first].sort());
    const committed = broker.core.groups.coordinator.committedOffsets(GROUP);
    expect(committed.reduce((n, c) => n + c.offset.committedOffset, 0n)).toBe(50n);

    const second = Array.from({ length: 30 }, (_, i) => `second-${i}`);
    await produce(second);
    expect((await kcatGroup()).sort()).toEqual([...second].sort());
    const after = broker.core.groups.coordinator.committedOffsets(GROUP);
    expect(after.reduce((n, c) => n + c.offset.committedOffset, 0n)).toBe(80n);
  });

  for (const strategy of ['roundrobin', 'cooperative-sticky']) {
    it(`consumes with partition.assignment.strategy=${strategy} (assignor metadata passed through)`, async () => {
      const group = `kcat-${strategy}`; // a fresh group reads the 80 records produced above
      const values = await kcatGroup(group, ['-X', `partition.assignment.strategy=${strategy}`]);
      expect(values).toHaveLength(80);
      const [described] = await broker.core.groups.coordinator.describeGroups([group]);
      expect(described!.groupState).toBe('Empty');
      expect(broker.core.groups.coordinator.committedOffsets(group)).toHaveLength(3);
    });
  }
});
