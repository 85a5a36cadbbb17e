/**
 * Python clients in consumer groups against the embedded broker (started here, with a data dir):
 * kafka-python 2.0 (Debian python3-kafka) and confluent-kafka (python3-confluent-kafka, librdkafka) each
 * produce, consume part of the records in a group and commit; the broker restarts on the same data dir
 * (a new port), and the same group resumes from the committed offsets: together the two runs see every
 * record exactly once. A confluent-kafka static member (group.instance.id) keeps its place in the group
 * when it closes, and resumes when it comes back. Debian's /usr/bin/python3 runs as an async child process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/broker/index.js';
import { run } from '../broker/data-path-client.js';

const PYTHON = '/usr/bin/python3';
const RECORDS = 20;
const FIRST_RUN = 12;

// One script for both libraries: produce N records, or consume N records in a group and commit them.
const SCRIPT = `import json, sys, time
lib, bootstrap, mode, topic, group = sys.argv[1:6]
count = int(sys.argv[6]) if len(sys.argv) > 6 else 0
instance = sys.argv[7] if len(sys.argv) > 7 else None
DEADLINE = time.time() + 40

def out(values):
    print(json.dumps(values), flush=True)

if lib == 'kafka-python':
    from kafka import KafkaProducer, KafkaConsumer
    if mode == 'produce':
        p = KafkaProducer(bootstrap_servers=bootstrap, acks='all')
        for i in range(count):
            p.send(topic, key=b'k%d' % i, value=(f'{group}-{i}').encode())
        p.flush(); p.close(); out([]); sys.exit(0)
    c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                      auto_offset_reset='earliest', session_timeout_ms=10000)
    got = []
    while time.time() < DEADLINE and len(got) < count:
        batches = c.poll(timeout_ms=500, max_records=count - len(got))
        for recs in batches.values():
            got.extend(r.value.decode() for r in recs)
    c.commit(); c.close(); out(got)
else:
    from confluent_kafka import Producer, Consumer
    if mode == 'produce':
        p = Producer({'bootstrap.servers': bootstrap, 'acks': 'all'})
        for i in range(count):
            p.produce(topic, key=b'k%d' % i, value=(f'{group}-{i}').encode())
        p.flush(30); out([]); sys.exit(0)
    c = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'enable.auto.commit': False,
                  'auto.offset.reset': 'earliest', 'session.timeout.ms': 10000,
                  **({'group.instance.id': instance} if instance else {})})
    c.subscribe([topic])
    got = []
    while time.time() < DEADLINE and len(got) < count:
        for m in c.consume(num_messages=count - len(got), timeout=0.5):
            if m.error():
                continue
            got.append(m.value().decode())
    c.commit(asynchronous=False); c.close(); out(got)
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function python(args: string[]): Promise<string[]> {
  const result = await run('timeout', ['60', PYTHON, join(dirs[0]!, 'groups_client.py'), ...args]);
  expect(result.code, result.stderr).toBe(0);
  const last = result.stdout.trim().split('\n').pop() ?? '[]';
  return JSON.parse(last) as string[];
}

describe('python clients in a consumer group', () => {
  const scriptDir = mkdtempSync(join(tmpdir(), 'kt-groups-py-'));
  dirs.push(scriptDir);
  writeFileSync(join(scriptDir, 'groups_client.py'), SCRIPT);

  for (const lib of ['kafka-python', 'confluent-kafka']) {
    it(`${lib}: produce, consume and commit, restart the broker, resume from the committed offset`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kt-groups-py-data-'));
      dirs.push(dataDir);
      const topic = `py-${lib}`;
      const group = `grp-${lib}`;
      const all = Array.from({ length: RECORDS }, (_, i) => `${group}-${i}`);

      const first = await startBroker({ port: 0, dataDir });
      let firstRun: string[];
      try {
        first.core.topics.create({ name: topic, numPartitions: 2, replicationFactor: -1, configs: {} });
        await python([lib, first.bootstrap, 'produce', topic, group, String(RECORDS)]);
        firstRun = await python([lib, first.bootstrap, 'consume', topic, group, String(FIRST_RUN)]);
        expect(firstRun).toHaveLength(FIRST_RUN);
      } finally {
        await first.close();
      }

      const second = await startBroker({ port: 0, dataDir });
      try {
        const rest = await python([
          lib,
          second.bootstrap,
          'consume',
          topic,
          group,
          String(RECORDS - FIRST_RUN),
        ]);
        expect([...firstRun, ...rest].sort()).toEqual([...all].sort());
        const committed = second.core.groups.coordinator.committedOffsets(group);
        expect(committed.reduce((n, c) => n + c.offset.committedOffset, 0n)).toBe(BigInt(RECORDS));
      } finally {
        await second.close();
      }
    });
  }

  it('confluent-kafka static member (group.instance.id) stays in the group across a client restart and resumes', async () => {
    const broker = await startBroker({ port: 0 });
    try {
      const topic = 'py-static';
      const group = 'grp-static';
      broker.core.topics.create({ name: topic, numPartitions: 2, replicationFactor: -1, configs: {} });
      const lib = 'confluent-kafka';
      await python([lib, broker.bootstrap, 'produce', topic, group, String(RECORDS)]);
      const first = await python([
        lib,
        broker.bootstrap,
        'consume',
        topic,
        group,
        String(FIRST_RUN),
        'static-1',
      ]);
      // A static member does not leave on close: it keeps its place until its session times out.
      const [described] = await broker.core.groups.coordinator.describeGroups([group]);
      expect(described!.groupState).toBe('Stable');
      expect(described!.members.map((m) => m.groupInstanceId)).toEqual(['static-1']);
      const rest = await python([
        lib,
        broker.bootstrap,
        'consume',
        topic,
        group,
        String(RECORDS - FIRST_RUN),
        'static-1',
      ]);
      const all = Array.from({ length: RECORDS }, (_, i) => `${group}-${i}`);
      expect([...first, ...rest].sort()).toEqual(all.sort());
    } finally {
      await broker.close();
    }
  });
});
