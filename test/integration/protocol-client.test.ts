// The protocol client (src/protocol/client) against the real Apache Kafka: version negotiation, Metadata,
// DescribeCluster, IncrementalAlterConfigs read back with DescribeConfigs, OffsetCommit + OffsetDelete +
// OffsetFetch, a raw Produce of a batch built by encodeRecordBatch fetched back byte for byte, acks=0,
// pipelining; and SASL PLAIN / SCRAM-SHA-256 / SCRAM-SHA-512 against a Kafka with a SASL listener.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KtError } from '../../src/errors/kt-error.js';
import {
  readBatchHeader,
  setBatchBaseOffset,
  setBatchPartitionLeaderEpoch,
} from '../../src/protocol/batch-header.js';
import {
  ClusterClient,
  Connection,
  KafkaConnectionError,
  parseHostPort,
  SaslAuthenticationError,
} from '../../src/protocol/client/index.js';
import { decodeRecordBatch, encodeRecordBatch, iterateBatches } from '../../src/protocol/index.js';
import { realKafkaUnavailableReason } from '../real-kafka/harness.js';
import { describeClusters } from '../support/clusters.js';
import { type CaptureKafka, SASL_PASSWORD, SASL_USER, startCaptureKafka } from '../tools/capture-kafka.js';

const TOPIC_CONFIG = 2; // ConfigResource.Type.TOPIC
const OP_SET = 0;

describeClusters(
  'protocol client',
  (cluster) => {
    let client: ClusterClient;

    beforeAll(async () => {
      client = new ClusterClient({ bootstrapServers: [cluster.bootstrap], clientId: 'kt-protocol-test' });
      await client.connect();
    });
    afterAll(async () => {
      await client?.close();
    });

    async function createTopic(prefix: string, partitions: number): Promise<string> {
      const topic = cluster.uniqueTopic(prefix);
      const response = await client.send('controller', 19, {
        topics: [{ name: topic, numPartitions: partitions, replicationFactor: 1 }],
        timeoutMs: 30_000,
      });
      expect(response.topics[0]).toMatchObject({ name: topic, errorCode: 0 });
      return topic;
    }

    it('negotiates versions with ApiVersions v3 and picks min(ours, broker max)', async () => {
      const { host, port } = parseHostPort(cluster.bootstrap);
      const conn = await Connection.connect({ host, port });
      try {
        const metadata = conn.brokerVersions.get(3);
        expect(metadata?.max).toBeGreaterThanOrEqual(12);
        expect(conn.versionFor(3)).toBe(Math.min(13, metadata!.max));
        expect(conn.versionFor(60)).toBeGreaterThanOrEqual(1); // DescribeCluster
        const apiVersions = await conn.send(18, { clientSoftwareName: 'kt', clientSoftwareVersion: '0.1.0' });
        expect(apiVersions.errorCode).toBe(0);
        expect(apiVersions.apiKeys.find((k) => k.apiKey === 0)).toMatchObject({ minVersion: 0 });
      } finally {
        await conn.close();
      }
    });

    it('reads Metadata: brokers, controller, cluster id', async () => {
      const response = await client.refreshMetadata(null);
      expect(response.brokers.length).toBeGreaterThanOrEqual(1);
      expect(response.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(client.brokers.has(client.controllerId)).toBe(true);
    });

    it('DescribeCluster returns the cluster id and brokers Metadata reported', async () => {
      const response = await client.send('any', 60, {
        includeClusterAuthorizedOperations: false,
        endpointType: 1,
      });
      expect(response.errorCode).toBe(0);
      expect(response.clusterId).toBe(client.clusterId);
      expect(response.brokers.map((b) => b.brokerId).sort()).toEqual([...client.brokers.keys()].sort());
    });

    it('IncrementalAlterConfigs sets retention.ms and DescribeConfigs reads it back', async () => {
      const topic = await createTopic('iac', 1);
      const altered = await client.send('controller', 44, {
        resources: [
          {
            resourceType: TOPIC_CONFIG,
            resourceName: topic,
            configs: [{ name: 'retention.ms', configOperation: OP_SET, value: '4321000' }],
          },
        ],
      });
      expect(altered.responses).toEqual([expect.objectContaining({ resourceName: topic, errorCode: 0 })]);
      // The change reaches the broker's config view through the KRaft metadata log: poll, bounded.
      let described: Awaited<ReturnType<typeof describeRetention>> | undefined;
      function describeRetention() {
        return client.send('any', 32, {
          resources: [
            { resourceType: TOPIC_CONFIG, resourceName: topic, configurationKeys: ['retention.ms'] },
          ],
        });
      }
      for (let attempt = 0; attempt < 50; attempt++) {
        described = await describeRetention();
        if (described.results[0]?.configs[0]?.value === '4321000') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(described?.results[0]?.errorCode).toBe(0);
      expect(described?.results[0]?.configs).toEqual([
        expect.objectContaining({ name: 'retention.ms', value: '4321000', configSource: 1 }), // TOPIC_CONFIG
      ]);
    });

    it('OffsetDelete removes one partition’s committed offset', async () => {
      const topic = await createTopic('offdel', 2);
      const group = cluster.uniqueGroup('offdel');
      // A fresh cluster's offsets partition may still be loading: NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS
      // are retriable, and real clients look the coordinator up again and retry, as here (bounded).
      let coordinator = -1;
      let commit: Awaited<ReturnType<typeof commitOnce>> | undefined;
      async function commitOnce(nodeId: number) {
        return client.send({ nodeId }, 8, {
          groupId: group,
          generationIdOrMemberEpoch: -1,
          memberId: '',
          retentionTimeMs: -1n,
          topics: [
            {
              name: topic,
              partitions: [
                { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: 'a' },
                { partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: 'b' },
              ],
            },
          ],
        });
      }
      for (let attempt = 0; attempt < 30; attempt++) {
        coordinator = await client.findCoordinator(group);
        commit = await commitOnce(coordinator);
        const codes = commit.topics[0]?.partitions.map((p) => p.errorCode) ?? [];
        if (!codes.some((code) => code === 14 || code === 15 || code === 16)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(commit?.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([0, 0]);

      const deleted = await client.send({ nodeId: coordinator }, 47, {
        groupId: group,
        topics: [{ name: topic, partitions: [{ partitionIndex: 0 }] }],
      });
      expect(deleted.errorCode).toBe(0);
      expect(deleted.topics[0]?.partitions).toEqual([{ partitionIndex: 0, errorCode: 0 }]);

      const fetched = await client.send(
        { nodeId: coordinator },
        9,
        { groupId: group, topics: [{ name: topic, partitionIndexes: [0, 1] }] },
        { version: 7 }, // single-group form; v8+ nests groups
      );
      const partitions = fetched.topics[0]?.partitions ?? [];
      expect(partitions.find((p) => p.partitionIndex === 0)?.committedOffset).toBe(-1n);
      expect(partitions.find((p) => p.partitionIndex === 1)?.committedOffset).toBe(7n);
    });

    it('Produces a batch built by encodeRecordBatch and Fetches it back byte for byte', async () => {
      const topic = await createTopic('raw', 1);
      const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
      const batch = encodeRecordBatch(
        [
          { key: enc('k0'), value: enc('raw-0'), headers: [{ key: 'h', value: enc('v') }] },
          { key: null, value: enc('raw-1') },
          { key: enc('k2'), value: null },
        ],
        { compression: 'lz4', baseTimestamp: 1_700_000_000_000n },
      );
      const produced = await client.sendToLeader(topic, 0, 0, {
        acks: -1,
        timeoutMs: 10_000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
      });
      const partition = produced?.responses[0]?.partitionResponses[0];
      expect(partition?.errorCode).toBe(0);
      const baseOffset = partition!.baseOffset;

      const fetched = await client.sendToLeader(topic, 0, 1, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1 << 20,
        sessionEpoch: -1,
        topics: [
          {
            topic,
            partitions: [
              { partition: 0, fetchOffset: baseOffset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 },
            ],
          },
        ],
      });
      const records = fetched.responses[0]?.partitions[0]?.records;
      expect(records).toBeTruthy();
      const [stored] = [...iterateBatches(records!)];
      // The broker assigns the offset and stamps its leader epoch; neither is under the CRC.
      const expected = Uint8Array.from(batch);
      setBatchBaseOffset(expected, baseOffset);
      setBatchPartitionLeaderEpoch(expected, readBatchHeader(stored!).partitionLeaderEpoch);
      expect(Buffer.from(stored!).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
      const values = decodeRecordBatch(stored!).records.map((r) =>
        r.value ? Buffer.from(r.value).toString() : null,
      );
      expect(values).toEqual(['raw-0', 'raw-1', null]);
    });

    it('acks=0 Produce resolves with null and the pipeline keeps going', async () => {
      const topic = await createTopic('acks0', 1);
      const leader = await client.partitionLeader(topic, 0);
      const conn = await client.connection({ nodeId: leader });
      const batch = encodeRecordBatch([{ key: null, value: new TextEncoder().encode('fire-and-forget') }]);
      const [noAnswer, metadata] = await Promise.all([
        conn.send(0, {
          acks: 0,
          timeoutMs: 1_000,
          topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
        }),
        conn.send(3, { topics: [{ name: topic }] }),
      ]);
      expect(noAnswer).toBeNull();
      expect(metadata.topics[0]?.name).toBe(topic);
      // The record landed: ListOffsets latest is 1.
      const offsets = await conn.send(2, {
        replicaId: -1,
        topics: [
          { name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n, currentLeaderEpoch: -1 }] },
        ],
      });
      expect(offsets.topics[0]?.partitions[0]?.offset).toBe(1n);
    });

    it('ElectLeaders (preferred) answers per partition; DescribeLogDirs lists the topic on its broker', async () => {
      const topic = await createTopic('admin', 2);
      await client.partitionLeader(topic, 1); // leaders exist
      const elected = await client.send('controller', 43, {
        electionType: 0, // PREFERRED
        topicPartitions: [{ topic, partitions: [0, 1] }],
        timeoutMs: 10_000,
      });
      expect(elected.errorCode).toBe(0);
      const results = elected.replicaElectionResults.find((r) => r.topic === topic)?.partitionResult ?? [];
      // One replica per partition: its leader already is the preferred one.
      expect(results.map((r) => [r.partitionId, r.errorCode]).sort()).toEqual([
        [0, 84],
        [1, 84],
      ]); // ELECTION_NOT_NEEDED
      const leader = await client.partitionLeader(topic, 0);
      // Apache Kafka publishes a partition's leader in metadata before its log directory holds the
      // partition (the log is created as the broker applies the metadata delta), so a DescribeLogDirs
      // right after CreateTopics may list only some partitions. Ask again until both are there.
      const listed = await vi.waitFor(
        async () => {
          const dirs = await client.send({ nodeId: leader }, 35, { topics: [{ topic, partitions: [0, 1] }] });
          expect(dirs.errorCode).toBe(0);
          const found = dirs.results.flatMap((d) => d.topics).find((t) => t.name === topic);
          const partitions = found?.partitions.map((p) => p.partitionIndex).sort() ?? [];
          if (partitions.length < 2) throw new Error(`log dirs list partitions [${partitions}] so far`);
          return partitions;
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(listed).toEqual([0, 1]);
    });

    it('pipelines 50 requests on one connection and answers each with its own response', async () => {
      const conn = await client.connection('any');
      const topics = Array.from({ length: 50 }, (_, i) => `kt-pipeline-absent-${i}`);
      const responses = await Promise.all(
        topics.map((name) => conn.send(3, { topics: [{ name }], allowAutoTopicCreation: false })),
      );
      expect(responses.map((r) => r.topics[0]?.name)).toEqual(topics);
      expect(responses.every((r) => r.topics[0]?.errorCode === 3)).toBe(true); // UNKNOWN_TOPIC_OR_PARTITION
    });

    it('a refused connection is a KT_CONNECTION error', async () => {
      const err = await Connection.connect({ host: '127.0.0.1', port: 1, connectTimeoutMs: 5_000 }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(KafkaConnectionError);
      expect((err as KtError).code).toBe('KT_CONNECTION');
    });
  },
  { targets: ['real'] },
);

describe('protocol client SASL against Apache Kafka', () => {
  let kafka: CaptureKafka | undefined;
  let skip: string | undefined;

  beforeAll(async () => {
    skip = await realKafkaUnavailableReason();
    if (skip && process.env.KT_REQUIRE_REAL_KAFKA === '1' && skip !== 'embedded target only') {
      throw new Error(`KT_REQUIRE_REAL_KAFKA=1: ${skip}`);
    }
    if (skip) console.log(`[kt-test] SASL tests skipped: ${skip}`);
    else kafka = await startCaptureKafka();
  }, 180_000);
  afterAll(async () => {
    await kafka?.stop();
  });

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    it(`authenticates with ${mechanism} and then serves requests`, async (ctx) => {
      if (skip) ctx.skip();
      const conn = await Connection.connect({
        host: '127.0.0.1',
        port: kafka!.saslPort,
        sasl: { mechanism, username: SASL_USER, password: SASL_PASSWORD },
      });
      try {
        const metadata = await conn.send(3, { topics: [] });
        expect(metadata.brokers.length).toBe(1);
      } finally {
        await conn.close();
      }
    });

    it(`rejects a wrong ${mechanism} password with SaslAuthenticationError`, async (ctx) => {
      if (skip) ctx.skip();
      const err = await Connection.connect({
        host: '127.0.0.1',
        port: kafka!.saslPort,
        sasl: { mechanism, username: SASL_USER, password: 'wrong' },
      }).catch((e) => e);
      expect(err).toBeInstanceOf(SaslAuthenticationError);
      expect((err as KtError).kafkaCode).toBe(58); // SASL_AUTHENTICATION_FAILED
    });
  }
});
