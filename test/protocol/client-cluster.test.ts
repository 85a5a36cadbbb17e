// ClusterClient routing against scripted peers on loopback: bootstrap failover, requests to a broker id,
// to the controller and to a partition leader, coordinator lookup (batched FindCoordinator v4+), and
// bounded retries while a leader or coordinator is not available yet.

import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient, KafkaConnectionError } from '../../src/protocol/client/index.js';
import {
  API_VERSIONS_TABLE,
  type ApiKey,
  decodeRequestFrame,
  encodeResponseFrame,
  type RequestFrame,
  type ResponseOf,
} from '../../src/protocol/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function answer<K extends ApiKey>(frame: RequestFrame, apiKey: K, body: Partial<ResponseOf<K>>): Uint8Array {
  return encodeResponseFrame({
    apiKey,
    apiVersion: frame.header.apiVersion,
    correlationId: frame.header.correlationId,
    body: body as ResponseOf<K>,
  });
}

interface Broker {
  nodeId: number;
  port: number;
  /** API keys of the requests this broker received (ApiVersions excluded). */
  seen: number[];
}

/**
 * A cluster of scripted brokers sharing one metadata view: broker `controllerId` is the controller,
 * partition p of 'orders' is led by broker (p % count) + 1, after `leaderlessMetadataCount` answers
 * without a leader; group coordinator is broker 2 after `coordinatorMissingCount` COORDINATOR_NOT_AVAILABLE.
 */
async function startCluster(
  count: number,
  { leaderlessMetadataCount = 0, coordinatorMissingCount = 0 } = {},
): Promise<Broker[]> {
  const brokers: Broker[] = [];
  let leaderless = leaderlessMetadataCount;
  let coordinatorMissing = coordinatorMissingCount;
  const metadata = (frame: RequestFrame): Uint8Array => {
    const noLeader = leaderless-- > 0;
    return answer(frame, 3, {
      brokers: brokers.map((b) => ({ nodeId: b.nodeId, host: '127.0.0.1', port: b.port, rack: null })),
      clusterId: 'scripted',
      controllerId: 2,
      topics:
        frame.apiKey === 3 && frame.body.topics?.some((t) => t.name === 'orders')
          ? [
              {
                errorCode: 0,
                name: 'orders',
                topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
                isInternal: false,
                topicAuthorizedOperations: 0,
                partitions: [0, 1, 2].map((p) => ({
                  errorCode: noLeader ? 5 : 0,
                  partitionIndex: p,
                  leaderId: noLeader ? -1 : (p % count) + 1,
                  leaderEpoch: 0,
                  replicaNodes: [(p % count) + 1],
                  isrNodes: [(p % count) + 1],
                  offlineReplicas: [],
                })),
              },
            ]
          : [],
    });
  };
  for (let nodeId = 1; nodeId <= count; nodeId++) {
    const broker: Broker = { nodeId, port: 0, seen: [] };
    const server = createServer((socket) => {
      socket.on('error', () => {});
      let buf = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
          const frame = decodeRequestFrame(buf.subarray(0, 4 + buf.readInt32BE(0)));
          buf = buf.subarray(4 + buf.readInt32BE(0));
          if (frame.apiKey === 18) {
            socket.write(answer(frame, 18, { errorCode: 0, apiKeys: [...API_VERSIONS_TABLE] }));
            continue;
          }
          broker.seen.push(frame.apiKey);
          if (frame.apiKey === 3) socket.write(metadata(frame));
          else if (frame.apiKey === 10) {
            const missing = coordinatorMissing-- > 0;
            socket.write(
              answer(frame, 10, {
                coordinators: [
                  {
                    key: frame.body.coordinatorKeys[0] ?? '',
                    nodeId: missing ? -1 : 2,
                    host: missing ? '' : '127.0.0.1',
                    port: missing ? -1 : brokers[1]!.port,
                    errorCode: missing ? 15 : 0,
                    errorMessage: null,
                  },
                ],
              }),
            );
          } else socket.write(answer(frame, 60, { clusterId: `from-${nodeId}`, brokers: [] }));
        }
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    broker.port = (server.address() as { port: number }).port;
    brokers.push(broker);
  }
  return brokers;
}

describe('ClusterClient', () => {
  it('bootstraps past a dead server and routes by broker id, controller and partition leader', async () => {
    const brokers = await startCluster(3);
    const client = new ClusterClient({ bootstrapServers: ['127.0.0.1:1', `127.0.0.1:${brokers[0]!.port}`] });
    try {
      await client.connect();
      expect([...client.brokers.keys()]).toEqual([1, 2, 3]);
      expect(client.controllerId).toBe(2);
      expect(client.clusterId).toBe('scripted');

      expect((await client.send({ nodeId: 3 }, 60, {})).clusterId).toBe('from-3');
      expect((await client.send('controller', 60, {})).clusterId).toBe('from-2');
      expect(await client.partitionLeader('orders', 2)).toBe(3);
      expect((await client.sendToLeader('orders', 1, 60, {})).clusterId).toBe('from-2');
      expect(brokers[2]!.seen).toContain(60);
    } finally {
      await client.close();
    }
  });

  it('retries a leader lookup while the partition has no leader, and a coordinator lookup while unavailable', async () => {
    const brokers = await startCluster(2, { leaderlessMetadataCount: 3, coordinatorMissingCount: 2 });
    const client = new ClusterClient({
      bootstrapServers: [`127.0.0.1:${brokers[0]!.port}`],
      retryBackoffMs: 1,
    });
    try {
      await client.connect();
      expect(await client.partitionLeader('orders', 1)).toBe(2);
      expect(await client.findCoordinator('group-a')).toBe(2);
      expect(brokers[0]!.seen.filter((k) => k === 10).length).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('gives up after lookupRetriesMax with the broker’s error', async () => {
    const brokers = await startCluster(1, { coordinatorMissingCount: 100 });
    const client = new ClusterClient({
      bootstrapServers: [`127.0.0.1:${brokers[0]!.port}`],
      retryBackoffMs: 1,
      lookupRetriesMax: 3,
    });
    try {
      await client.connect();
      const err = await client.findCoordinator('group-b').catch((e) => e);
      expect(err).toMatchObject({ name: 'COORDINATOR_NOT_AVAILABLE', code: 15 });
      expect(brokers[0]!.seen.filter((k) => k === 10).length).toBe(4);
    } finally {
      await client.close();
    }
  });

  it('reports every bootstrap server when none answers', async () => {
    const client = new ClusterClient({
      bootstrapServers: ['127.0.0.1:1', '127.0.0.1:2'],
      connectTimeoutMs: 2_000,
    });
    const err = await client.connect().catch((e) => e);
    expect(err).toBeInstanceOf(KafkaConnectionError);
    expect(String(err.message)).toMatch(/127\.0\.0\.1:1.*127\.0\.0\.1:2/);
  });
});
