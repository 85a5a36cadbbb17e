// `kt topics` end to end through the built binary, against each cluster target: create (all or nothing,
// dry run, if-not-exists), list, describe (table and JSON, health filters), alter, delete (confirmation
// rules), the kafka-topics.sh flag form giving identical JSON, bad input (one error line, exit 1/2,
// nothing half-done), an unreachable bootstrap server, and on the real Kafka agreement with Java's
// TopicCommand --describe. JSON shapes are snapshotted in fixtures/cli/.

import { expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, ktAt, runKt } from '../cli/run-kt.js';
import { runKafkaTool } from '../real-kafka/harness.js';
import { describeClusters } from '../support/clusters.js';
import { expectShape } from './topics-shapes.js';

describeClusters('kt topics', (cluster) => {
  const { kt, ktJson } = ktAt(cluster);

  it(
    'creates topics, lists and describes them (table and JSON), alters and deletes them',
    async () => {
      const a = cluster.uniqueTopic('create-a');
      const b = cluster.uniqueTopic('create-b');
      const created = await ktJson(
        'topics',
        'create',
        a,
        b,
        '--partitions',
        '3',
        '--replication-factor',
        '1',
        '--config',
        'retention.ms=123456',
      );
      expect(created).toEqual({
        dryRun: false,
        topics: [a, b].map((name) => ({
          name,
          partitions: 3,
          replicationFactor: 1,
          configs: { 'retention.ms': '123456' },
          status: 'created',
        })),
      });
      expectShape('topics-create', created);

      const listed = (await ktJson('topics', 'list', '--regex', `${a}|${b}`)) as { topics: unknown[] };
      expect(listed.topics).toEqual(
        [a, b].map((name) => ({ name, partitions: 3, replicationFactor: 1, internal: false })),
      );
      expectShape('topics-list', listed);
      const table = await kt('topics', 'list', '--regex', a);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(new RegExp(`^TOPIC +PARTITIONS +REPLICATION-FACTOR\\n${a} +3 +1\\n$`));

      const described = (await ktJson('topics', 'describe', a)) as { topics: Array<Record<string, unknown>> };
      expect(described.topics).toHaveLength(1);
      const topic = described.topics[0]!;
      expect(topic).toMatchObject({ name: a, partitionCount: 3, replicationFactor: 1, internal: false });
      expect(topic.configs).toMatchObject({ 'retention.ms': '123456' });
      expect(topic.partitions).toEqual(
        [0, 1, 2].map((partition) =>
          expect.objectContaining({
            partition,
            replicas: [expect.any(Number)],
            logStartOffset: 0,
            highWatermark: 0,
          }),
        ),
      );
      expectShape('topics-describe', described);
      const describeTable = await kt('topics', 'describe', a);
      expect(describeTable.stdout).toContain(`Topic: ${a}\tTopicId: `);
      expect(describeTable.stdout).toContain('PartitionCount: 3\tReplicationFactor: 1\tConfigs: ');
      expect(describeTable.stdout).toMatch(
        /PARTITION +LEADER +REPLICAS +ISR +LOG-START +HIGH-WATERMARK +STATUS/,
      );

      const altered = await ktJson(
        'topics',
        'alter',
        a,
        '--partitions',
        '5',
        '--config',
        'retention.ms=999',
        '--delete-config',
        'cleanup.policy',
      );
      expect(altered).toMatchObject({
        dryRun: false,
        topic: a,
        partitions: { before: 3, after: 5 },
        configs: [
          { name: 'retention.ms', op: 'set', before: '123456', after: '999' },
          { name: 'cleanup.policy', op: 'delete' },
        ],
      });
      expectShape('topics-alter', altered);
      const afterAlter = (await ktJson('topics', 'list', '--regex', a)) as {
        topics: Array<{ partitions: number }>;
      };
      expect(afterAlter.topics[0]!.partitions).toBe(5);

      const deleted = await ktJson('topics', 'delete', a, b, '--yes');
      expect(deleted).toEqual({
        dryRun: false,
        topics: [a, b].sort().map((name) => ({ name, status: 'deleted' })),
      });
      expectShape('topics-delete', deleted);
      const gone = (await ktJson('topics', 'list', '--regex', `${a}|${b}`)) as { topics: unknown[] };
      expect(gone.topics).toEqual([]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'the kafka-topics.sh flag form gives the same JSON as the subcommands',
    async () => {
      const t = cluster.uniqueTopic('flags');
      const viaFlags = await ktJson(
        'topics',
        '--create',
        '--topic',
        t,
        '--partitions',
        '2',
        '--replication-factor',
        '1',
        '--config',
        'cleanup.policy=compact',
      );
      const dryRunSub = await ktJson(
        'topics',
        'create',
        t,
        '--partitions',
        '2',
        '--replication-factor',
        '1',
        '--config',
        'cleanup.policy=compact',
        '--if-not-exists',
        '--dry-run',
      );
      const dryRunFlags = await ktJson(
        'topics',
        '--create',
        '--topic',
        t,
        '--partitions',
        '2',
        '--replication-factor',
        '1',
        '--config',
        'cleanup.policy=compact',
        '--if-not-exists',
        '--dry-run',
      );
      expect(dryRunFlags).toEqual(dryRunSub);
      expect(viaFlags).toMatchObject({ topics: [{ name: t, status: 'created', partitions: 2 }] });

      expect(await ktJson('topics', '--describe', '--topic', t)).toEqual(
        await ktJson('topics', 'describe', t),
      );
      expect(await ktJson('topics', '--list', '--topic', `${t}.*`)).toEqual(
        await ktJson('topics', 'list', '--regex', `${t}.*`, '--include-internal'),
      );
      expect(await ktJson('topics', '--alter', '--topic', t, '--partitions', '4', '--dry-run')).toEqual(
        await ktJson('topics', 'alter', t, '--partitions', '4', '--dry-run'),
      );
      expect(await ktJson('topics', '--delete', '--topic', t, '--dry-run')).toEqual(
        await ktJson('topics', 'delete', t, '--dry-run'),
      );
      expect(await ktJson('topics', '--delete', '--topic', t, '--yes')).toEqual({
        dryRun: false,
        topics: [{ name: t, status: 'deleted' }],
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'rejects bad input with one error line and creates nothing',
    async () => {
      const good = cluster.uniqueTopic('good');
      const cases: Array<{ args: string[]; code: number; message: RegExp }> = [
        {
          args: ['topics', 'create', good, 'bad name'],
          code: 1,
          message: /"bad name": topic name may only contain/,
        },
        { args: ['topics', 'create', good, '..'], code: 1, message: /topic name cannot be "\.\."/ },
        { args: ['topics', 'create', good, 'x'.repeat(250)], code: 1, message: /at most 249/ },
        {
          args: ['topics', 'create', good, '--partitions', '0'],
          code: 1,
          message: /partition count must be >= 1/,
        },
        {
          args: ['topics', 'create', good, '--replication-factor', '99'],
          code: 1,
          message: /replication factor 99 is larger than/,
        },
        {
          args: ['topics', 'create', good, '--config', 'no.such.config=1'],
          code: 1,
          message: /nothing was created.*no\.such\.config/,
        },
        { args: ['topics', 'create', good, '--config', 'novalue'], code: 2, message: /expected key=value/ },
        { args: ['topics', '--list', '--describe'], code: 2, message: /Give only one of/ },
        { args: ['topics', 'describe', `${good}-missing`], code: 1, message: /does not exist/ },
        { args: ['topics', 'delete', `${good}-missing`, '--yes'], code: 1, message: /does not exist/ },
        {
          args: ['topics', 'alter', `${good}-missing`, '--partitions', '3'],
          code: 1,
          message: /does not exist/,
        },
      ];
      // A few at a time: each is a process start, and the machine may be busy.
      const results: Awaited<ReturnType<typeof kt>>[] = [];
      for (let i = 0; i < cases.length; i += 4) {
        results.push(...(await Promise.all(cases.slice(i, i + 4).map((c) => kt(...c.args)))));
      }
      for (const [i, c] of cases.entries()) {
        const r = results[i]!;
        expect({ args: c.args, code: r.code }).toEqual({ args: c.args, code: c.code });
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')[0]).toMatch(/^Error: /);
        expect(r.stderr).toMatch(c.message);
        expect(
          r.stderr
            .trim()
            .split('\n')
            .filter((l) => !l.startsWith('Hint:')).length,
        ).toBe(1);
      }
      const listed = (await ktJson('topics', 'list', '--regex', `${good}.*`)) as { topics: unknown[] };
      expect(listed.topics).toEqual([]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'deleting without a terminal needs --yes and deletes nothing without it',
    async () => {
      const t = cluster.uniqueTopic('confirm');
      await ktJson('topics', 'create', t, '--partitions', '1');
      const r = await kt('topics', 'delete', t);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/pass --yes to confirm/);
      const listed = (await ktJson('topics', 'list', '--regex', t)) as { topics: unknown[] };
      expect(listed.topics).toHaveLength(1);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'an unreachable bootstrap server is one clear error, not a hang',
    async () => {
      const r = await runKt(['topics', 'list', '--bootstrap-server', '127.0.0.1:1'], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: Cannot connect to Kafka at 127\.0\.0\.1:1/);
      expect(r.stdout).toBe('');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  // A comparison with Apache Kafka's own tool on Apache Kafka: registered for the real target only.
  (cluster.target === 'real' ? it : () => {})(
    'agrees with Java TopicCommand --describe on the real Kafka',
    async () => {
      const t = cluster.uniqueTopic('java');
      await ktJson(
        'topics',
        'create',
        t,
        '--partitions',
        '3',
        '--config',
        'retention.ms=86400000',
        '--config',
        'cleanup.policy=compact',
      );
      const java = await runKafkaTool('TopicCommand', [
        '--bootstrap-server',
        cluster.bootstrap,
        '--describe',
        '--topic',
        t,
      ]);
      expect(java.code).toBe(0);
      const ours = (await ktJson('topics', 'describe', t)) as {
        topics: Array<{
          topicId: string;
          partitionCount: number;
          replicationFactor: number;
          configs: Record<string, string>;
          partitions: Array<{ partition: number; leader: number | null; replicas: number[]; isr: number[] }>;
        }>;
      };
      const mine = ours.topics[0]!;
      const lines = java.stdout.split('\n').filter((l) => l.trim() !== '');
      const head = Object.fromEntries(
        lines[0]!
          .split('\t')
          .map((f) => [f.slice(0, f.indexOf(':')).trim(), f.slice(f.indexOf(':') + 1).trim()]),
      );
      expect(head.Topic).toBe(t);
      expect(head.TopicId).toBe(mine.topicId);
      expect(Number(head.PartitionCount)).toBe(mine.partitionCount);
      expect(Number(head.ReplicationFactor)).toBe(mine.replicationFactor);
      const javaConfigs = Object.fromEntries(
        (head.Configs ?? '')
          .split(',')
          .filter(Boolean)
          .map((kv: string) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      expect(mine.configs).toEqual(javaConfigs);
      const javaPartitions = lines.slice(1).map((line) => {
        const f = Object.fromEntries(
          line
            .trim()
            .split('\t')
            .map((x) => [x.slice(0, x.indexOf(':')).trim(), x.slice(x.indexOf(':') + 1).trim()]),
        );
        const ids = (s: string | undefined) => (s ? s.split(',').map(Number) : []);
        return {
          partition: Number(f.Partition),
          leader: f.Leader === 'none' ? null : Number(f.Leader),
          replicas: ids(f.Replicas),
          isr: ids(f.Isr),
        };
      });
      expect(
        mine.partitions.map(({ partition, leader, replicas, isr }) => ({ partition, leader, replicas, isr })),
      ).toEqual(javaPartitions);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
