// Cold start of the kt CLI: `kt topics list` (a fresh node process: oclif, the protocol client, one
// Metadata round trip) against a real Apache Kafka, vs `kcat -L` (C, librdkafka) and Java's TopicCommand
// --list (JVM start included) doing the same listing in the same run. Targets (issue 6): ≤ 300 ms wall and
// ≥ 5× faster than the Java tool. Runs the built CLI (dist/): build first (`npx tsc -p tsconfig.json`).

import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { commandPeer, defineBench, peer, skipBench, timeCommand } from './lib/index.js';
import { type BenchKafka, startBenchKafka, timeKafkaTool } from './lib/kafka.js';

const KT_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
/** Topics present while listing, so every tool has some metadata to print. */
const TOPICS = 20;

const ktList = (bootstrap: string) => () =>
  timeCommand(process.execPath, [KT_BIN, 'topics', 'list', '--bootstrap-server', bootstrap], {
    env: { NO_COLOR: '1', KT_CONFIG: '/nonexistent/kt-bench-config.yaml' },
    timeoutMs: 60_000,
  });

export default defineBench<BenchKafka & { prefix: string }>({
  description: `cold start: kt topics list vs kcat -L and Java TopicCommand --list, ${TOPICS} topics on a 1-node Kafka`,
  rounds: 5,
  warmup: 1,
  async setup() {
    const kafka = await startBenchKafka({ name: 'bench' });
    const prefix = `kt-cli-bench-${process.pid}`;
    const admin = new kafkajs.Kafka({
      brokers: [kafka.bootstrap],
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      await admin.createTopics({
        topics: Array.from({ length: TOPICS }, (_, i) => ({ topic: `${prefix}-${i}`, numPartitions: 3 })),
        waitForLeaders: true,
      });
    } catch (error) {
      await kafka.stop();
      skipBench(`cannot create the bench topics: ${(error as Error).message}`);
    } finally {
      await admin.disconnect();
    }
    return { ...kafka, prefix };
  },
  async teardown(ctx) {
    const admin = new kafkajs.Kafka({ brokers: [ctx.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(ctx.prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
    await ctx.stop();
  },
  comparisons: (ctx) => [
    {
      label: 'kt topics list vs kcat -L (cold start + metadata)',
      metrics: [{ name: 'topics_list_wall_ms', unit: 'ms', better: 'lower' }],
      kt: { name: 'kt topics list', run: ktList(ctx.bootstrap) },
      peer: commandPeer('kcat -L', 'kcat', () =>
        timeCommand('kcat', ['-L', '-b', ctx.bootstrap, '-m', '10'], { timeoutMs: 60_000 }),
      ),
    },
    {
      label: 'kt topics list vs Java TopicCommand --list',
      metrics: [{ name: 'topics_list_vs_java_wall_ms', unit: 'ms', better: 'lower' }],
      kt: { name: 'kt topics list', run: ktList(ctx.bootstrap) },
      // startBenchKafka already skipped the bench when Java cannot run.
      peer: peer('TopicCommand --list', () =>
        timeKafkaTool('TopicCommand', ['--bootstrap-server', ctx.bootstrap, '--list'], {
          timeoutMs: 120_000,
        }),
      ),
    },
  ],
});
