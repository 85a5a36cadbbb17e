/**
 * Topic configs the log core honours apply per topic on the embedded broker: retention.ms deletes whole
 * expired segments (the log start offset advances, seen through ListOffsets by a real client), and
 * cleanup.policy=compact keeps the latest record per key (seen by consuming). The periodic task runs on
 * log.retention.check.interval.ms.
 */
import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';

let broker: RunningBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

function client(bootstrap: string) {
  return new kafkajs.Kafka({
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 2 },
  });
}

async function produce(kafka: ReturnType<typeof client>, topic: string, records: Array<[string, string]>) {
  const producer = kafka.producer();
  await producer.connect();
  // One send per record: one batch each, so small segments roll often.
  for (const [key, value] of records) await producer.send({ topic, messages: [{ key, value }] });
  await producer.disconnect();
}

describe('per-topic retention and compaction on the broker', () => {
  it('retention.ms deletes expired segments and advances the log start offset', async () => {
    broker = await startBroker({ port: 0, config: { 'log.retention.check.interval.ms': 3_600_000 } });
    const kafka = client(broker.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'short-lived', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '200' }] },
      ],
    });
    await produce(
      kafka,
      'short-lived',
      Array.from({ length: 10 }, (_, i) => [`k${i}`, `value-${i}`.padEnd(80, '.')]),
    );
    expect((await admin.fetchTopicOffsets('short-lived'))[0]).toMatchObject({ low: '0', high: '10' });
    // Nothing expires under the default 7 days.
    await broker.core.topics.runBackgroundPass();
    expect((await admin.fetchTopicOffsets('short-lived'))[0]!.low).toBe('0');
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2,
          name: 'short-lived',
          configEntries: [
            { name: 'segment.bytes', value: '200' },
            { name: 'retention.ms', value: '1' },
          ],
        },
      ],
    });
    await new Promise((r) => setTimeout(r, 20));
    await broker.core.topics.runBackgroundPass();
    const after = (await admin.fetchTopicOffsets('short-lived'))[0]!;
    expect(after.high).toBe('10');
    // Whole segments only: the active segment (holding the last batch) stays.
    expect(Number(after.low)).toBeGreaterThan(0);
    expect(Number(after.low)).toBeLessThanOrEqual(10);
    await admin.disconnect();
  });

  it('cleanup.policy=compact keeps the latest value per key', async () => {
    broker = await startBroker({ port: 0 });
    const kafka = client(broker.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'latest-by-key',
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '300' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          ],
        },
      ],
    });
    const records: Array<[string, string]> = [];
    for (let round = 0; round < 5; round++)
      for (const key of ['a', 'b', 'c']) records.push([key, `${key}-${round}`]);
    records.push(['z', 'last']); // rolls the segment holding the last of a/b/c out of the active position
    await produce(kafka, 'latest-by-key', records);
    await broker.core.topics.runBackgroundPass();
    const consumer = kafka.consumer({ groupId: 'compaction-check' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'latest-by-key', fromBeginning: true });
    const seen: Array<[string, string]> = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${JSON.stringify(seen)}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push([message.key!.toString(), message.value!.toString()]);
          if (message.key!.toString() === 'z') {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    await admin.disconnect();
    const latest = new Map(seen);
    expect(latest.get('a')).toBe('a-4');
    expect(latest.get('b')).toBe('b-4');
    expect(latest.get('c')).toBe('c-4');
    // Compaction removed superseded records (16 were written).
    expect(seen.length).toBeLessThan(records.length);
  });

  it('the periodic task runs on log.retention.check.interval.ms without being called', async () => {
    broker = await startBroker({ port: 0, config: { 'log.retention.check.interval.ms': 100 } });
    const kafka = client(broker.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'auto-expiry',
          numPartitions: 1,
          configEntries: [
            { name: 'segment.bytes', value: '200' },
            { name: 'retention.ms', value: '1' },
          ],
        },
      ],
    });
    await produce(
      kafka,
      'auto-expiry',
      Array.from({ length: 6 }, (_, i) => [`k${i}`, 'x'.repeat(80)]),
    );
    let low = '0';
    for (let i = 0; i < 100 && low === '0'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      low = (await admin.fetchTopicOffsets('auto-expiry'))[0]!.low;
    }
    expect(Number(low)).toBeGreaterThan(0);
    await admin.disconnect();
  });
});
