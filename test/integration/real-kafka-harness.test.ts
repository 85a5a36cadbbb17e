// The real-Kafka harness itself: a second named cluster runs independently of the shared `test` one, the
// Java tools run from the same jars, and stopping leaves neither a process nor data behind.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import {
  acquireKafka,
  isPidAlive,
  kafkaToolClasses,
  LIB_DIR,
  probeApiVersions,
  REAL_KAFKA_DIR,
  readKafkaState,
  releaseKafka,
  runKafkaTool,
  startKafka,
  stopKafka,
} from '../real-kafka/harness.js';
import { describeClusters } from '../support/clusters.js';
import { REAL_CLUSTER_NAME } from '../support/targets.js';

const execFileP = promisify(execFile);

/** Topic name -> partition count, as kcat (librdkafka) sees the cluster. */
async function kcatTopics(bootstrap: string): Promise<Map<string, number>> {
  const { stdout } = await execFileP('kcat', ['-b', bootstrap, '-L', '-J'], { timeout: 30_000 });
  const { topics } = JSON.parse(stdout) as { topics: { topic: string; partitions: unknown[] }[] };
  return new Map(topics.map((t) => [t.topic, t.partitions.length]));
}

describeClusters(
  'real-Kafka harness',
  (cluster) => {
    const secondName = `harness-${process.pid}`;
    afterAll(async () => {
      await stopKafka(secondName); // a no-op when the test got to stop it itself
    });

    it('runs a second named cluster independently of `test`, and stopping it removes process and data', async () => {
      // num.partitions=4 (template: 1) proves serverProperties reach the broker: the topic below takes it.
      const second = await startKafka({ name: secondName, serverProperties: { 'num.partitions': '4' } });
      expect(second.bootstrap).not.toBe(cluster.bootstrap);
      expect((await startKafka({ name: secondName })).pid).toBe(second.pid); // healthy: reused, not restarted

      const [testCluster, secondCluster] = await Promise.all(
        [cluster.bootstrap, second.bootstrap].map(async (bootstrap) => {
          const admin = cluster.kafkajs({ brokers: [bootstrap] }).admin();
          await admin.connect();
          try {
            return await admin.describeCluster();
          } finally {
            await admin.disconnect();
          }
        }),
      );
      expect(secondCluster?.clusterId).toBe(second.clusterId);
      expect(testCluster?.clusterId).not.toBe(second.clusterId);

      const onTest = cluster.uniqueTopic('only-on-test');
      const onSecond = cluster.uniqueTopic('only-on-second'); // lives on `second`; it dies with it
      const admin = cluster.kafkajs().admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic: onTest, numPartitions: 1 }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
      const created = await runKafkaTool('TopicCommand', [
        '--bootstrap-server',
        second.bootstrap,
        '--create',
        '--topic',
        onSecond,
      ]);
      expect(created.code, created.stderr).toBe(0);

      const [testTopics, secondTopics] = await Promise.all([
        kcatTopics(cluster.bootstrap),
        kcatTopics(second.bootstrap),
      ]);
      expect(testTopics.has(onTest)).toBe(true);
      expect(testTopics.has(onSecond)).toBe(false);
      expect(secondTopics.get(onSecond)).toBe(4);
      expect(secondTopics.has(onTest)).toBe(false);

      const versions = await runKafkaTool('BrokerApiVersionsCommand', [
        '--bootstrap-server',
        second.bootstrap,
      ]);
      expect(versions.code, versions.stderr).toBe(0);
      expect(versions.stdout).toContain(second.bootstrap);
      expect(versions.stdout).toMatch(/ApiVersions\(18\): 0 to \d+/);

      expect(await stopKafka(secondName)).toBe(true);
      expect(isPidAlive(second.pid)).toBe(false);
      expect(existsSync(second.dataDir)).toBe(false);
      expect(await readKafkaState(secondName)).toBeUndefined();
      expect(await stopKafka(secondName)).toBe(false);
    }, 180_000); // two JVM starts plus three tool JVMs on a loaded 2-core machine

    it('leases: a release keeps the shared cluster running while another run still holds it', async () => {
      const holder = process.pid; // this worker; the run's own lease is held by the vitest main process
      const acquired = await acquireKafka(REAL_CLUSTER_NAME, { holder });
      expect(acquired.bootstrap).toBe(cluster.bootstrap);
      expect(acquired.leases).toContain(holder);
      expect(acquired.leases.length).toBeGreaterThanOrEqual(acquired.owner === 'auto' ? 2 : 1);
      expect(await releaseKafka(REAL_CLUSTER_NAME, { holder })).toBe('kept');
      const after = await readKafkaState(REAL_CLUSTER_NAME);
      expect(after?.pid).toBe(acquired.pid);
      expect(after?.leases).not.toContain(holder);
      expect(await probeApiVersions('127.0.0.1', acquired.brokerPort)).toEqual({ ok: true });
    });

    it('every short tool name maps to a class present in the jars', async () => {
      const classes = [...kafkaToolClasses().values()];
      expect(classes.length).toBeGreaterThanOrEqual(11);
      // javap exits non-zero naming the first class it cannot find.
      const { stderr } = await execFileP('javap', ['-cp', join(LIB_DIR, '*'), ...classes], {
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(stderr).not.toMatch(/not found/i);
    });

    it('the `tool` shell wrapper runs a Java tool by its short name', async () => {
      const wrapper = join(REAL_KAFKA_DIR, 'tool');
      const { stdout } = await execFileP(
        wrapper,
        ['BrokerApiVersionsCommand', '--bootstrap-server', cluster.bootstrap],
        {
          timeout: 60_000,
        },
      );
      expect(stdout).toContain(cluster.bootstrap);
      await expect(execFileP(wrapper, ['NoSuchTool'], { timeout: 10_000 })).rejects.toMatchObject({
        code: 2,
      });
    });

    it('the ApiVersions probe tells a Kafka broker from a socket that is not one', async () => {
      expect(await probeApiVersions('127.0.0.1', Number(cluster.bootstrap.split(':')[1]))).toEqual({
        ok: true,
      });
      // Answers any request with a well-formed frame whose correlation id (0) cannot match. resume() drains
      // the request so the client's close is seen and server.close() can finish.
      const impostor = createServer((socket) => {
        socket.resume();
        socket.end(Buffer.from([0, 0, 0, 6, 0, 0, 0, 0, 0, 0]));
      });
      await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
      try {
        const address = impostor.address();
        if (!address || typeof address === 'string') throw new Error('no port');
        const probe = await probeApiVersions('127.0.0.1', address.port);
        expect(probe).toEqual({ ok: false, reason: expect.stringContaining('correlation id 0') });
      } finally {
        await new Promise((resolve) => impostor.close(resolve));
      }
    });
  },
  { targets: ['real'] },
);
