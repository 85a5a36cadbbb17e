// `kt groups` end to end through the built binary with live kafkajs group members: describe (members,
// assignments, lag and time lag for known positions and record timestamps), every reset-offsets mode read
// back through OffsetFetch (kafkajs admin.fetchOffsets), --execute refused while members are active and
// applied once they left, the undo file restoring the previous offsets exactly, list/delete/delete-offsets,
// bad input (one error line, exit 1 or 2, nothing changed), and on the real Kafka agreement with Java's
// ConsumerGroupCommand --describe. JSON shapes are snapshotted in fixtures/cli/groups/.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer } from 'kafkajs';
import { expect, it } from 'vitest';
import { ktAt, runKt } from '../cli/run-kt.js';
import { runKafkaTool } from '../real-kafka/harness.js';
import { type ClusterFixture, describeClusters } from '../support/clusters.js';
import { expectShape } from './topics-shapes.js';

const RECORDS_PER_PARTITION = 10;
const HOUR_MS = 3_600_000;

interface PartitionJson {
  topic: string;
  partition: number;
  committedOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  firstUnconsumedTimestamp: number | null;
  timeLagSeconds: number | null;
  memberId: string | null;
  clientId: string | null;
}

interface GroupJson {
  group: string;
  state: string;
  protocolType: string;
  assignor: string;
  members: Array<{
    memberId: string;
    clientId: string;
    host: string;
    assignments: Array<{ topic: string; partitions: number[] }>;
  }>;
  partitions: PartitionJson[];
  topics: Array<{ topic: string; lag: number; timeLagSeconds: number | null }>;
  lag: number;
  timeLagSeconds: number | null;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describeClusters('kt groups', (cluster) => {
  const { kt, ktJson } = ktAt(cluster);
  const describeOne = async (group: string): Promise<{ describedAt: number; group: GroupJson }> => {
    const d = await ktJson<{ describedAt: number; groups: GroupJson[] }>('groups', 'describe', group);
    return { describedAt: d.describedAt, group: d.groups[0]! };
  };

  /**
   * A topic of 2 partitions with RECORDS_PER_PARTITION records each; record i is stamped base + i hours.
   * Retention is off: time retention would delete records stamped weeks ago.
   */
  async function seededTopic(c: ClusterFixture, prefix: string, baseMs: number): Promise<string> {
    const topic = c.uniqueTopic(prefix);
    const admin = c.kafkajs().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 2,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '-1' }],
        },
      ],
      waitForLeaders: false,
    });
    // Leaders may take a moment on a loaded machine; kafkajs' own wait throws on the first miss.
    await until('leaders of the new topic', async () => {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      const ps = meta?.topics[0]?.partitions ?? [];
      return ps.length === 2 && ps.every((p) => p.leader >= 0) ? true : undefined;
    });
    await admin.disconnect();
    // Idempotent: a retried send under load must not duplicate records (positions are asserted).
    const producer = c.kafkajs().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      messages: [0, 1].flatMap((partition) =>
        Array.from({ length: RECORDS_PER_PARTITION }, (_, i) => ({
          partition,
          value: `v${partition}-${i}`,
          timestamp: String(baseMs + i * HOUR_MS),
        })),
      ),
    });
    await producer.disconnect();
    return topic;
  }

  async function committed(group: string, topic: string): Promise<number[]> {
    const admin = cluster.kafkajs().admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return t!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
    } finally {
      await admin.disconnect();
    }
  }

  async function setCommitted(group: string, topic: string, offsets: number[]): Promise<void> {
    const admin = cluster.kafkajs().admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: offsets.map((o, partition) => ({ partition, offset: String(o) })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  it('describes live members, assignments, lag and time lag; --execute waits until they left', async () => {
    const base = Date.now() - 30 * 24 * HOUR_MS;
    const topic = await seededTopic(cluster, 'describe', base);
    const group = cluster.uniqueGroup('describe');
    const consumers: Consumer[] = [];
    try {
      for (const clientId of ['kt-member-a', 'kt-member-b']) {
        const consumer = cluster
          .kafkajs({ clientId })
          .consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 500 });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        // Consume nothing on purpose: positions stay where the test commits them.
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ pause }) => void pause(),
        });
        consumers.push(consumer);
      }
      const stable = await until('two members with assignments', async () => {
        const d = await describeOne(group);
        const assigned = d.group.members.flatMap((m) => m.assignments.flatMap((a) => a.partitions));
        return d.group.state === 'Stable' && d.group.members.length === 2 && assigned.length === 2
          ? d
          : undefined;
      });
      expect(stable.group.protocolType).toBe('consumer');
      expect(stable.group.assignor).not.toBe('');
      expect(stable.group.members.map((m) => m.clientId).sort()).toEqual(['kt-member-a', 'kt-member-b']);
      expect(stable.group.members.flatMap((m) => m.assignments.map((a) => a.topic))).toEqual([topic, topic]);
      expect(stable.group.members.flatMap((m) => m.assignments.flatMap((a) => a.partitions)).sort()).toEqual([
        0, 1,
      ]);

      // Commit known positions as the members would: p0 at 3 (7 behind), p1 at the end.
      await consumers[0]!
        .commitOffsets([
          { topic, partition: 0, offset: '3' },
          { topic, partition: 1, offset: String(RECORDS_PER_PARTITION) },
        ])
        .catch(async () => {
          // The commit must come from the member that owns the partitions in some clients; retry via the other.
          await consumers[1]!.commitOffsets([
            { topic, partition: 0, offset: '3' },
            { topic, partition: 1, offset: String(RECORDS_PER_PARTITION) },
          ]);
        });
      const { describedAt, group: g } = await describeOne(group);
      const [p0, p1] = g.partitions;
      expect(p0).toMatchObject({
        topic,
        partition: 0,
        committedOffset: 3,
        logEndOffset: 10,
        lag: 7,
        firstUnconsumedTimestamp: base + 3 * HOUR_MS,
      });
      expect(p0!.timeLagSeconds).toBe((describedAt - (base + 3 * HOUR_MS)) / 1000);
      expect(p1).toMatchObject({
        topic,
        partition: 1,
        committedOffset: 10,
        logEndOffset: 10,
        lag: 0,
        timeLagSeconds: 0,
        firstUnconsumedTimestamp: null,
      });
      const owner = g.members.find((m) => m.assignments.some((a) => a.partitions.includes(0)))!;
      expect(p0!.memberId).toBe(owner.memberId);
      expect(p0!.clientId).toBe(owner.clientId);
      expect(g.topics).toEqual([{ topic, lag: 7, timeLagSeconds: p0!.timeLagSeconds }]);
      expect(g.lag).toBe(7);
      expect(g.timeLagSeconds).toBe(p0!.timeLagSeconds);
      expectShape('groups/describe', { describedAt, groups: [g] });

      const onlyLag = await ktJson<{ groups: GroupJson[] }>('groups', 'describe', group, '--only-with-lag');
      expect(onlyLag.groups[0]!.partitions.map((p) => p.partition)).toEqual([0]);
      const table = await kt('groups', 'describe', group);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(
        /TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +TIME-LAG +CONSUMER-ID +HOST +CLIENT-ID/,
      );
      expect(table.stdout).toMatch(new RegExp(`${topic} +0 +3 +10 +7 +\\d+d\\d\\dh\\d\\dm `));
      expect(table.stdout).toMatch(new RegExp(`${topic} +TOTAL +7 `));

      if (cluster.target === 'real') {
        const java = await runKafkaTool('ConsumerGroupCommand', [
          '--bootstrap-server',
          cluster.bootstrap,
          '--describe',
          '--group',
          group,
        ]);
        expect(java.code, java.stderr).toBe(0);
        const rows = java.stdout
          .split('\n')
          .map((l) => l.trim().split(/\s+/))
          .filter((c) => c[0] === group)
          .map((c) => ({
            topic: c[1],
            partition: Number(c[2]),
            current: c[3],
            end: c[4],
            lag: c[5],
            member: c[6],
          }))
          .sort((a, b) => a.partition - b.partition);
        expect(rows).toEqual(
          g.partitions.map((p) => ({
            topic: p.topic,
            partition: p.partition,
            current: String(p.committedOffset),
            end: String(p.logEndOffset),
            lag: String(p.lag),
            member: p.memberId,
          })),
        );
      }

      // Refused while members are active: one line naming them, nothing changed.
      const refused = await kt(
        'groups',
        'reset-offsets',
        group,
        '--topic',
        topic,
        '--to-earliest',
        '--execute',
        '--undo-file',
        join(mkdtempSync(join(tmpdir(), 'kt-g-')), 'u.json'),
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^Error: Group "${group}" has 2 active members \\(state Stable\\): .*kt-member-a.*kt-member-b`,
        ),
      );
      for (const m of g.members) expect(refused.stderr).toContain(m.memberId);
      expect(await committed(group, topic)).toEqual([3, 10]);
      const notEmpty = await kt('groups', 'delete', group, '--yes');
      expect(notEmpty.code).toBe(1);
      expect(notEmpty.stderr).toMatch(/has 2 active members/);

      // One by one: two members leaving at once can leave one rejoining while the group looks Empty.
      for (const c of consumers.splice(0)) await c.disconnect();
      await until('the group to be empty', async () =>
        (await describeOne(group)).group.state === 'Empty' ? true : undefined,
      );
      const before = await committed(group, topic);
      const undoPath = join(mkdtempSync(join(tmpdir(), 'kt-g-')), 'u.json');
      const applied = await kt(
        'groups',
        'reset-offsets',
        group,
        '--topic',
        topic,
        '--to-earliest',
        '--execute',
        '--undo-file',
        undoPath,
        '--output',
        'json',
      );
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stderr).toContain(`Undo file: ${undoPath}`);
      expect(JSON.parse(applied.stdout)).toMatchObject({ executed: true, undoFile: undoPath });
      expect(await committed(group, topic), `${JSON.stringify(before)} ${applied.stdout}`).toEqual([0, 0]);
      const undone = await kt(
        'groups',
        'reset-offsets',
        group,
        '--from-file',
        undoPath,
        '--execute',
        '--undo-file',
        `${undoPath}.2`,
      );
      expect(undone.code, undone.stderr).toBe(0);
      expect(await committed(group, topic)).toEqual(before);
    } finally {
      await Promise.all(consumers.map((c) => c.disconnect()));
    }
  }, 240_000);

  it('every reset mode, read back through OffsetFetch; plans change nothing; undo restores exactly', async () => {
    const base = Date.now() - 30 * 24 * HOUR_MS;
    const topic = await seededTopic(cluster, 'reset', base);
    const group = cluster.uniqueGroup('reset');
    const other = cluster.uniqueGroup('reset-other');
    const dir = mkdtempSync(join(tmpdir(), 'kt-groups-'));
    await setCommitted(group, topic, [5, 5]);
    await setCommitted(other, topic, [2, 8]);
    let n = 0;
    const reset = async (...args: string[]) => {
      const undo = join(dir, `undo-${++n}.json`);
      const r = await kt(
        'groups',
        'reset-offsets',
        group,
        '--topic',
        topic,
        ...args,
        '--execute',
        '--undo-file',
        undo,
        '--output',
        'json',
      );
      expect(r.code, r.stderr).toBe(0);
      return {
        result: JSON.parse(r.stdout) as {
          executed: boolean;
          partitions: Array<Record<string, unknown>>;
          warnings: string[];
        },
        stderr: r.stderr,
        undo,
      };
    };

    // The default is a plan: nothing changes.
    const plan = await ktJson<{ executed: boolean; partitions: unknown[]; warnings: unknown[] }>(
      'groups',
      'reset-offsets',
      group,
      '--topic',
      topic,
      '--to-earliest',
    );
    expect(plan.executed).toBe(false);
    expect(plan.partitions).toEqual(
      [0, 1].map((partition) => ({
        topic,
        partition,
        currentOffset: 5,
        newOffset: 0,
        logStartOffset: 0,
        logEndOffset: 10,
        lagAfter: 10,
        clampedFrom: null,
      })),
    );
    expectShape('groups/reset-plan', plan);
    const planTable = await kt('groups', 'reset-offsets', group, '--topic', topic, '--to-earliest');
    expect(planTable.stdout).toMatch(/TOPIC +PARTITION +CURRENT +NEW +LOG-START +LOG-END +LAG-AFTER/);
    expect(planTable.stdout).toMatch(new RegExp(`${topic} +0 +5 +0 +0 +10 +10`));
    expect(await committed(group, topic)).toEqual([5, 5]);

    const first = await reset('--to-earliest');
    expect(first.result.executed).toBe(true);
    expect(await committed(group, topic)).toEqual([0, 0]);
    const undoOfFirst = first.undo;
    await reset('--to-latest');
    expect(await committed(group, topic)).toEqual([10, 10]);
    await reset('--to-offset', '4');
    expect(await committed(group, topic)).toEqual([4, 4]);
    const clamped = await reset('--to-offset', '99');
    expect(await committed(group, topic)).toEqual([10, 10]);
    expect(clamped.result.warnings).toEqual(
      [0, 1].map((p) => `${topic}:${p}: offset 99 is past the log end 10; using 10`),
    );
    expect(clamped.stderr).toContain(`Warning: ${topic}:0: offset 99 is past the log end 10; using 10`);
    await reset('--shift-by=-3');
    expect(await committed(group, topic)).toEqual([7, 7]);
    await reset('--shift-by=+1');
    expect(await committed(group, topic)).toEqual([8, 8]);
    await reset('--shift-by=-100');
    expect(await committed(group, topic)).toEqual([0, 0]);
    await reset('--to-datetime', new Date(base + 6 * HOUR_MS).toISOString());
    expect(await committed(group, topic)).toEqual([6, 6]);
    await reset('--to-datetime', String(base + 2 * HOUR_MS + 1));
    expect(await committed(group, topic)).toEqual([3, 3]);
    // Record i is stamped base + i h and base is 30 days ago: "30 days ago" (a little later than base)
    // first reaches record 1; "PT1H" reaches nothing, so the log end.
    await reset('--by-duration', 'P30D');
    expect(await committed(group, topic)).toEqual([1, 1]);
    await reset('--by-duration', 'PT1H');
    expect(await committed(group, topic)).toEqual([10, 10]);
    await reset('--to-offset', '5');
    await reset('--to-current');
    expect(await committed(group, topic)).toEqual([5, 5]);
    await reset('--to-group', other);
    expect(await committed(group, topic)).toEqual([2, 8]);

    // --export writes Kafka's CSV, --from-file reads it back (a single partition scope too).
    const exported = await kt(
      'groups',
      'reset-offsets',
      group,
      '--topic',
      `${topic}:1`,
      '--to-offset',
      '9',
      '--export',
    );
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(`${topic},1,9\n`);
    const csv = join(dir, 'plan.csv');
    writeFileSync(csv, exported.stdout);
    const fromCsv = await kt(
      'groups',
      'reset-offsets',
      group,
      '--from-file',
      csv,
      '--execute',
      '--undo-file',
      join(dir, 'csv-undo.json'),
    );
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    expect(await committed(group, topic)).toEqual([2, 9]);

    // The first undo file puts back what --to-earliest replaced.
    const undo = JSON.parse(readFileSync(undoOfFirst, 'utf8')) as {
      kind: string;
      group: string;
      offsets: unknown[];
    };
    expect(undo).toMatchObject({
      kind: 'kt-group-offsets',
      version: 1,
      group,
      offsets: [
        { topic, partition: 0, offset: '5' },
        { topic, partition: 1, offset: '5' },
      ],
    });
    const restored = await kt(
      'groups',
      'reset-offsets',
      group,
      '--from-file',
      undoOfFirst,
      '--execute',
      '--undo-file',
      join(dir, 'undo-undo.json'),
    );
    expect(restored.code, restored.stderr).toBe(0);
    expect(await committed(group, topic)).toEqual([5, 5]);
  }, 240_000);

  it('undo of a reset that created offsets removes them again', async () => {
    const topic = await seededTopic(cluster, 'undo-new', Date.now() - 24 * HOUR_MS);
    const group = cluster.uniqueGroup('undo-new');
    const dir = mkdtempSync(join(tmpdir(), 'kt-groups-'));
    await setCommitted(group, topic, [4]);
    expect(await committed(group, topic)).toEqual([4, -1]);
    const undo = join(dir, 'undo.json');
    const r = await kt(
      'groups',
      'reset-offsets',
      group,
      '--topic',
      topic,
      '--to-latest',
      '--execute',
      '--undo-file',
      undo,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Undo file: ${undo}`);
    expect(await committed(group, topic)).toEqual([10, 10]);
    const back = await kt(
      'groups',
      'reset-offsets',
      group,
      '--from-file',
      undo,
      '--execute',
      '--undo-file',
      join(dir, 'again.json'),
    );
    expect(back.code, back.stderr).toBe(0);
    expect(await committed(group, topic)).toEqual([4, -1]);
  });

  it('lists with state and topic filters, deletes offsets and empty groups', async () => {
    const topic = await seededTopic(cluster, 'list', Date.now() - 24 * HOUR_MS);
    const otherTopic = await seededTopic(cluster, 'list-other', Date.now() - 24 * HOUR_MS);
    const group = cluster.uniqueGroup('list');
    await setCommitted(group, topic, [1, 2]);
    await setCommitted(group, otherTopic, [3, 3]);
    const listed = await ktJson<{ groups: Array<{ group: string; state: string; protocolType: string }> }>(
      'groups',
      'list',
      '--state',
      'Empty',
    );
    expect(listed.groups.find((g) => g.group === group)).toMatchObject({ group, state: 'Empty' });
    expectShape('groups/list', listed);
    const stable = await ktJson<{ groups: Array<{ group: string }> }>('groups', 'list', '--state', 'Stable');
    expect(stable.groups.map((g) => g.group)).not.toContain(group);
    const byTopic = await ktJson<{ groups: Array<{ group: string }> }>('groups', 'list', '--topic', topic);
    expect(byTopic.groups.map((g) => g.group)).toEqual([group]);
    const yaml = await kt('groups', 'list', '--topic', topic, '--output', 'yaml');
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain(`- group: ${group}\n    state: Empty\n`);
    // --watch redraws until interrupted (here: killed); off a terminal each view is printed in turn.
    const watched = await runKt(
      ['groups', 'describe', group, '--watch', '1', '--bootstrap-server', cluster.bootstrap],
      {
        timeoutMs: 8_000,
      },
    );
    expect(watched.stdout.split(`Group: ${group}  State: Empty`).length).toBeGreaterThan(2);
    const table = await kt('groups', 'list');
    expect(table.stdout).toMatch(/^GROUP +STATE +PROTOCOL-TYPE +TYPE +COORDINATOR\n/);

    const deleted = await ktJson('groups', 'delete-offsets', group, '--topic', `${topic}:1`, '--yes');
    expect(deleted).toEqual({ group, partitions: [{ topic, partition: 1, status: 'deleted' }] });
    expectShape('groups/delete-offsets', deleted);
    expect(await committed(group, topic)).toEqual([1, -1]);
    await ktJson('groups', 'delete-offsets', group, '--topic', topic, '--yes');
    expect(await committed(group, topic)).toEqual([-1, -1]);

    const gone = await ktJson('groups', 'delete', group, '--yes');
    expect(gone).toEqual({ groups: [{ group, status: 'deleted' }] });
    expectShape('groups/delete', gone);
    const after = await kt('groups', 'describe', group);
    expect(after.code).toBe(1);
    expect(after.stderr).toBe(
      `Error: Group "${group}" does not exist\nHint: kt groups list shows the groups of the cluster\n`,
    );
  }, 240_000);

  it('bad input: one error line, exit 1 (2 for flag misuse), nothing changed', async () => {
    const topic = await seededTopic(cluster, 'bad', Date.now() - 24 * HOUR_MS);
    const never = await seededTopic(cluster, 'bad-never', Date.now() - 24 * HOUR_MS);
    const group = cluster.uniqueGroup('bad');
    await setCommitted(group, topic, [5, 5]);
    const cases: Array<[string[], number, RegExp]> = [
      [
        ['groups', 'describe', 'kt-no-such-group-xyz'],
        1,
        /^Error: Group "kt-no-such-group-xyz" does not exist$/,
      ],
      [
        ['groups', 'reset-offsets', 'kt-no-such-group-xyz', '--topic', topic, '--to-earliest'],
        1,
        /^Error: Group "kt-no-such-group-xyz" does not exist$/,
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', never, '--to-earliest', '--execute'],
        1,
        new RegExp(`^Error: Group "${group}" has no committed offsets on topic ${never}$`),
      ],
      [
        [
          'groups',
          'reset-offsets',
          group,
          '--topic',
          'kt-no-such-topic',
          '--to-earliest',
          '--execute',
          '--allow-new-topics',
        ],
        1,
        /^Error: Topic kt-no-such-topic does not exist$/,
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', `${topic}:7`, '--to-earliest', '--execute'],
        1,
        new RegExp(`^Error: Topic ${topic} has no partition 7`),
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', topic, '--to-datetime', 'yesterday-ish', '--execute'],
        1,
        /^Error: --to-datetime yesterday-ish: expected an ISO-8601 time/,
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', topic, '--by-duration', '1 hour', '--execute'],
        1,
        /^Error: --by-duration 1 hour: expected an ISO-8601 duration/,
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', topic, '--to-offset', 'x', '--execute'],
        1,
        /^Error: --to-offset x: expected a non-negative offset$/,
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--to-latest', '--execute'],
        2,
        /^Error: Conflicting reset modes: --to-earliest, --to-latest$/,
      ],
      [['groups', 'reset-offsets', group, '--topic', topic, '--execute'], 2, /^Error: Give one reset mode/],
      [
        ['groups', 'reset-offsets', group, '--to-earliest', '--execute'],
        2,
        /^Error: Scope the reset with --topic/,
      ],
      [
        ['groups', 'reset-offsets', group, '--topic', topic, '--all-topics', '--to-earliest'],
        2,
        /^Error: Give --topic or --all-topics, not both$/,
      ],
      [
        ['groups', 'reset-offsets', group, '--from-file', '/nonexistent/kt.csv', '--execute'],
        1,
        /^Error: Cannot read \/nonexistent\/kt.csv/,
      ],
      [
        ['groups', 'delete-offsets', group, '--topic', never, '--yes'],
        1,
        new RegExp(`^Error: Group "${group}" has no committed offsets on topic ${never}$`),
      ],
      [
        ['groups', 'delete', 'kt-no-such-group-xyz', group, '--yes'],
        1,
        /^Error: Group "kt-no-such-group-xyz" does not exist$/,
      ],
      [['groups', 'list', '--state', 'Sleeping'], 2, /Expected --state=Sleeping to be one of/],
    ];
    for (const [args, code, pattern] of cases) {
      const r = await kt(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(pattern);
      expect(r.stdout).toBe('');
    }
    expect(await committed(group, topic)).toEqual([5, 5]);
  }, 240_000);
});
