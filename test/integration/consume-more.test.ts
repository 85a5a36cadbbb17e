// kt consume: --timeout-ms idle exit and SIGINT without a group (both targets); --isolation-level
// read_committed hides aborted transactions (real Kafka: the embedded broker has no transaction coordinator yet).
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { KT_BIN, stdoutReaches } from '../cli/run-kt.js';
import { createTopic, ktOn } from '../format/console-helpers.js';
import { describeClusters } from '../support/clusters.js';

describeClusters('kt consume: idle timeout and signals', (cluster) => {
  const kt = ktOn(cluster);

  it('--timeout-ms ends a follow after the records stop coming', async () => {
    const topic = cluster.uniqueTopic('idle-exit');
    await createTopic(cluster.kafkajs(), topic, 2);
    await kt(['produce', topic, '--partition', '0'], 'a\nb\n');
    const r = await kt(['consume', topic, '--from-beginning', '--timeout-ms', '1500'], undefined, 30_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a\nb\n');
    expect(r.stderr).toContain('Consumed 2 records');
  });

  it('SIGINT ends a follow with exit 0 and a summary', async () => {
    const topic = cluster.uniqueTopic('sigint-plain');
    await createTopic(cluster.kafkajs(), topic, 1);
    await kt(['produce', topic], 'x\n');
    const child = spawn(process.execPath, [KT_BIN, 'consume', topic, '--from-beginning'], {
      env: {
        ...process.env,
        KT_BOOTSTRAP_SERVER: cluster.bootstrap,
        KT_CONFIG: '/nonexistent',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await stdoutReaches(child, 'x\n');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('Consumed 1 records');
  });
});

describeClusters(
  'kt consume: isolation levels',
  (cluster) => {
    const kt = ktOn(cluster);

    it('read_committed skips aborted transactions; read_uncommitted shows them', async () => {
      const topic = cluster.uniqueTopic('txn');
      await createTopic(cluster.kafkajs(), topic, 1);
      const producer = cluster.kafkajs().producer({
        transactionalId: `kt-test-${topic}`,
        maxInFlightRequests: 1,
        idempotent: true,
      });
      await producer.connect();
      try {
        const aborted = await producer.transaction();
        await aborted.send({ topic, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
        await aborted.abort();
        const committed = await producer.transaction();
        await committed.send({ topic, messages: [{ value: 'committed' }] });
        await committed.commit();
      } finally {
        await producer.disconnect();
      }
      const rc = await kt([
        'consume',
        topic,
        '--from-beginning',
        '--exit',
        '--isolation-level',
        'read_committed',
      ]);
      expect(rc.code).toBe(0);
      expect(rc.stdout).toBe('committed\n');
      const ru = await kt(['consume', topic, '--from-beginning', '--exit']);
      expect(ru.stdout).toBe('aborted-1\naborted-2\ncommitted\n');
    });
  },
  { targets: ['real'] },
);
