// Interop of kt produce / kt consume with kcat (librdkafka) and Apache Kafka's Java ConsoleProducer and
// ConsoleConsumer, and consumer-group behaviour (--group with --exit, resume, SIGINT commits). Real Kafka
// only: the Java tools and kcat talk to the real broker (and the embedded one has no group coordinator yet).
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { KT_BIN } from '../cli/run-kt.js';
import { createTopic, ktOn, parseJsonl } from '../format/console-helpers.js';
import { runKafkaTool } from '../real-kafka/harness.js';
import { describeClusters } from '../support/clusters.js';

const execFileP = promisify(execFile);

describeClusters(
  'kt console interop',
  (cluster) => {
    const kt = ktOn(cluster);

    it('reads what kcat wrote (keys, values, ordered duplicate headers) identically', async () => {
      const topic = cluster.uniqueTopic('from-kcat');
      await createTopic(cluster.kafkajs(), topic, 1);
      const child = execFileP('kcat', [
        '-b',
        cluster.bootstrap,
        '-P',
        '-t',
        topic,
        '-K',
        ':',
        '-H',
        'a=1',
        '-H',
        'a=2',
        '-H',
        'b=',
      ]);
      child.child.stdin!.end('k1:v1\nk2:v2 with spaces\n');
      await child;
      const out = await kt(['consume', topic, '--from-beginning', '--exit', '-o', 'jsonl']);
      const lines = parseJsonl(out.stdout);
      expect(lines.map((l) => [l.key, l.value])).toEqual([
        [{ utf8: 'k1' }, { utf8: 'v1' }],
        [{ utf8: 'k2' }, { utf8: 'v2 with spaces' }],
      ]);
      expect(lines[0]!.headers).toEqual([
        { key: 'a', value: { utf8: '1' } },
        { key: 'a', value: { utf8: '2' } },
        { key: 'b', value: { utf8: '' } },
      ]);
    });

    it('kcat reads what kt wrote, byte for byte (binary value, headers, null key)', async () => {
      const topic = cluster.uniqueTopic('to-kcat');
      await createTopic(cluster.kafkajs(), topic, 1);
      const records = [
        {
          key: { utf8: 'k' },
          value: { base64: Buffer.from([0, 1, 0xff]).toString('base64') },
          headers: [{ key: 'h', value: { utf8: 'x' } }],
        },
        { key: null, value: { utf8: 'plain' }, headers: [] },
      ];
      const produced = await kt(
        ['produce', topic, '--input', 'jsonl'],
        records.map((r) => JSON.stringify(r)).join('\n'),
      );
      expect(produced.code).toBe(0);
      const { stdout } = await execFileP(
        'kcat',
        ['-b', cluster.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k|%S|%h|%s\n'],
        { encoding: 'buffer' },
      );
      expect(Buffer.from(stdout)).toEqual(
        Buffer.concat([Buffer.from('k|3|h=x|'), Buffer.from([0, 1, 0xff]), Buffer.from('\n|5||plain\n')]),
      );
    });

    it('Java ConsoleConsumer reads what kt wrote; kt reads what Java ConsoleProducer wrote', async () => {
      const topic = cluster.uniqueTopic('java');
      await createTopic(cluster.kafkajs(), topic, 1);
      await kt(['produce', topic, '-K', ':'], 'k1:hello\nk2:wörld\n');
      const consumed = await runKafkaTool('ConsoleConsumer', [
        '--bootstrap-server',
        cluster.bootstrap,
        '--topic',
        topic,
        '--from-beginning',
        '--max-messages',
        '2',
        '--timeout-ms',
        '30000',
        '--property',
        'print.key=true',
        '--property',
        'key.separator=|',
      ]);
      expect(consumed.stdout).toBe('k1|hello\nk2|wörld\n');
      const fromJava = cluster.uniqueTopic('from-java');
      await createTopic(cluster.kafkajs(), fromJava, 1);
      const produced = await runKafkaTool(
        'ConsoleProducer',
        [
          '--bootstrap-server',
          cluster.bootstrap,
          '--topic',
          fromJava,
          '--property',
          'parse.key=true',
          '--property',
          'key.separator=:',
        ],
        { input: 'jk1:jv1\njk2:jv2\n' },
      );
      expect(produced.code).toBe(0);
      const out = await kt(['consume', fromJava, '--from-beginning', '--exit', '--format', '%k=%v\\n']);
      expect(out.stdout).toBe('jk1=jv1\njk2=jv2\n');
    });

    it('keyed records from kt land on the partitions Java ConsoleProducer picks (murmur2)', async () => {
      const javaTopic = cluster.uniqueTopic('murmur-java');
      const ktTopic = cluster.uniqueTopic('murmur-kt');
      await createTopic(cluster.kafkajs(), javaTopic, 7);
      await createTopic(cluster.kafkajs(), ktTopic, 7);
      const input = `${Array.from({ length: 60 }, (_, i) => `user-${i * 7919}:v${i}`).join('\n')}\n`;
      const java = await runKafkaTool(
        'ConsoleProducer',
        [
          '--bootstrap-server',
          cluster.bootstrap,
          '--topic',
          javaTopic,
          '--property',
          'parse.key=true',
          '--property',
          'key.separator=:',
        ],
        { input },
      );
      expect(java.code).toBe(0);
      expect((await kt(['produce', ktTopic, '-K', ':'], input)).code).toBe(0);
      const placements = async (topic: string) => {
        const out = await kt(['consume', topic, '--from-beginning', '--exit', '--format', '%k %p\\n']);
        return new Map(
          out.stdout
            .trim()
            .split('\n')
            .map((l) => l.split(' ') as [string, string]),
        );
      };
      const [j, k] = [await placements(javaTopic), await placements(ktTopic)];
      expect(j.size).toBe(60);
      expect(k).toEqual(j);
    });

    it('--group with --exit commits, a second run resumes and exits at once', async () => {
      const topic = cluster.uniqueTopic('group');
      const group = cluster.uniqueGroup('console');
      await createTopic(cluster.kafkajs(), topic, 3);
      await kt(['produce', topic, '--partition', '1'], 'a\nb\nc\n');
      const first = await kt(
        ['consume', topic, '--group', group, '--from-beginning', '--exit'],
        undefined,
        60_000,
      );
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toBe('a\nb\nc\n');
      const admin = cluster.kafkajs().admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const p1 = offsets[0]!.partitions.find((p) => p.partition === 1);
        expect(p1?.offset).toBe('3');
      } finally {
        await admin.disconnect();
      }
      await kt(['produce', topic, '--partition', '0'], 'd\n');
      const second = await kt(['consume', topic, '--group', group, '--exit'], undefined, 60_000);
      expect(second.code).toBe(0);
      expect(second.stdout).toBe('d\n');
    });

    it('SIGINT in a group: clean exit 0 after committing what was printed', async () => {
      const topic = cluster.uniqueTopic('sigint');
      const group = cluster.uniqueGroup('sigint');
      await createTopic(cluster.kafkajs(), topic, 1);
      await kt(['produce', topic], 'one\ntwo\n');
      const child = spawn(
        process.execPath,
        [KT_BIN, 'consume', topic, '--group', group, '--from-beginning'],
        {
          env: {
            ...process.env,
            KT_BOOTSTRAP_SERVER: cluster.bootstrap,
            KT_CONFIG: '/nonexistent',
            NO_COLOR: '1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no output; stdout so far ${JSON.stringify(out)}`)),
          45_000,
        );
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out === 'one\ntwo\n') {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      const admin = cluster.kafkajs().admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        expect(offsets[0]!.partitions[0]?.offset).toBe('2');
      } finally {
        await admin.disconnect();
      }
    });
  },
  { targets: ['real'] },
);
