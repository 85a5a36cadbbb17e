// `kt cluster info` end to end against each cluster target: cluster id and controller agree with Metadata,
// every broker lists the API version ranges it advertises (checked against a direct ApiVersions call).

import { expect, it } from 'vitest';
import { Connection, parseHostPort } from '../../src/protocol/client/index.js';
import { CLI_TEST_TIMEOUT_MS, runKt } from '../cli/run-kt.js';
import { describeClusters } from '../support/clusters.js';
import { expectShape } from './topics-shapes.js';

describeClusters('kt cluster', (cluster) => {
  it(
    'prints the cluster id, controller, brokers and their API version ranges',
    async () => {
      const r = await runKt(['cluster', 'info', '--bootstrap-server', cluster.bootstrap, '--output', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const info = JSON.parse(r.stdout) as {
        clusterId: string;
        controllerId: number | null;
        brokers: Array<{
          id: number;
          host: string;
          port: number;
          controller: boolean;
          apiVersions: Array<{ apiKey: number; name: string; minVersion: number; maxVersion: number }>;
        }>;
      };
      const admin = cluster.kafkajs().admin();
      await admin.connect();
      const described = await admin.describeCluster().finally(() => admin.disconnect());
      expect(info.clusterId).toBe(described.clusterId);
      expect(info.brokers.map((b) => b.id)).toEqual(
        described.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
      );
      const { host, port } = parseHostPort(cluster.bootstrap);
      const conn = await Connection.connect({ host, port });
      try {
        const broker = info.brokers.find((b) => b.host === host && b.port === port) ?? info.brokers[0]!;
        expect(broker.apiVersions.map((a) => [a.apiKey, a.minVersion, a.maxVersion])).toEqual(
          [...conn.brokerVersions].map(([k, v]) => [k, v.min, v.max]).sort((a, b) => a[0]! - b[0]!),
        );
        expect(broker.apiVersions.find((a) => a.apiKey === 3)?.name).toBe('Metadata');
        expect(broker.apiVersions.find((a) => a.apiKey === 44)?.name).toBe('IncrementalAlterConfigs');
      } finally {
        await conn.close();
      }
      expectShape('cluster-info', { ...info, brokers: info.brokers.map((b) => ({ ...b, rack: null })) });

      const table = await runKt([
        'cluster',
        'info',
        '--bootstrap-server',
        cluster.bootstrap,
        '--api-versions',
      ]);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(`Cluster ${info.clusterId}`);
      expect(table.stdout).toMatch(/KEY +API +MIN +MAX/);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
