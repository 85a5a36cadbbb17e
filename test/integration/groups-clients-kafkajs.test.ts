/**
 * kafkajs consumer groups against the embedded broker (started here, in process; it does not use the
 * shared real Kafka): a group of 3 members splits a 6-partition topic, rebalances when one member leaves
 * and when a new one joins, and every record is consumed by exactly one member. Between phases the
 * test waits for the produced records' offsets to be committed, so a rebalance never replays records.
 * Also kafkajs admin's group APIs: describeGroups, listGroups, deleteGroups, fetchOffsets, resetOffsets.
 */
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/broker/index.js';

const { AssignerProtocol, Kafka, logLevel } = kafkajs;
type Consumer = ReturnType<InstanceType<typeof Kafka>['consumer']>;

const TOPIC = 'trio-topic';
const GROUP = 'trio';
const PARTITIONS = 6;
const PHASE_TIMEOUT_MS = 30_000;

let broker: RunningBroker;
let kafka: InstanceType<typeof Kafka>;

beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  broker.core.topics.create({ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: -1, configs: {} });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'kt-groups', logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await broker?.close();
});

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Who consumed what: "partition:offset" → consumer names. */
const consumedBy = new Map<string, string[]>();

async function startMember(name: string): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: GROUP,
    sessionTimeout: 10_000,
    heartbeatInterval: 300,
    // kafkajs heartbeats between fetches: a short long-poll lets members notice a rebalance quickly.
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const key = `${partition}:${message.offset}`;
      consumedBy.set(key, [...(consumedBy.get(key) ?? []), name]);
    },
  });
  return consumer;
}

let produced = 0;
async function produce(count: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const metas = await producer.send({
    topic: TOPIC,
    messages: Array.from({ length: count }, (_, i) => ({
      key: `k${produced + i}`,
      value: `v${produced + i}`,
    })),
  });
  produced += count;
  await producer.disconnect();
  expect(metas.every((m) => m.errorCode === 0)).toBe(true);
}

/** Stable with `members` members whose assignments are disjoint and cover every partition. */
async function stableAssignment(members: number): Promise<Map<string, number[]>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let byMember = new Map<string, number[]>();
    await until(async () => {
      const { groups } = await admin.describeGroups([GROUP]);
      const group = groups[0]!;
      if (group.state !== 'Stable' || group.members.length !== members) return false;
      byMember = new Map(
        group.members.map((m) => {
          const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
          return [m.memberId, decoded?.assignment[TOPIC] ?? []];
        }),
      );
      return true;
    }, `a Stable group of ${members}`);
    const all = [...byMember.values()].flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: PARTITIONS }, (_, i) => i));
    for (const partitions of byMember.values()) expect(partitions.length).toBeGreaterThan(0);
    return byMember;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until every produced record was consumed and its offset committed. */
async function drainedAndCommitted(): Promise<void> {
  await until(() => consumedBy.size === produced, `${produced} records consumed`);
  await until(() => {
    const committed = broker.core.groups.coordinator.committedOffsets(GROUP);
    let total = 0n;
    for (const c of committed) total += c.offset.committedOffset;
    return committed.length === PARTITIONS && total === BigInt(produced);
  }, 'every consumed offset committed');
}

describe('kafkajs consumer group', () => {
  it('rebalances 3 members when one leaves and when one joins; each record consumed once', async () => {
    const members = new Map<string, Consumer>();
    for (const name of ['a', 'b', 'c']) members.set(name, await startMember(name));
    await stableAssignment(3);
    await produce(300);
    await drainedAndCommitted();
    const phase1 = new Set([...consumedBy.values()].flat());
    expect(phase1).toEqual(new Set(['a', 'b', 'c']));

    // One leaves (LeaveGroup): the other two take over all six partitions.
    await members.get('c')!.disconnect();
    members.delete('c');
    await stableAssignment(2);
    const before = consumedBy.size;
    await produce(300);
    await drainedAndCommitted();
    const phase2 = [...consumedBy.entries()].slice(before).flatMap(([, names]) => names);
    expect(new Set(phase2)).toEqual(new Set(['a', 'b']));

    // One joins: three members again.
    members.set('d', await startMember('d'));
    await stableAssignment(3);
    const before3 = consumedBy.size;
    await produce(300);
    await drainedAndCommitted();
    const phase3 = new Set([...consumedBy.entries()].slice(before3).flatMap(([, names]) => names));
    expect(phase3.has('c')).toBe(false);
    expect(phase3.size).toBeGreaterThanOrEqual(2);

    // Exactly one consumer per record over the whole run.
    expect(consumedBy.size).toBe(900);
    for (const [key, names] of consumedBy) expect(names, key).toHaveLength(1);
    for (const consumer of members.values()) await consumer.disconnect();
  });

  it('admin: describes, lists, resets and deletes the group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const listed = await admin.listGroups();
      expect(listed.groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });
      const { groups } = await admin.describeGroups([GROUP]);
      expect(groups[0]!.state).toBe('Empty');
      const offsets = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      const total = offsets[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0);
      expect(total).toBe(900);
      // kafkajs' resetOffsets commits the sentinel -2 (earliest); setOffsets commits real offsets.
      const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({
        partition,
        offset: String(partition),
      }));
      await admin.setOffsets({ groupId: GROUP, topic: TOPIC, partitions });
      const reset = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      expect(reset[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(
        partitions.map((p) => [p.partition, p.offset]),
      );
      await admin.deleteGroups([GROUP]);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(GROUP);
    } finally {
      await admin.disconnect();
    }
  });
});
