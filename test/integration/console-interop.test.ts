// Interop of kt produce / kt consume with kcat (librdkafka) and Apache Kafka's Java ConsoleProducer and
// ConsoleConsumer, including murmur2 placements. Real Kafka only: the point is agreement with Apache Kafka.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
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
  },
  { targets: ['real'] },
);
