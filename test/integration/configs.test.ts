// `kt configs describe|alter` end to end against each cluster target: incremental set/delete/append/
// subtract on a topic leave other overrides alone, --dry-run prints before → after and changes nothing,
// broker and broker-default resources, bad input. JSON shapes are snapshotted in fixtures/cli/.

import { expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, ktAt } from '../cli/run-kt.js';
import { describeClusters } from '../support/clusters.js';
import { expectShape } from './topics-shapes.js';

describeClusters('kt configs', (cluster) => {
  const { kt, ktJson } = ktAt(cluster);
  type Described = {
    resources: Array<{
      type: string;
      name: string;
      configs: Array<{ name: string; value: string | null; source: string }>;
    }>;
  };
  /** The topic's own overrides (a real Kafka 4 also reports cluster-level defaults such as min.insync.replicas). */
  const overrides = async (topic: string) => {
    const d = (await ktJson('configs', 'describe', '--topic', topic)) as Described;
    return Object.fromEntries(
      d.resources[0]!.configs.filter((c) => c.source === 'dynamic-topic').map((c) => [c.name, c.value]),
    );
  };

  it(
    'alters topic configs incrementally; dry run shows before → after and changes nothing',
    async () => {
      const t = cluster.uniqueTopic('configs');
      await ktJson(
        'topics',
        'create',
        t,
        '--partitions',
        '1',
        '--config',
        'retention.ms=100000',
        '--config',
        'cleanup.policy=delete',
      );

      const dry = await ktJson(
        'configs',
        'alter',
        '--topic',
        t,
        '--set',
        'retention.ms=200000',
        '--append',
        'cleanup.policy=compact',
        '--dry-run',
      );
      expect(dry).toEqual({
        dryRun: true,
        resource: { type: 'topic', name: t },
        changes: [
          { name: 'retention.ms', op: 'set', value: '200000', before: '100000', after: '200000' },
          {
            name: 'cleanup.policy',
            op: 'append',
            value: 'compact',
            before: 'delete',
            after: 'delete,compact',
          },
        ],
      });
      expectShape('configs-alter', dry);
      expect(await overrides(t)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '100000' });
      const table = await kt('configs', 'alter', '--topic', t, '--set', 'retention.ms=300000', '--dry-run');
      expect(table.stdout).toContain(
        `topic "${t}": set retention.ms: 100000 → 300000 — dry run, nothing changed`,
      );

      // Set one key: the other override stays (whole-set AlterConfigs would have dropped it).
      await ktJson('configs', 'alter', '--topic', t, '--set', 'max.message.bytes=200000');
      expect(await overrides(t)).toEqual({
        'cleanup.policy': 'delete',
        'max.message.bytes': '200000',
        'retention.ms': '100000',
      });

      const applied = await ktJson(
        'configs',
        'alter',
        '--topic',
        t,
        '--append',
        'cleanup.policy=compact',
        '--delete',
        'retention.ms',
      );
      // Changes are reported set, delete, append, subtract (the order they are sent in).
      expect(applied).toMatchObject({
        dryRun: false,
        changes: [
          { name: 'retention.ms', op: 'delete', before: '100000' },
          { name: 'cleanup.policy', op: 'append', before: 'delete', after: 'delete,compact' },
        ],
      });
      await ktJson('configs', 'alter', '--topic', t, '--subtract', 'cleanup.policy=delete');
      expect(await overrides(t)).toEqual({ 'cleanup.policy': 'compact', 'max.message.bytes': '200000' });

      const all = (await ktJson('configs', 'describe', '--topic', t, '--all')) as Described;
      const entry = all.resources[0]!.configs.find((c) => c.name === 'retention.ms');
      expect(entry).toMatchObject({ source: expect.not.stringMatching(/^dynamic-topic$/) });
      expectShape('configs-describe', {
        resources: [
          {
            ...all.resources[0]!,
            configs: all.resources[0]!.configs.filter((c) => c.name === 'cleanup.policy'),
          },
        ],
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'describes a broker and the broker defaults, and alters a broker default',
    async () => {
      const info = (await ktJson('cluster', 'info')) as { brokers: Array<{ id: number }> };
      const id = String(info.brokers[0]!.id);
      const broker = (await ktJson('configs', 'describe', '--broker', id, '--all')) as Described;
      expect(broker.resources[0]).toMatchObject({ type: 'broker', name: id });
      expect(broker.resources[0]!.configs.length).toBeGreaterThan(10);
      const set = await ktJson(
        'configs',
        'alter',
        '--broker-defaults',
        '--set',
        'log.flush.interval.messages=1000',
        '--dry-run',
      );
      expect(set).toMatchObject({ dryRun: true, resource: { type: 'broker-defaults', name: '' } });
      const defaults = (await ktJson('configs', 'describe', '--broker-defaults')) as Described;
      expect(defaults.resources[0]!.type).toBe('broker-defaults');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'rejects bad input with one error line',
    async () => {
      const t = cluster.uniqueTopic('configs-bad');
      await ktJson('topics', 'create', t, '--partitions', '1');
      const cases: Array<{ args: string[]; code: number; message: RegExp }> = [
        {
          args: ['configs', 'alter', '--topic', t, '--set', 'no.such.key=1'],
          code: 1,
          message: /no\.such\.key/,
        },
        {
          args: ['configs', 'alter', '--topic', t, '--set', 'retention.ms=abc'],
          code: 1,
          message: /retention\.ms/,
        },
        { args: ['configs', 'alter', '--topic', t], code: 2, message: /Nothing to alter/ },
        { args: ['configs', 'describe'], code: 2, message: /--topic NAME, --broker ID, --broker-defaults/ },
        {
          args: ['configs', 'describe', '--topic', `${t}-missing`],
          code: 1,
          message: /UNKNOWN_TOPIC_OR_PARTITION/,
        },
      ];
      for (const c of cases) {
        const r = await kt(...c.args);
        expect({ args: c.args, code: r.code }).toEqual({ args: c.args, code: c.code });
        expect(r.stderr).toMatch(c.message);
        expect(
          r.stderr
            .trim()
            .split('\n')
            .filter((l) => !l.startsWith('Hint:')).length,
        ).toBe(1);
      }
      expect(await overrides(t)).toEqual({});
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
