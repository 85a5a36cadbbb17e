// Console tools on a real Apache Kafka: 1M records of 100 B (99 B + newline per line), produced from a file
// and consumed to /dev/null, kt vs kcat and kt vs Java ConsoleProducer/ConsoleConsumer in the same run.
// Every side is a fresh CLI process timed from spawn to exit (start-up included: that is what a user waits
// for). Produce writes to a fresh 1-partition topic per call; consume reads one pre-filled topic from the
// beginning to its end (kt --exit, kcat -e, ConsoleConsumer --max-messages).
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { commandPeer, defineBench, peer, skipBench, throughput, timeCommand, which } from './lib/index.js';
import { type BenchKafka, startBenchKafka, timeKafkaTool } from './lib/kafka.js';

const RECORDS = 1_000_000;
const LINE = `${'x'.repeat(99)}\n`;
const KT_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

interface Ctx {
  kafka: BenchKafka;
  dir: string;
  file: string;
  filled: string;
  admin: kafkajs.Admin;
  seq: number;
}

/** A new 1-partition topic, once it has a leader (kafkajs' waitForLeaders gives up too early under load). */
async function freshTopic(ctx: Ctx, prefix: string): Promise<string> {
  const topic = `bench-console-${prefix}-${process.pid}-${++ctx.seq}`;
  await ctx.admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: false,
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const { topics } = await ctx.admin.fetchTopicMetadata({ topics: [topic] });
      if ((topics[0]?.partitions[0]?.leader ?? -1) >= 0) return topic;
    } catch (error) {
      if (attempt > 150) throw error;
    }
    if (attempt > 150) throw new Error(`${topic}: no leader after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ktEnv = (ctx: Ctx) => ({
  KT_BOOTSTRAP_SERVER: ctx.kafka.bootstrap,
  KT_CONFIG: join(ctx.dir, 'none.yaml'),
});
const rate = (ms: number) => throughput(RECORDS, ms / 1000);

export default defineBench<Ctx>({
  description: `1M records of 100 B on a real Apache Kafka, produce from a file / consume to /dev/null, records/s (CLI wall time)`,
  rounds: 3,
  warmup: 1,
  async setup() {
    if (which('kcat') === null) skipBench('kcat not found on PATH');
    const kafka = await startBenchKafka();
    const dir = await mkdtemp(join(tmpdir(), 'kt-bench-console-'));
    const file = join(dir, 'records.txt');
    writeFileSync(file, LINE.repeat(RECORDS));
    const admin = new kafkajs.Kafka({
      brokers: [kafka.bootstrap],
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const ctx: Ctx = { kafka, dir, file, filled: '', admin, seq: 0 };
    ctx.filled = await freshTopic(ctx, 'filled');
    await timeCommand('kcat', ['-b', kafka.bootstrap, '-P', '-t', ctx.filled, '-l', file], {
      timeoutMs: 300_000,
    });
    return ctx;
  },
  async teardown(ctx) {
    await ctx.admin.disconnect().catch(() => undefined);
    await rm(ctx.dir, { recursive: true, force: true });
    await ctx.kafka.stop();
  },
  comparisons: (ctx) => {
    const ktProduce = {
      name: 'kt produce --file',
      run: async () => {
        const topic = await freshTopic(ctx, 'kt');
        return rate(
          await timeCommand(process.execPath, [KT_BIN, 'produce', topic, '--file', ctx.file], {
            env: ktEnv(ctx),
            timeoutMs: 300_000,
          }),
        );
      },
    };
    const ktConsume = {
      name: 'kt consume --exit',
      run: async () =>
        rate(
          await timeCommand(process.execPath, [KT_BIN, 'consume', ctx.filled, '--from-beginning', '--exit'], {
            env: ktEnv(ctx),
            timeoutMs: 300_000,
          }),
        ),
    };
    const metric = (name: string) => [{ name, unit: 'records/s', better: 'higher' as const }];
    return [
      {
        label: 'produce 1M x 100 B from a file',
        metrics: metric('produce_records_per_s_vs_kcat'),
        kt: ktProduce,
        peer: commandPeer('kcat -P -l', 'kcat', async () => {
          const topic = await freshTopic(ctx, 'kcat');
          return rate(
            await timeCommand('kcat', ['-b', ctx.kafka.bootstrap, '-P', '-t', topic, '-l', ctx.file], {
              timeoutMs: 300_000,
            }),
          );
        }),
      },
      {
        label: 'produce 1M x 100 B from a file',
        metrics: metric('produce_records_per_s_vs_java'),
        kt: ktProduce,
        peer: peer('Java ConsoleProducer', async () => {
          const topic = await freshTopic(ctx, 'java');
          return rate(
            await timeKafkaTool(
              'ConsoleProducer',
              ['--bootstrap-server', ctx.kafka.bootstrap, '--topic', topic],
              {
                stdinFile: ctx.file,
                timeoutMs: 300_000,
              },
            ),
          );
        }),
      },
      {
        label: 'consume 1M x 100 B to /dev/null',
        metrics: metric('consume_records_per_s_vs_kcat'),
        kt: ktConsume,
        peer: commandPeer('kcat -C -e', 'kcat', async () =>
          rate(
            await timeCommand(
              'kcat',
              ['-b', ctx.kafka.bootstrap, '-C', '-t', ctx.filled, '-o', 'beginning', '-e', '-q'],
              {
                timeoutMs: 300_000,
              },
            ),
          ),
        ),
      },
      {
        label: 'consume 1M x 100 B to /dev/null',
        metrics: metric('consume_records_per_s_vs_java'),
        kt: ktConsume,
        peer: peer('Java ConsoleConsumer', async () =>
          rate(
            await timeKafkaTool(
              'ConsoleConsumer',
              [
                '--bootstrap-server',
                ctx.kafka.bootstrap,
                '--topic',
                ctx.filled,
                '--from-beginning',
                '--max-messages',
                String(RECORDS),
                '--timeout-ms',
                '60000',
              ],
              { timeoutMs: 300_000 },
            ),
          ),
        ),
      },
    ];
  },
});
