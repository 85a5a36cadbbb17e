// kt consume --group: --exit with commits and resume, SIGINT commits what was printed. Both targets.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { KT_BIN, stdoutReaches } from '../cli/run-kt.js';
import { createTopic, ktOn } from '../format/console-helpers.js';
import { describeClusters } from '../support/clusters.js';

describeClusters('kt consume --group', (cluster) => {
  const kt = ktOn(cluster);

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
    const child = spawn(process.execPath, [KT_BIN, 'consume', topic, '--group', group, '--from-beginning'], {
      env: {
        ...process.env,
        KT_BOOTSTRAP_SERVER: cluster.bootstrap,
        KT_CONFIG: '/nonexistent',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await stdoutReaches(child, 'one\ntwo\n');
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
});
