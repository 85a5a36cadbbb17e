// Capture golden protocol bytes from real peers: Apache Kafka 4.1.1 on one side, kcat (librdkafka),
// kafkajs, Apache Kafka's Java tools and kafka-python on the other, a CaptureProxy in between.
//
//   npx tsx test/tools/capture-golden.ts [--out fixtures/protocol] [--only STEP_PREFIX] [--provenance-only]
//
// Starts its own Kafka (capture-kafka.ts: EXTERNAL and SASL listeners advertised at the proxies' ports so
// clients stay on the proxies), runs the steps below one after another, then writes for each step and each
// (api, version) it saw one request/response pair as annotated hex:
//   fixtures/protocol/<api-name>/v<N>-<step>.{request,response}.hex
// Steps listed with `keep` (the per-codec Produce/Fetch ones) always write those APIs; other pairs are
// written only for the first step of a client family that used that (api, version). fixtures/protocol/
// captures.json lists every file with its step, so golden tests know which records a batch must hold.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { runKafkaTool } from '../real-kafka/tools.js';
import { type CaptureKafka, SASL_PASSWORD, SASL_USER, startCaptureKafka } from './capture-kafka.js';
import { type CapturedExchange, CaptureProxy } from './capture-proxy.js';

const KAFKA_VERSION = 'Apache Kafka 4.1.1';
const KCAT = 'kcat 1.7.1 (librdkafka 2.0.2)';
const KAFKAJS = 'kafkajs 2.2.4';
const JAVA = 'Apache Kafka 4.1.1 Java tools';
const PYTHON = 'kafka-python 2.0.2 (Debian python3-kafka)';

/** Kafka's API names by key, for directory names and annotations. */
export const API_NAMES: Readonly<Record<number, string>> = {
  0: 'Produce',
  1: 'Fetch',
  2: 'ListOffsets',
  3: 'Metadata',
  8: 'OffsetCommit',
  9: 'OffsetFetch',
  10: 'FindCoordinator',
  11: 'JoinGroup',
  12: 'Heartbeat',
  13: 'LeaveGroup',
  14: 'SyncGroup',
  15: 'DescribeGroups',
  16: 'ListGroups',
  17: 'SaslHandshake',
  18: 'ApiVersions',
  19: 'CreateTopics',
  20: 'DeleteTopics',
  21: 'DeleteRecords',
  22: 'InitProducerId',
  23: 'OffsetForLeaderEpoch',
  24: 'AddPartitionsToTxn',
  25: 'AddOffsetsToTxn',
  26: 'EndTxn',
  28: 'TxnOffsetCommit',
  32: 'DescribeConfigs',
  33: 'AlterConfigs',
  35: 'DescribeLogDirs',
  36: 'SaslAuthenticate',
  37: 'CreatePartitions',
  42: 'DeleteGroups',
  43: 'ElectLeaders',
  44: 'IncrementalAlterConfigs',
  46: 'ListPartitionReassignments',
  47: 'OffsetDelete',
  60: 'DescribeCluster',
  69: 'ConsumerGroupDescribe',
  71: 'GetTelemetrySubscriptions',
  75: 'DescribeTopicPartitions',
};

/** 'IncrementalAlterConfigs' -> 'incremental-alter-configs' */
export function apiDirName(apiKey: number): string {
  const name = API_NAMES[apiKey] ?? `api-${apiKey}`;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

type Family = 'kcat' | 'kafkajs' | 'java' | 'kafka-python';

interface Ctx {
  /** Plaintext bootstrap through the proxy. */
  bootstrap: string;
  /** SASL_PLAINTEXT bootstrap through the SASL proxy. */
  saslBootstrap: string;
  tmp: string;
}

interface Step {
  name: string;
  family: Family;
  /** The peer and what it did, for the `# source:` line. */
  source: string;
  /** The command line (or code) for PROVENANCE.md. */
  command: string;
  run(ctx: Ctx): Promise<void>;
  /** APIs this step always writes, even when an earlier step of the family had the same version. */
  keep?: string[];
  /** Records the client sent (Produce) or must read back (Fetch): topic and key/value strings. */
  records?: { topic: string; codec: string; records: { key: string | null; value: string }[] };
}

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/**
 * Values repeat a pattern so that every codec shrinks the batch: librdkafka sends a batch uncompressed
 * when compressing does not make it smaller, which tiny records would trigger.
 */
function records(codec: string, count = 3): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `k${i}`,
    value: `${codec}-value-${i}-${'abcdefgh'.repeat(16)}`,
  }));
}

function run(
  file: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { stdio: 'pipe', env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

async function must(
  what: string,
  result: Promise<{ code: number; stdout: string; stderr: string }>,
): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const java = (ctx: Ctx, tool: string, args: string[], input?: string): Promise<string> =>
  must(
    `${tool} ${args.join(' ')}`,
    runKafkaTool(tool, args, { timeoutMs: 120_000, ...(input === undefined ? {} : { input }) }).then((r) => {
      void ctx;
      return r;
    }),
  );

function kcatSteps(): Step[] {
  const steps: Step[] = [
    {
      name: 'kcat-metadata',
      family: 'kcat',
      source: `${KCAT} -L`,
      command: 'kcat -b PROXY -L',
      run: async (ctx) => {
        await must('kcat -L', run('kcat', ['-b', ctx.bootstrap, '-L']));
      },
    },
  ];
  // Topics are created up front by the Java tool, in a step of its own, so that its frames are not
  // attributed to kcat.
  steps.push({
    name: 'java-create-kcat-topics',
    family: 'java',
    source: `${JAVA}: TopicCommand --create (one partition each)`,
    command: CODECS.map(
      (c) => `TopicCommand --bootstrap-server PROXY --create --topic golden-kcat-${c} --partitions 1`,
    ).join('; '),
    run: async (ctx) => {
      for (const codec of CODECS) {
        await java(ctx, 'TopicCommand', [
          '--bootstrap-server',
          ctx.bootstrap,
          '--create',
          '--topic',
          `golden-kcat-${codec}`,
          '--partitions',
          '1',
        ]);
      }
    },
  });
  for (const codec of CODECS) {
    const topic = `golden-kcat-${codec}`;
    const sent = records(codec);
    const z = codec === 'none' ? [] : ['-z', codec];
    steps.push({
      name: `kcat-produce-${codec}`,
      family: 'kcat',
      source: `${KCAT} -P ${codec === 'none' ? '(uncompressed)' : `-z ${codec}`}`,
      command: `printf 'k0:${codec}-value-0-abcdefgh...\\n...' | kcat -b PROXY -P -t ${topic} -K: -X linger.ms=100 ${z.join(' ')}`,
      keep: ['Produce'],
      records: { topic, codec, records: sent },
      run: async (ctx) => {
        // One batch: all records on stdin at once, flushed at exit.
        const input = sent.map((r) => `${r.key}:${r.value}\n`).join('');
        await must(
          'kcat -P',
          run('kcat', ['-b', ctx.bootstrap, '-P', '-t', topic, '-K:', '-X', 'linger.ms=100', ...z], {
            input,
          }),
        );
      },
    });
    steps.push({
      name: `kcat-consume-${codec}`,
      family: 'kcat',
      source: `${KCAT} -C -e of a topic produced with ${codec}`,
      command: `kcat -b PROXY -C -t ${topic} -o beginning -e`,
      keep: ['Fetch'],
      records: { topic, codec, records: sent },
      run: async (ctx) => {
        const out = await must(
          'kcat -C',
          run('kcat', ['-b', ctx.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']),
        );
        if (!out.includes(`${codec}-value-2-`)) throw new Error(`kcat -C read back ${JSON.stringify(out)}`);
      },
    });
  }
  steps.push({
    name: 'kcat-group',
    family: 'kcat',
    source: `${KCAT} -G golden-kcat-group (balanced consumer, commits on close)`,
    command: 'kcat -b PROXY -G golden-kcat-group golden-kcat-lz4 -o beginning -e',
    run: async (ctx) => {
      await must(
        'kcat -G',
        run(
          'kcat',
          ['-b', ctx.bootstrap, '-G', 'golden-kcat-group', '-o', 'beginning', '-e', '-q', 'golden-kcat-lz4'],
          { timeoutMs: 90_000 },
        ),
      );
    },
  });
  // SCRAM from kcat: Debian's librdkafka 2.0.2 fails SCRAM against Kafka 4.1.1 ("invalid credentials")
  // although kafkajs and the Java tools log in with the same user; SCRAM captures come from kafkajs.
  for (const mechanism of ['PLAIN']) {
    steps.push({
      name: `kcat-sasl-${mechanism.toLowerCase()}`,
      family: 'kcat',
      source: `${KCAT} -L over SASL_PLAINTEXT ${mechanism}`,
      command: `kcat -b SASL_PROXY -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=${mechanism} -X sasl.username=${SASL_USER} -X sasl.password=${SASL_PASSWORD} -L`,
      keep: ['SaslHandshake', 'SaslAuthenticate'],
      run: async (ctx) => {
        await must(
          `kcat SASL ${mechanism}`,
          run('kcat', [
            '-b',
            ctx.saslBootstrap,
            '-X',
            'security.protocol=SASL_PLAINTEXT',
            '-X',
            `sasl.mechanisms=${mechanism}`,
            '-X',
            `sasl.username=${SASL_USER}`,
            '-X',
            `sasl.password=${SASL_PASSWORD}`,
            '-L',
          ]),
        );
      },
    });
  }
  return steps;
}

function kafkajsSteps(): Step[] {
  const client = (ctx: Ctx, clientId: string): Kafka =>
    new Kafka({ clientId, brokers: [ctx.bootstrap], logLevel: logLevel.NOTHING });
  const steps: Step[] = [
    {
      name: 'kafkajs-admin',
      family: 'kafkajs',
      source: `${KAFKAJS} admin: createTopics, describeConfigs, alterConfigs, createPartitions, fetchTopicMetadata`,
      command:
        "admin.createTopics({topics:[{topic:'golden-kafkajs',numPartitions:2}]}); describeConfigs; alterConfigs(retention.ms=7200000); createPartitions(count 3)",
      run: async (ctx) => {
        const admin = client(ctx, 'golden-kafkajs-admin').admin();
        await admin.connect();
        try {
          await admin.createTopics({
            topics: [{ topic: 'golden-kafkajs', numPartitions: 2 }],
            waitForLeaders: true,
          });
          await admin.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: 2, name: 'golden-kafkajs', configNames: ['retention.ms', 'cleanup.policy'] }],
          });
          await admin.alterConfigs({
            validateOnly: false,
            resources: [
              {
                type: 2,
                name: 'golden-kafkajs',
                configEntries: [{ name: 'retention.ms', value: '7200000' }],
              },
            ],
          });
          await admin.createPartitions({ topicPartitions: [{ topic: 'golden-kafkajs', count: 3 }] });
          await admin.fetchTopicMetadata({ topics: ['golden-kafkajs'] });
        } finally {
          await admin.disconnect();
        }
      },
    },
  ];
  for (const codec of ['none', 'gzip'] as const) {
    const topic = `golden-kafkajs-${codec}`;
    const sent = records(codec);
    steps.push({
      name: `kafkajs-produce-${codec}`,
      family: 'kafkajs',
      source: `${KAFKAJS} producer.send compression ${codec} (acks=-1)`,
      command: `producer.send({topic:'${topic}', compression: CompressionTypes.${codec === 'none' ? 'None' : 'GZIP'}, messages:[{key:'k0',value:'${codec}-value-0'},...]})`,
      keep: ['Produce'],
      records: { topic, codec, records: sent },
      run: async (ctx) => {
        const kafka = client(ctx, 'golden-kafkajs-producer');
        const admin = kafka.admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await admin.disconnect();
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({
          topic,
          compression: codec === 'none' ? CompressionTypes.None : CompressionTypes.GZIP,
          messages: sent.map((r) => ({ key: r.key, value: r.value, partition: 0 })),
        });
        await producer.disconnect();
      },
    });
  }
  steps.push({
    name: 'kafkajs-consumer-group',
    family: 'kafkajs',
    source: `${KAFKAJS} consumer group golden-kafkajs-group reading golden-kafkajs-gzip from the beginning`,
    command:
      "consumer({groupId:'golden-kafkajs-group'}).subscribe({topic:'golden-kafkajs-gzip', fromBeginning:true}); run until 3 messages; disconnect",
    keep: ['Fetch'],
    records: { topic: 'golden-kafkajs-gzip', codec: 'gzip', records: records('gzip') },
    run: async (ctx) => {
      const consumer = client(ctx, 'golden-kafkajs-consumer').consumer({
        groupId: 'golden-kafkajs-group',
        heartbeatInterval: 500,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'golden-kafkajs-gzip', fromBeginning: true });
      let seen = 0;
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error('kafkajs consumer: timed out')), 60_000);
        void consumer.run({
          eachMessage: async () => {
            seen++;
            if (seen === 3) {
              clearTimeout(timer);
              // Let a heartbeat and the auto-commit go out before leaving.
              setTimeout(done, 1_500);
            }
          },
        });
      });
      await consumer.disconnect();
    },
  });
  steps.push({
    name: 'kafkajs-transaction',
    family: 'kafkajs',
    source: `${KAFKAJS} transactional producer (transactionalId golden-kafkajs-txn): send, sendOffsets, commit`,
    command:
      "producer({transactionalId:'golden-kafkajs-txn', idempotent:true, maxInFlightRequests:1}).transaction(); send; sendOffsets({consumerGroupId:'golden-kafkajs-group',...}); commit",
    run: async (ctx) => {
      const producer = client(ctx, 'golden-kafkajs-txn').producer({
        transactionalId: 'golden-kafkajs-txn',
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      const txn = await producer.transaction();
      await txn.send({
        topic: 'golden-kafkajs-none',
        messages: [{ key: 'txn', value: 'txn-value', partition: 0 }],
      });
      await txn.sendOffsets({
        consumerGroupId: 'golden-kafkajs-group',
        topics: [{ topic: 'golden-kafkajs-gzip', partitions: [{ partition: 0, offset: '3' }] }],
      });
      await txn.commit();
      await producer.disconnect();
    },
  });
  for (const mechanism of ['scram-sha-256', 'scram-sha-512'] as const) {
    steps.push({
      name: `kafkajs-sasl-${mechanism}`,
      family: 'kafkajs',
      source: `${KAFKAJS} admin over SASL_PLAINTEXT ${mechanism.toUpperCase()}: connect, listTopics`,
      command: `new Kafka({brokers:[SASL_PROXY], sasl:{mechanism:'${mechanism}', username:'${SASL_USER}', password:'${SASL_PASSWORD}'}}).admin(); connect; listTopics`,
      keep: ['SaslHandshake', 'SaslAuthenticate'],
      run: async (ctx) => {
        const admin = new Kafka({
          clientId: 'golden-kafkajs-sasl',
          brokers: [ctx.saslBootstrap],
          logLevel: logLevel.NOTHING,
          sasl:
            mechanism === 'scram-sha-256'
              ? { mechanism, username: SASL_USER, password: SASL_PASSWORD }
              : { mechanism, username: SASL_USER, password: SASL_PASSWORD },
        }).admin();
        await admin.connect();
        try {
          await admin.listTopics();
        } finally {
          await admin.disconnect();
        }
      },
    });
  }
  steps.push({
    name: 'kafkajs-admin-groups',
    family: 'kafkajs',
    source: `${KAFKAJS} admin: listGroups, describeGroups, fetchOffsets, deleteGroups, deleteTopics`,
    command:
      "admin.listGroups(); describeGroups(['golden-kafkajs-group']); fetchOffsets; deleteGroups; deleteTopics(['golden-kafkajs'])",
    run: async (ctx) => {
      const admin = client(ctx, 'golden-kafkajs-admin').admin();
      await admin.connect();
      try {
        await admin.listGroups();
        await admin.describeGroups(['golden-kafkajs-group']);
        await admin.fetchOffsets({ groupId: 'golden-kafkajs-group', topics: ['golden-kafkajs-gzip'] });
        await admin.deleteGroups(['golden-kafkajs-group']);
        await admin.deleteTopics({ topics: ['golden-kafkajs'] });
      } finally {
        await admin.disconnect();
      }
    },
  });
  return steps;
}

function javaSteps(): Step[] {
  const b = (ctx: Ctx): string[] => ['--bootstrap-server', ctx.bootstrap];
  const topic = 'golden-java';
  const zstdTopic = 'golden-java-zstd';
  const sent = records('zstd');
  const step = (
    name: string,
    what: string,
    tool: string,
    args: (ctx: Ctx) => string[],
    extra: Partial<Step> = {},
  ): Step => ({
    name,
    family: 'java',
    source: `${JAVA}: ${what}`,
    command: `${tool} ${args({ bootstrap: 'PROXY', saslBootstrap: 'SASL_PROXY', tmp: 'TMP' }).join(' ')}`,
    run: async (ctx) => {
      await java(ctx, tool, args(ctx));
    },
    ...extra,
  });
  return [
    step('java-api-versions', 'BrokerApiVersionsCommand', 'BrokerApiVersionsCommand', b),
    step('java-topic-create', 'TopicCommand --create', 'TopicCommand', (ctx) => [
      ...b(ctx),
      '--create',
      '--topic',
      topic,
      '--partitions',
      '2',
    ]),
    step('java-topic-describe', 'TopicCommand --describe', 'TopicCommand', (ctx) => [
      ...b(ctx),
      '--describe',
      '--topic',
      topic,
    ]),
    step('java-topic-alter', 'TopicCommand --alter --partitions 3', 'TopicCommand', (ctx) => [
      ...b(ctx),
      '--alter',
      '--topic',
      topic,
      '--partitions',
      '3',
    ]),
    {
      name: 'java-console-producer-zstd',
      family: 'java',
      source: `${JAVA}: ConsoleProducer (idempotent by default) --compression-codec zstd`,
      command: `TopicCommand --create --topic ${zstdTopic} --partitions 1; printf 'k0:zstd-value-0-abcdefgh...\\n...' | ConsoleProducer --bootstrap-server PROXY --topic ${zstdTopic} --property parse.key=true --property key.separator=: --compression-codec zstd --producer-property linger.ms=200`,
      keep: ['Produce', 'InitProducerId'],
      records: { topic: zstdTopic, codec: 'zstd', records: sent },
      run: async (ctx) => {
        await java(ctx, 'TopicCommand', [...b(ctx), '--create', '--topic', zstdTopic, '--partitions', '1']);
        await java(
          ctx,
          'ConsoleProducer',
          [
            ...b(ctx),
            '--topic',
            zstdTopic,
            '--property',
            'parse.key=true',
            '--property',
            'key.separator=:',
            // ConsoleProducer sets compression.type from --compression-codec (default none), overriding
            // a --producer-property.
            '--compression-codec',
            'zstd',
            '--producer-property',
            'linger.ms=200',
          ],
          sent.map((r) => `${r.key}:${r.value}\n`).join(''),
        );
      },
    },
    step(
      'java-console-consumer-group',
      'ConsoleConsumer --group golden-java-group --from-beginning --max-messages 3',
      'ConsoleConsumer',
      (ctx) => [
        ...b(ctx),
        '--topic',
        zstdTopic,
        '--group',
        'golden-java-group',
        '--from-beginning',
        '--max-messages',
        '3',
        '--timeout-ms',
        '60000',
      ],
      { keep: ['Fetch'], records: { topic: zstdTopic, codec: 'zstd', records: sent } },
    ),
    step('java-groups-list', 'ConsumerGroupCommand --list', 'ConsumerGroupCommand', (ctx) => [
      ...b(ctx),
      '--list',
    ]),
    step('java-groups-describe', 'ConsumerGroupCommand --describe', 'ConsumerGroupCommand', (ctx) => [
      ...b(ctx),
      '--describe',
      '--group',
      'golden-java-group',
    ]),
    step(
      'java-groups-reset',
      'ConsumerGroupCommand --reset-offsets --to-earliest --execute',
      'ConsumerGroupCommand',
      (ctx) => [
        ...b(ctx),
        '--reset-offsets',
        '--group',
        'golden-java-group',
        '--topic',
        zstdTopic,
        '--to-earliest',
        '--execute',
      ],
    ),
    step(
      'java-groups-delete-offsets',
      'ConsumerGroupCommand --delete-offsets',
      'ConsumerGroupCommand',
      (ctx) => [...b(ctx), '--delete-offsets', '--group', 'golden-java-group', '--topic', `${zstdTopic}:0`],
    ),
    step('java-groups-delete', 'ConsumerGroupCommand --delete', 'ConsumerGroupCommand', (ctx) => [
      ...b(ctx),
      '--delete',
      '--group',
      'golden-java-group',
    ]),
    step(
      'java-config-alter',
      'ConfigCommand --alter --add-config retention.ms=3600000 (IncrementalAlterConfigs)',
      'ConfigCommand',
      (ctx) => [
        ...b(ctx),
        '--alter',
        '--entity-type',
        'topics',
        '--entity-name',
        topic,
        '--add-config',
        'retention.ms=3600000',
      ],
      { keep: ['IncrementalAlterConfigs'] },
    ),
    step('java-config-describe', 'ConfigCommand --describe', 'ConfigCommand', (ctx) => [
      ...b(ctx),
      '--describe',
      '--entity-type',
      'topics',
      '--entity-name',
      topic,
    ]),
    {
      name: 'java-delete-records',
      family: 'java',
      source: `${JAVA}: DeleteRecordsCommand (${zstdTopic} partition 0 before offset 1)`,
      command: `DeleteRecordsCommand --bootstrap-server PROXY --offset-json-file f.json  # {"partitions":[{"topic":"${zstdTopic}","partition":0,"offset":1}],"version":1}`,
      run: async (ctx) => {
        const file = join(ctx.tmp, 'delete-records.json');
        await writeFile(
          file,
          JSON.stringify({ partitions: [{ topic: zstdTopic, partition: 0, offset: 1 }], version: 1 }),
        );
        await java(ctx, 'org.apache.kafka.tools.DeleteRecordsCommand', [
          ...b(ctx),
          '--offset-json-file',
          file,
        ]);
      },
    },
    step(
      'java-elect-leaders',
      'LeaderElectionCommand --election-type preferred --all-topic-partitions',
      'org.apache.kafka.tools.LeaderElectionCommand',
      (ctx) => [...b(ctx), '--election-type', 'preferred', '--all-topic-partitions'],
    ),
    step('java-log-dirs', 'LogDirsCommand --describe', 'org.apache.kafka.tools.LogDirsCommand', (ctx) => [
      ...b(ctx),
      '--describe',
      '--topic-list',
      topic,
    ]),
    step(
      'java-cluster-id',
      'ClusterTool cluster-id (Admin.describeCluster)',
      'org.apache.kafka.tools.ClusterTool',
      (ctx) => ['cluster-id', ...b(ctx)],
    ),
    step(
      'java-transactional-producer',
      'ProducerPerformance --transactional-id golden-java-txn',
      'ProducerPerformance',
      (ctx) => [
        '--topic',
        'golden-java-txn',
        '--num-records',
        '6',
        '--record-size',
        '16',
        '--throughput',
        '-1',
        '--transactional-id',
        'golden-java-txn',
        '--transaction-duration-ms',
        '50',
        '--producer-props',
        `bootstrap.servers=${ctx.bootstrap}`,
      ],
      { keep: ['InitProducerId', 'AddPartitionsToTxn', 'EndTxn', 'FindCoordinator'] },
    ),
    step('java-topic-delete', 'TopicCommand --delete', 'TopicCommand', (ctx) => [
      ...b(ctx),
      '--delete',
      '--topic',
      'golden-java-txn',
    ]),
  ];
}

const PYTHON_SCRIPT = `
import sys
from kafka import KafkaProducer, KafkaConsumer
b = sys.argv[1]
p = KafkaProducer(bootstrap_servers=b, linger_ms=100)
for i in range(3):
    p.send('golden-python', key=b'k%d' % i, value=b'python-value-%d-' % i + b'abcdefgh' * 16, partition=0)
p.flush(); p.close()
c = KafkaConsumer('golden-python', bootstrap_servers=b, group_id='golden-python-group',
                  auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=20000)
got = []
for m in c:
    got.append(m.value)
    if len(got) == 3:
        break
c.commit(); c.close()
assert got == [b'python-value-%d-' % i + b'abcdefgh' * 16 for i in range(3)], got
print('ok')
`;

function pythonSteps(): Step[] {
  return [
    {
      name: 'python-produce-consume',
      family: 'kafka-python',
      source: `${PYTHON}: KafkaProducer send x3 (uncompressed), KafkaConsumer group golden-python-group, commit`,
      command: `/usr/bin/python3 -c '<PYTHON_SCRIPT in capture-golden.ts>' PROXY`,
      keep: ['Produce'],
      records: { topic: 'golden-python', codec: 'none', records: records('python').map((r) => ({ ...r })) },
      run: async (ctx) => {
        await must(
          'kafka-python',
          run('/usr/bin/python3', ['-c', PYTHON_SCRIPT, ctx.bootstrap], { timeoutMs: 90_000 }),
        );
      },
    },
  ];
}

export const STEPS: Step[] = [...kcatSteps(), ...kafkajsSteps(), ...javaSteps(), ...pythonSteps()];

const HEX_BYTES_PER_LINE = 32;

export function toHexLines(bytes: Buffer): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += HEX_BYTES_PER_LINE) {
    lines.push(bytes.subarray(i, i + HEX_BYTES_PER_LINE).toString('hex'));
  }
  return lines.join('\n');
}

interface FixtureEntry {
  file: string;
  step: string;
  family: Family;
  apiKey: number;
  api: string;
  version: number;
  correlationId: number;
  clientId: string | null;
  hasResponse: boolean;
  records?: Step['records'];
}

/** Picks the exchanges worth keeping: per step, one per (api, version); see PROVENANCE.md for which one. */
function select(steps: Step[], proxy: CaptureProxy[]): { step: Step; exchange: CapturedExchange }[] {
  const all = proxy.flatMap((p) => p.exchanges);
  const seen = new Set<string>();
  const picked: { step: Step; exchange: CapturedExchange }[] = [];
  for (const step of steps) {
    const mine = all.filter((e) => e.label === step.name);
    const groups = new Map<string, CapturedExchange[]>();
    for (const e of mine) {
      const key = `${e.apiKey}/${e.apiVersion}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    for (const [key, list] of groups) {
      const first = list[0]!;
      const api = API_NAMES[first.apiKey] ?? `api-${first.apiKey}`;
      const kept = step.keep?.includes(api) ?? false;
      const familyKey = `${step.family}/${key}`;
      if (!kept && seen.has(familyKey)) continue;
      seen.add(familyKey);
      const answered = list.filter((e) => e.response !== null);
      // The last answer: clients retry past transient errors (COORDINATOR_NOT_AVAILABLE, MEMBER_ID_REQUIRED,
      // …), so the last exchange is the one that worked and carries the interesting body.
      let best = answered.at(-1) ?? first;
      if (first.apiKey === 1 || first.apiKey === 0) {
        // Fetch: the response carrying the most bytes holds the records; Produce: the largest request.
        const size = (e: CapturedExchange): number =>
          first.apiKey === 1 ? (e.response?.length ?? 0) : e.request.length;
        best = list.reduce((a, e) => (size(e) > size(a) ? e : a), best);
      }
      picked.push({ step, exchange: best });
    }
  }
  return picked;
}

async function writeProvenance(outDir: string, date: string): Promise<void> {
  const provenance = [
    '# Provenance of the golden protocol captures',
    '',
    `Captured ${date} with \`npx tsx test/tools/capture-golden.ts\` against ${KAFKA_VERSION} (single-node KRaft,`,
    'test/tools/capture-kafka.ts). Each client talked to Kafka through test/tools/capture-proxy.ts, a byte-for-byte',
    'TCP forwarder that records request frames and pairs them with responses by correlation id. Nothing is',
    "rewritten: the broker's EXTERNAL (PLAINTEXT) and SASL (SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256/512, user",
    `\`${SASL_USER}\`) listeners advertise the proxies' ports, so Metadata keeps clients on the proxies; the broker's`,
    'own traffic uses an INTERNAL listener that is not captured.',
    '',
    'Peers: kcat 1.7.1 with librdkafka 2.0.2 (Debian), kafkajs 2.2.4 (npm), the Apache Kafka 4.1.1 Java tools',
    '(test/real-kafka/lib), kafka-python 2.0.2 (Debian python3-kafka, /usr/bin/python3).',
    '',
    'Layout: `<api>/v<version>-<step>.{request,response}.hex` = the whole frame (int32 size prefix included),',
    '32 bytes a line after `#` comment lines. captures.json indexes every pair with its step, correlation id,',
    'client id and, for Produce/Fetch, the records the client sent. Per step one pair per (api, version);',
    'an (api, version) already captured from the same client family is skipped unless the step exists for it',
    "(Produce/Fetch per codec, SASL). Fetch keeps the step's largest response (the one with records),",
    'Produce the largest request, everything else the last answered exchange.',
    '',
    'Notes:',
    '- Record values repeat a pattern: librdkafka sends a batch uncompressed when compression would not',
    '  shrink it, which tiny records trigger (golden.test.ts checks each batch carries its codec).',
    '- ConsoleProducer takes its codec from --compression-codec (default none), which overrides a',
    '  --producer-property compression.type.',
    '- SCRAM captures come from kafkajs: kcat 1.7.1 / librdkafka 2.0.2 fails SCRAM-SHA-256/512 against',
    '  this Kafka with "invalid credentials" while kafkajs and kt log in with the same user.',
    '- Per step and (api, version) the last answered exchange is kept: clients retry past transient',
    '  errors (COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, MEMBER_ID_REQUIRED), so the last',
    '  one is the exchange that worked.',
    '- `.expect.json` sidecars were drafted by test/tools/golden-expect.ts and checked by hand against the',
    '  steps below (topic and group names, partition indexes, mechanisms, error codes).',
    '- Captures of APIs kt has no schema for (ListPartitionReassignments, ConsumerGroupDescribe,',
    '  DescribeTopicPartitions; sent by the Java tools) are kept; golden.test.ts checks only their framing.',
    '',
    '| step | peer / action | command |',
    '|---|---|---|',
    ...STEPS.map((s) => `| ${s.name} | ${s.source} | \`${s.command.replaceAll('|', '\\|')}\` |`),
    '',
  ].join('\n');
  await writeFile(join(outDir, 'PROVENANCE.md'), provenance);
}

async function writeFixtures(
  outDir: string,
  picked: { step: Step; exchange: CapturedExchange }[],
): Promise<void> {
  const index: FixtureEntry[] = [];
  const date = new Date().toISOString().slice(0, 10);
  for (const { step, exchange: e } of picked) {
    const api = API_NAMES[e.apiKey] ?? `api-${e.apiKey}`;
    const dir = join(outDir, apiDirName(e.apiKey));
    await mkdir(dir, { recursive: true });
    const base = `v${e.apiVersion}-${step.name}`;
    const header = (kind: 'request' | 'response'): string =>
      [
        `# source: ${step.source} against ${KAFKA_VERSION}`,
        `# api: ${api} v${e.apiVersion} ${kind} (api key ${e.apiKey})`,
        `# correlation id: ${e.correlationId}; client id: ${JSON.stringify(e.clientId)}`,
        `# frame: ${kind === 'request' ? e.request.length : (e.response?.length ?? 0)} bytes including the int32 size prefix`,
        `# captured ${date} by test/tools/capture-golden.ts, step ${step.name} (see ../PROVENANCE.md)`,
      ].join('\n');
    await writeFile(join(dir, `${base}.request.hex`), `${header('request')}\n${toHexLines(e.request)}\n`);
    if (e.response) {
      await writeFile(
        join(dir, `${base}.response.hex`),
        `${header('response')}\n${toHexLines(e.response)}\n`,
      );
    }
    const entry: FixtureEntry = {
      file: `${apiDirName(e.apiKey)}/${base}`,
      step: step.name,
      family: step.family,
      apiKey: e.apiKey,
      api,
      version: e.apiVersion,
      correlationId: e.correlationId,
      clientId: e.clientId,
      hasResponse: e.response !== null,
    };
    if (step.records && (e.apiKey === 0 || e.apiKey === 1)) entry.records = step.records;
    index.push(entry);
  }
  index.sort((a, b) => a.file.localeCompare(b.file));
  await writeFile(join(outDir, 'captures.json'), `${JSON.stringify(index, null, 2)}\n`);
  await writeProvenance(outDir, date);
}

async function main(argv: string[]): Promise<number> {
  let outDir = resolve('fixtures/protocol');
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outDir = resolve(argv[++i] ?? '');
    else if (argv[i] === '--only') only = argv[++i];
    else if (argv[i] === '--provenance-only') {
      // Rewrites PROVENANCE.md from the step list without capturing (after editing notes or commands).
      await writeProvenance(outDir, new Date().toISOString().slice(0, 10));
      return 0;
    }
  }
  const steps = STEPS.filter((s) => only === undefined || s.name.startsWith(only));
  const plain = new CaptureProxy({ upstreamHost: '127.0.0.1', upstreamPort: 0 });
  const sasl = new CaptureProxy({ upstreamHost: '127.0.0.1', upstreamPort: 0 });
  const plainPort = await plain.start();
  const saslPort = await sasl.start();
  let kafka: CaptureKafka | undefined;
  const tmp = await mkdtemp(join(tmpdir(), 'kt-capture-'));
  try {
    console.error('starting Kafka ...');
    kafka = await startCaptureKafka({ externalAdvertisedPort: plainPort, saslAdvertisedPort: saslPort });
    plain.setUpstreamPort(kafka.externalPort);
    sasl.setUpstreamPort(kafka.saslPort);
    const ctx: Ctx = { bootstrap: `127.0.0.1:${plainPort}`, saslBootstrap: `127.0.0.1:${saslPort}`, tmp };
    const failed: string[] = [];
    for (const step of steps) {
      plain.setLabel(step.name);
      sasl.setLabel(step.name);
      const started = Date.now();
      try {
        await step.run(ctx);
      } catch (err) {
        // One peer failing must not cost the others' captures; its own frames are not written.
        failed.push(step.name);
        console.error(`${step.name}: FAILED: ${(err as Error).message}`);
        continue;
      }
      console.error(
        `${step.name}: ${plain.byLabel(step.name).length + sasl.byLabel(step.name).length} frames in ${Date.now() - started} ms`,
      );
    }
    plain.setLabel('after');
    sasl.setLabel('after');
    const picked = select(
      steps.filter((s) => !failed.includes(s.name)),
      [plain, sasl],
    );
    await writeFixtures(outDir, picked);
    console.error(`wrote ${picked.length} request/response pairs under ${outDir}`);
    if (failed.length > 0) console.error(`failed steps: ${failed.join(', ')}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await plain.stop();
    await sasl.stop();
    await kafka?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
