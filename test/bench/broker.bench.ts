// The embedded broker vs the real Apache Kafka, the same load against both in one run, both persisting to
// disk (kt: `kt broker start --data-dir` in its own process, so the clients never share its event loop;
// Kafka: the harness's `bench` cluster). Loads: kcat/librdkafka producing a file of 100 B and 1 KiB lines,
// Java ProducerPerformance (acks=1, its own records/s, MB/s and p50/p99 latency), kcat draining a filled
// 1-partition topic to /dev/null, and start-up time to answering ApiVersions.
// Sizes: KT_BENCH_BROKER_RECORDS (default 500 000 records of 100 B; a third as many of 1 KiB).
// KT_BENCH_BROKER_ONLY=word keeps only the comparisons whose label contains it (e.g. consume).
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { probeBootstrap, startKafka, stopKafka } from '../real-kafka/harness.js';
import {
  type CaseFn,
  type Comparison,
  defineBench,
  mbPerSec,
  nowMs,
  peer,
  skipBench,
  throughput,
  timeCommand,
  which,
} from './lib/index.js';
import { type BenchKafka, runKafkaTool, startBenchKafka } from './lib/kafka.js';

const RECORDS_SMALL = Number(process.env.KT_BENCH_BROKER_RECORDS ?? 500_000);
const SIZES = [
  { label: '100 B', bytes: 100, records: RECORDS_SMALL },
  { label: '1 KiB', bytes: 1024, records: Math.round(RECORDS_SMALL / 3) },
] as const;
const KT_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const BROKER_START_TIMEOUT_MS = 30_000;
const TOOL_TIMEOUT_MS = 300_000;

interface Target {
  readonly name: string;
  readonly bootstrap: string;
  readonly admin: kafkajs.Admin;
}

interface Ctx {
  dir: string;
  kafka: BenchKafka;
  kt: Target;
  apache: Target;
  ktBroker: ChildProcess;
  files: Map<number, string>;
  /** Per target name and record size: a 1-partition topic filled with that size's records. */
  filled: Map<string, string>;
  seq: number;
}

/** Spawns `kt broker start` and resolves with its bootstrap once it printed its listening line. */
function startKtBroker(
  dataDir: string,
  port: number,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; bootstrap: string }> {
  const child = spawn(
    process.execPath,
    [KT_BIN, 'broker', 'start', '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kt broker did not start within ${BROKER_START_TIMEOUT_MS} ms: ${stderr}`));
    }, BROKER_START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, bootstrap: match[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kt broker exited with ${code}: ${stderr}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function target(name: string, bootstrap: string): Promise<Target> {
  const admin = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  return { name, bootstrap, admin };
}

/** A new 1-partition topic once it has a leader (kafkajs' waitForLeaders gives up too early under load). */
async function freshTopic(ctx: Ctx, t: Target, prefix: string): Promise<string> {
  const topic = `bench-broker-${prefix}-${process.pid}-${++ctx.seq}`;
  await t.admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: false,
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const { topics } = await t.admin.fetchTopicMetadata({ topics: [topic] });
      if ((topics[0]?.partitions[0]?.leader ?? -1) >= 0) return topic;
    } catch (error) {
      if (attempt > 150) throw error;
    }
    if (attempt > 150) throw new Error(`${topic}: no leader after 30 s on ${t.name}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function kcatProduce(bootstrap: string, topic: string, file: string): Promise<number> {
  return timeCommand(
    'kcat',
    ['-P', '-b', bootstrap, '-t', topic, '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-l', file],
    { timeoutMs: TOOL_TIMEOUT_MS },
  );
}

// "500000 records sent, 123456.7 records/sec (11.77 MB/sec), 12.3 ms avg latency, 345.0 ms max latency,
//  10 ms 50th, 20 ms 95th, 30 ms 99th, 40 ms 99.9th."
const PP_SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\).*?(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/;

async function producerPerformance(
  bootstrap: string,
  topic: string,
  records: number,
  recordBytes: number,
): Promise<Record<string, number>> {
  const result = await runKafkaTool(
    'ProducerPerformance',
    [
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(recordBytes),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      'acks=1',
    ],
    { timeoutMs: TOOL_TIMEOUT_MS, jvmOpts: ['-Xms256m', '-Xmx1g'] },
  );
  const lines = result.stdout.split('\n').filter((line) => PP_SUMMARY.test(line));
  const match = PP_SUMMARY.exec(lines.at(-1) ?? '');
  if (result.code !== 0 || !match) {
    throw new Error(
      `ProducerPerformance exit ${result.code}: ${result.stderr.slice(-800)}${result.stdout.slice(-400)}`,
    );
  }
  if (Number(match[1]) !== records) throw new Error(`ProducerPerformance sent ${match[1]} of ${records}`);
  return {
    pp_records_per_s: Number(match[2]),
    // ProducerPerformance's "MB" is 2^20 bytes; reported here in 10^6 like every other figure.
    pp_mb_per_s: (Number(match[3]) * 2 ** 20) / 1e6,
    pp_p50_ms: Number(match[4]),
    pp_p99_ms: Number(match[6]),
  };
}

/** One case per side; `run` gets the target. */
function bothSides(ctx: Ctx, run: (t: Target) => CaseFn): Pick<Comparison, 'kt' | 'peer'> {
  return { kt: { name: 'kt broker', run: run(ctx.kt) }, peer: peer('Apache Kafka 4.1.1', run(ctx.apache)) };
}

export default defineBench<Ctx>({
  description: `kt broker vs Apache Kafka on this machine, both on disk; kcat/librdkafka and Java ProducerPerformance producers, kcat consumer`,
  rounds: 3,
  warmup: 1,
  async setup() {
    if (which('kcat') === null) skipBench('kcat not found on PATH');
    const dir = await mkdtemp(join(tmpdir(), 'kt-bench-broker-'));
    const kafka = await startBenchKafka();
    const env = { KT_CONFIG: join(dir, 'kt-config.yaml') };
    const { child, bootstrap } = await startKtBroker(join(dir, 'kt-data'), 0, env);
    const files = new Map<number, string>();
    for (const size of SIZES) {
      const file = join(dir, `records-${size.bytes}.txt`);
      writeFileSync(file, `${'x'.repeat(size.bytes - 1)}\n`.repeat(size.records));
      files.set(size.bytes, file);
    }
    const ctx: Ctx = {
      dir,
      kafka,
      kt: await target('kt', bootstrap),
      apache: await target('kafka', kafka.bootstrap),
      ktBroker: child,
      files,
      filled: new Map(),
      seq: 0,
    };
    for (const t of [ctx.kt, ctx.apache]) {
      for (const size of SIZES) {
        const topic = await freshTopic(ctx, t, `filled${size.bytes}`);
        await kcatProduce(t.bootstrap, topic, files.get(size.bytes)!);
        ctx.filled.set(`${t.name}/${size.bytes}`, topic);
      }
    }
    return ctx;
  },
  async teardown(ctx) {
    await ctx.kt.admin.disconnect().catch(() => undefined);
    await ctx.apache.admin.disconnect().catch(() => undefined);
    await stopChild(ctx.ktBroker);
    await ctx.kafka.stop();
    await rm(ctx.dir, { recursive: true, force: true });
  },
  comparisons: (ctx) => {
    const list: Comparison[] = [];
    for (const size of SIZES) {
      const bytes = size.records * size.bytes;
      list.push({
        label: `kcat produce ${size.label} x ${size.records}`,
        metrics: [
          { name: `kcat_produce_${size.bytes}b_mb_per_s`, unit: 'MB/s', better: 'higher' },
          { name: `kcat_produce_${size.bytes}b_records_per_s`, unit: 'records/s', better: 'higher' },
        ],
        ...bothSides(ctx, (t) => async () => {
          const topic = await freshTopic(ctx, t, `kcat${size.bytes}`);
          const ms = await kcatProduce(t.bootstrap, topic, ctx.files.get(size.bytes)!);
          return {
            [`kcat_produce_${size.bytes}b_mb_per_s`]: mbPerSec(bytes, ms / 1000),
            [`kcat_produce_${size.bytes}b_records_per_s`]: throughput(size.records, ms / 1000),
          };
        }),
      });
    }
    for (const size of SIZES) {
      const m = (name: string) => `pp_${size.bytes}b_${name}`;
      list.push({
        label: `ProducerPerformance ${size.label} x ${size.records}, acks=1`,
        metrics: [
          { name: m('mb_per_s'), unit: 'MB/s', better: 'higher' },
          { name: m('records_per_s'), unit: 'records/s', better: 'higher' },
          { name: m('p50_ms'), unit: 'ms', better: 'lower' },
          { name: m('p99_ms'), unit: 'ms', better: 'lower' },
        ],
        ...bothSides(ctx, (t) => async () => {
          const topic = await freshTopic(ctx, t, `pp${size.bytes}`);
          const r = await producerPerformance(t.bootstrap, topic, size.records, size.bytes);
          return {
            [m('mb_per_s')]: r.pp_mb_per_s!,
            [m('records_per_s')]: r.pp_records_per_s!,
            [m('p50_ms')]: r.pp_p50_ms!,
            [m('p99_ms')]: r.pp_p99_ms!,
          };
        }),
      });
    }
    for (const size of SIZES) {
      const bytes = size.records * size.bytes;
      list.push({
        label: `kcat consume ${size.label} x ${size.records} to /dev/null`,
        metrics: [
          { name: `consume_${size.bytes}b_mb_per_s`, unit: 'MB/s', better: 'higher' },
          { name: `consume_${size.bytes}b_records_per_s`, unit: 'records/s', better: 'higher' },
        ],
        ...bothSides(ctx, (t) => async () => {
          const topic = ctx.filled.get(`${t.name}/${size.bytes}`)!;
          const ms = await timeCommand(
            'kcat',
            ['-C', '-b', t.bootstrap, '-t', topic, '-e', '-o', 'beginning', '-q'],
            {
              timeoutMs: TOOL_TIMEOUT_MS,
            },
          );
          return {
            [`consume_${size.bytes}b_mb_per_s`]: mbPerSec(bytes, ms / 1000),
            [`consume_${size.bytes}b_records_per_s`]: throughput(size.records, ms / 1000),
          };
        }),
      });
    }
    list.push({
      label: 'start-up to answering ApiVersions (fresh data dir)',
      metrics: [{ name: 'startup_ms', unit: 'ms', better: 'lower' }],
      kt: {
        name: 'kt broker start',
        run: async ({ round, warmup }) => {
          const port = await freePort();
          const dataDir = join(ctx.dir, `kt-start-${warmup ? 'w' : 'r'}${round}`);
          const start = nowMs();
          const child = spawn(
            process.execPath,
            [KT_BIN, 'broker', 'start', '--port', String(port), '--data-dir', dataDir],
            { stdio: 'ignore', env: { ...process.env, KT_CONFIG: join(ctx.dir, 'kt-config.yaml') } },
          );
          try {
            for (;;) {
              if ((await probeBootstrap(`127.0.0.1:${port}`, 1_000)).ok) return nowMs() - start;
              if (child.exitCode !== null) throw new Error(`kt broker start exited with ${child.exitCode}`);
              if (nowMs() - start > BROKER_START_TIMEOUT_MS) throw new Error('kt broker did not start');
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          } finally {
            await stopChild(child);
          }
        },
      },
      // The harness's start: StorageTool format (its own JVM), broker launch, first ApiVersions answer.
      peer: peer('Apache Kafka (harness start)', async ({ round, warmup }) => {
        const name = `ktbenchstart-${process.pid}-${warmup ? 'w' : 'r'}${round}`;
        const start = nowMs();
        try {
          await startKafka({ name, startTimeoutMs: 120_000 });
          return nowMs() - start;
        } finally {
          await stopKafka(name);
        }
      }),
    });
    const only = process.env.KT_BENCH_BROKER_ONLY;
    return only ? list.filter((c) => c.label?.includes(only)) : list;
  },
});
