// First integration test: kafkajs creates a topic, produces and consumes keyed records with headers, and
// kcat (librdkafka, an independent client) sees the topic with its partitions. Runs once per target.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KafkaMessage } from 'kafkajs';
import { expect, it } from 'vitest';
import { describeClusters } from '../support/clusters.js';

const execFileP = promisify(execFile);
const RECORD_COUNT = 10;
const CONSUME_TIMEOUT_MS = 30_000;

describeClusters('kafkajs smoke', (cluster) => {
  let smokeTopic: string | undefined;

  it('creates a 3-partition topic, round-trips 10 records with keys and headers, and kcat lists it', async () => {
    const topic = cluster.uniqueTopic('smoke');
    smokeTopic = topic;
    const kafka = cluster.kafkajs();

    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      expect(created).toBe(true);
    } finally {
      await admin.disconnect();
    }

    const sent = Array.from({ length: RECORD_COUNT }, (_, i) => ({
      key: `key-${i}`,
      value: `value-${i}`,
      headers: { index: String(i), origin: 'kt-smoke' },
    }));
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: sent });
    } finally {
      await producer.disconnect();
    }

    const received: KafkaMessage[] = [];
    const consumer = kafka.consumer({ groupId: cluster.uniqueGroup('smoke') });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`only ${received.length}/${RECORD_COUNT} records within ${CONSUME_TIMEOUT_MS} ms`),
            ),
          CONSUME_TIMEOUT_MS,
        );
        consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push(message);
              if (received.length >= RECORD_COUNT) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }

    const got = received
      .map((m) => ({
        key: m.key?.toString() ?? null,
        value: m.value?.toString() ?? null,
        headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, v?.toString()])),
      }))
      .sort((a, b) => Number(a.headers.index) - Number(b.headers.index));
    expect(got).toEqual(sent);

    const { stdout } = await execFileP('kcat', ['-b', cluster.bootstrap, '-L', '-J', '-t', topic], {
      timeout: 30_000,
    });
    const metadata = JSON.parse(stdout) as { topics: { topic: string; partitions: unknown[] }[] };
    const listed = metadata.topics.find((t) => t.topic === topic);
    expect(listed?.partitions).toHaveLength(3);
  });

  // Relies on running after the test above (vitest runs a file's tests in order): the fixture's afterEach
  // must have deleted the topic that test named with uniqueTopic().
  it('the fixture deleted the previous test topic', async () => {
    expect(smokeTopic).toBeDefined();
    const deadline = Date.now() + 15_000;
    let topics: string[] = [];
    do {
      const { stdout } = await execFileP('kcat', ['-b', cluster.bootstrap, '-L', '-J'], { timeout: 30_000 });
      topics = (JSON.parse(stdout) as { topics: { topic: string }[] }).topics.map((t) => t.topic);
      if (!topics.includes(smokeTopic as string)) break;
      await new Promise((resolve) => setTimeout(resolve, 250)); // deletion reaches the metadata cache async
    } while (Date.now() < deadline);
    expect(topics).not.toContain(smokeTopic);
  });
});
