/**
 * The embedded broker's admin APIs through kafkajs (a real client): CreateTopics (validation, errors,
 * validate-only), DeleteTopics, CreatePartitions, DescribeConfigs, AlterConfigs (whole-set semantics),
 * DescribeCluster; and the protocol core for IncrementalAlterConfigs, ElectLeaders and DescribeLogDirs,
 * which kafkajs lacks.
 */

import { connect } from 'node:net';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/schema/headers.js';
import type { ApiKey, RequestOf, ResponseOf } from '../../src/protocol/schema/registry.js';

let broker: RunningBroker;
let admin: ReturnType<InstanceType<typeof kafkajs.Kafka>['admin']>;

beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  const kafka = new kafkajs.Kafka({
    brokers: [broker.bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 0 },
  });
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await broker?.close();
});

/** One raw request over a fresh connection, for APIs kafkajs does not implement. */
async function raw<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  body: RequestOf<K>,
): Promise<ResponseOf<K>> {
  const [host, port] = broker.bootstrap.split(':') as [string, string];
  const socket = connect({ host, port: Number(port) });
  const chunks: Buffer[] = [];
  const frame = encodeRequestFrame({ apiKey, apiVersion, correlationId: 7, clientId: 'test', body });
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= all.readInt32BE(0) + 4) resolve(all);
    });
    socket.on('error', reject);
    socket.write(frame);
  });
  socket.destroy();
  const { header, body: response } = decodeResponseFrame(apiKey, apiVersion, bytes);
  expect(header.correlationId).toBe(7);
  return response;
}

describe('CreateTopics', () => {
  it('creates a topic with partitions and config overrides, and refuses a second create', async () => {
    expect(
      await admin.createTopics({
        topics: [
          { topic: 'orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] },
        ],
      }),
    ).toBe(true);
    const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(meta.topics[0]!.partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual([
      [0, 1, [1], [1]],
      [1, 1, [1], [1]],
      [2, 1, [1], [1]],
    ]);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] })).toBe(false);
  });

  it('answers each invalid topic with Kafka error codes and creates nothing', async () => {
    const response = await raw(19, 7, {
      topics: [
        { name: 'bad/name', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'zero-partitions', numPartitions: 0, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'rf3', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] },
        {
          name: 'bad-config',
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'no.such.config', value: '1' }],
        },
        {
          name: 'bad-value',
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'retention.ms', value: 'soon' }],
        },
        { name: '.', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'x'.repeat(250), numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(response.topics.map((t) => t.errorCode)).toEqual([17, 37, 38, 40, 40, 17, 17]);
    expect(response.topics[3]!.errorMessage).toContain('no.such.config');
    expect(await admin.listTopics()).not.toContain('zero-partitions');
  });

  it('validate-only reports success and the effective configs without creating', async () => {
    const response = await raw(19, 7, {
      topics: [
        {
          name: 'dry',
          numPartitions: 4,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      timeoutMs: 1000,
      validateOnly: true,
    });
    expect(response.topics[0]).toMatchObject({ errorCode: 0, numPartitions: 4, replicationFactor: 1 });
    expect(response.topics[0]!.configs?.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'compact',
      configSource: 1,
    });
    expect(await admin.listTopics()).not.toContain('dry');
  });
});

describe('configs', () => {
  it('DescribeConfigs reports overrides as topic configs and the rest as defaults', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'cfg', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '1048576' }] },
      ],
    });
    const result = await admin.describeConfigs({
      resources: [{ type: 2, name: 'cfg' }],
      includeSynonyms: false,
    });
    const entries = new Map(result.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries.get('segment.bytes')).toMatchObject({
      configValue: '1048576',
      isDefault: false,
      configSource: 1,
    });
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '604800000', configSource: 5 });
    expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'delete' });
  });

  it('IncrementalAlterConfigs sets, appends and deletes one config while others survive', async () => {
    await admin.createTopics({
      topics: [{ topic: 'inc', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '1000' }] }],
    });
    const response = await raw(44, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'inc',
          configs: [
            { name: 'max.message.bytes', configOperation: 0, value: '2000000' },
            { name: 'cleanup.policy', configOperation: 2, value: 'compact' },
          ],
        },
      ],
      validateOnly: false,
    });
    expect(response.responses[0]!.errorCode).toBe(0);
    const described = await admin.describeConfigs({
      resources: [
        { type: 2, name: 'inc', configNames: ['retention.ms', 'max.message.bytes', 'cleanup.policy'] },
      ],
      includeSynonyms: false,
    });
    const values = Object.fromEntries(
      described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
    );
    expect(values).toEqual({
      'retention.ms': '1000',
      'max.message.bytes': '2000000',
      'cleanup.policy': 'delete,compact',
    });
    const bad = await raw(44, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'inc',
          configs: [{ name: 'retention.ms', configOperation: 2, value: '5' }],
        },
      ],
      validateOnly: false,
    });
    expect(bad.responses[0]!.errorCode).toBe(40);
  });

  it('AlterConfigs replaces the whole set of overrides (Kafka semantics)', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'whole', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '1000' }] },
      ],
    });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: 'whole', configEntries: [{ name: 'segment.ms', value: '5000' }] }],
    });
    const described = await admin.describeConfigs({
      resources: [{ type: 2, name: 'whole', configNames: ['retention.ms', 'segment.ms'] }],
      includeSynonyms: false,
    });
    const values = Object.fromEntries(
      described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
    );
    expect(values).toEqual({ 'retention.ms': '604800000', 'segment.ms': '5000' });
  });

  it('dynamic broker configs change the default of topics without an override', async () => {
    const response = await raw(44, 1, {
      resources: [
        {
          resourceType: 4,
          resourceName: '',
          configs: [{ name: 'log.retention.ms', configOperation: 0, value: '123456' }],
        },
      ],
      validateOnly: false,
    });
    expect(response.responses[0]!.errorCode).toBe(0);
    await admin.createTopics({ topics: [{ topic: 'after-dynamic', numPartitions: 1 }] });
    const described = await admin.describeConfigs({
      resources: [{ type: 2, name: 'after-dynamic', configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    expect(described.resources[0]!.configEntries[0]).toMatchObject({
      configValue: '123456',
      configSource: 3,
    });
    const readOnly = await raw(44, 1, {
      resources: [
        { resourceType: 4, resourceName: '', configs: [{ name: 'node.id', configOperation: 0, value: '7' }] },
      ],
      validateOnly: false,
    });
    expect(readOnly.responses[0]!.errorCode).toBe(40);
  });
});

describe('partitions, deletion and cluster', () => {
  it('CreatePartitions grows a topic and refuses to shrink it', async () => {
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 2 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 5 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['grow'] })).topics[0]!.partitions).toHaveLength(5);
    await expect(
      admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] }),
    ).rejects.toThrow();
  });

  it('DeleteTopics removes a topic; unknown names get UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    await admin.deleteTopics({ topics: ['doomed'] });
    expect(await admin.listTopics()).not.toContain('doomed');
    const response = await raw(20, 6, {
      topics: [{ name: 'never-existed', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      topicNames: [],
      timeoutMs: 1000,
    });
    expect(response.responses[0]!.errorCode).toBe(3);
  });

  it('DescribeCluster, ElectLeaders and DescribeLogDirs answer for the single node', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster).toMatchObject({
      controller: 1,
      clusterId: broker.clusterId,
      brokers: [{ nodeId: 1, port: broker.port }],
    });
    await admin.createTopics({ topics: [{ topic: 'elect', numPartitions: 1 }] });
    const elect = await raw(43, 2, {
      electionType: 0,
      topicPartitions: [{ topic: 'elect', partitions: [0, 9] }],
      timeoutMs: 1000,
    });
    expect(elect.replicaElectionResults[0]!.partitionResult.map((p) => p.errorCode)).toEqual([84, 3]);
    const dirs = await raw(35, 4, { topics: [{ topic: 'elect', partitions: [0] }] });
    expect(dirs.results[0]!.topics).toEqual([
      {
        name: 'elect',
        partitions: [{ partitionIndex: 0, partitionSize: 0n, offsetLag: 0n, isFutureKey: false }],
      },
    ]);
  });
});
