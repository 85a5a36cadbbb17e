// `kt offsets` and `kt records delete` end to end against each cluster target: offsets by earliest,
// latest, max-timestamp and a time; DeleteRecords by offset and --before a time (dry run first), the
// confirmation rule, bad input. JSON shapes are snapshotted in fixtures/cli/.

import { expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, ktAt } from '../cli/run-kt.js';
import { describeClusters } from '../support/clusters.js';
import { expectShape } from './topics-shapes.js';

const RECORDS = 10;
/** Record i has timestamp T0 + i seconds. */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describeClusters('kt offsets and records', (cluster) => {
  const { kt, ktJson } = ktAt(cluster);
  type Offsets = {
    offsets: Array<{ topic: string; partition: number; offset: number | null; timestamp: number | null }>;
  };

  async function topicWithRecords(prefix: string): Promise<string> {
    const topic = cluster.uniqueTopic(prefix);
    const kafka = cluster.kafkajs();
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .createTopics({
        // The records carry fixed 2026-01-01 timestamps: without retention.ms=-1 the broker's periodic
        // retention check (every 5 min) may delete them mid-test as older than the 7-day default.
        topics: [
          {
            topic,
            numPartitions: 2,
            replicationFactor: 1,
            configEntries: [{ name: 'retention.ms', value: '-1' }],
          },
        ],
        waitForLeaders: true,
      })
      .finally(() => admin.disconnect());
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: Array.from({ length: RECORDS }, (_, i) => ({
          partition: 0,
          value: `v${i}`,
          timestamp: String(T0 + i * 1000),
        })),
      });
    } finally {
      await producer.disconnect();
    }
    return topic;
  }

  it(
    'looks up offsets by earliest, latest, max-timestamp and time',
    async () => {
      const t = await topicWithRecords('offsets');
      const at = async (time: string, spec = t) =>
        ((await ktJson('offsets', spec, '--time', time)) as Offsets).offsets;
      const latest = (await ktJson('offsets', t)) as Offsets & { time: string; timestamp: number };
      expect(latest).toMatchObject({ time: 'latest', timestamp: -1 });
      expect(latest.offsets).toEqual([
        { topic: t, partition: 0, offset: RECORDS, timestamp: null },
        { topic: t, partition: 1, offset: 0, timestamp: null },
      ]);
      expectShape('offsets', { ...latest, offsets: [{ topic: t, partition: 0, offset: 1, timestamp: 1 }] });
      expect((await at('earliest', `${t}:0`)).map((o) => o.offset)).toEqual([0]);
      expect(await at('max-timestamp', `${t}:0`)).toEqual([
        { topic: t, partition: 0, offset: RECORDS - 1, timestamp: T0 + (RECORDS - 1) * 1000 },
      ]);
      expect(await at(String(T0 + 5000), `${t}:0`)).toEqual([
        { topic: t, partition: 0, offset: 5, timestamp: T0 + 5000 },
      ]);
      expect(await at(new Date(T0 + 4500).toISOString(), `${t}:0`)).toEqual([
        { topic: t, partition: 0, offset: 5, timestamp: T0 + 5000 },
      ]);
      expect(await at('-1h', `${t}:0`)).toEqual([{ topic: t, partition: 0, offset: null, timestamp: null }]);
      const table = await kt('offsets', `${t}:0`, '--time', 'earliest');
      expect(table.stdout).toMatch(new RegExp(`^TOPIC +PARTITION +OFFSET +TIMESTAMP\\n${t} +0 +0`));
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'deletes records by offset and before a time, dry run first',
    async () => {
      const t = await topicWithRecords('records');
      const dry = await ktJson('records', 'delete', `${t}:0=3`, '--dry-run');
      expect(dry).toEqual({
        dryRun: true,
        partitions: [{ topic: t, partition: 0, offset: 3, lowWatermarkBefore: 0, lowWatermark: 3 }],
      });
      expectShape('records-delete', dry);
      const refused = await kt('records', 'delete', `${t}:0=3`);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/pass --yes to confirm/);
      expect(((await ktJson('offsets', `${t}:0`, '--time', 'earliest')) as Offsets).offsets[0]!.offset).toBe(
        0,
      );

      const done = await ktJson('records', 'delete', `${t}:0=3`, '--yes');
      expect(done).toEqual({
        dryRun: false,
        partitions: [{ topic: t, partition: 0, offset: 3, lowWatermarkBefore: 0, lowWatermark: 3 }],
      });
      expect(((await ktJson('offsets', `${t}:0`, '--time', 'earliest')) as Offsets).offsets[0]!.offset).toBe(
        3,
      );

      const before = await ktJson('records', 'delete', t, '--before', String(T0 + 7000), '--yes');
      expect(before).toEqual({
        dryRun: false,
        partitions: [
          { topic: t, partition: 0, offset: 7, lowWatermarkBefore: 3, lowWatermark: 7 },
          { topic: t, partition: 1, offset: -1, lowWatermarkBefore: 0, lowWatermark: 0 },
        ],
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'rejects bad input with one error line',
    async () => {
      const t = await topicWithRecords('offsets-bad');
      const cases: Array<{ args: string[]; code: number; message: RegExp }> = [
        { args: ['offsets', `${t}-missing`], code: 1, message: /does not exist/ },
        { args: ['offsets', `${t}:7`], code: 1, message: /has no partition 7/ },
        { args: ['offsets', t, '--time', 'yesterday'], code: 2, message: /--time yesterday: expected/ },
        {
          args: ['records', 'delete', `${t}:0=100`, '--yes'],
          code: 2,
          message: /above the high watermark 10/,
        },
        {
          args: ['records', 'delete', `${t}=5`, '--yes'],
          code: 2,
          message: /expected TOPIC:PARTITION=OFFSET/,
        },
      ];
      const results = await Promise.all(cases.map((c) => kt(...c.args)));
      for (const [i, c] of cases.entries()) {
        const r = results[i]!;
        expect({ args: c.args, code: r.code }).toEqual({ args: c.args, code: c.code });
        expect(r.stderr).toMatch(c.message);
        expect(
          r.stderr
            .trim()
            .split('\n')
            .filter((l) => !l.startsWith('Hint:')).length,
        ).toBe(1);
      }
      expect(((await ktJson('offsets', `${t}:0`, '--time', 'earliest')) as Offsets).offsets[0]!.offset).toBe(
        0,
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
