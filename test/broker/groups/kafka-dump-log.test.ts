/**
 * Apache Kafka's own kafka-dump-log (DumpLogSegments --offsets-decoder, from test/real-kafka/lib) reads a
 * __consumer_offsets segment holding the records this coordinator wrote. Skipped when Java/the jars are
 * not available.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EncodedRecord } from '../../../src/broker/groups/records.js';
import { InMemoryGroupStore } from '../../../src/broker/groups/store.js';
import { encodeRecordBatch } from '../../../src/protocol/record-batch.js';
import { realKafkaUnavailableReason } from '../../real-kafka/lib.js';
import { runKafkaTool } from '../../real-kafka/tools.js';
import { formGroup, joinRequest, open, subscription } from './harness.js';

const unavailable = await realKafkaUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  '__consumer_offsets records read by kafka-dump-log --offsets-decoder',
  () => {
    it('decodes the offset commits, group metadata and tombstones the coordinator stored', async () => {
      const store = new InMemoryGroupStore();
      const { coordinator: c, time } = await open({ store });
      const { members } = await formGroup(c, time, [
        joinRequest({
          groupId: 'dump-group',
          clientId: 'dump-client',
          protocols: [{ name: 'range', metadata: subscription(['orders']) }],
        }),
      ]);
      await c.offsetCommit({
        groupId: 'dump-group',
        generationIdOrMemberEpoch: 1,
        memberId: members[0]!.memberId,
        groupInstanceId: null,
        topics: [
          {
            name: 'orders',
            partitions: [
              {
                partitionIndex: 2,
                committedOffset: 4242n,
                committedLeaderEpoch: 7,
                committedMetadata: 'hello',
              },
            ],
          },
          {
            name: 'old',
            partitions: [
              { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
            ],
          },
        ],
      });
      await c.offsetDelete({
        groupId: 'dump-group',
        topics: [{ name: 'old', partitions: [{ partitionIndex: 0 }] }],
      });
      c.close();

      const dir = await mkdtemp(join(tmpdir(), 'kt-groups-dump-'));
      try {
        const partitionDir = join(dir, '__consumer_offsets-0');
        await mkdir(partitionDir);
        const records: EncodedRecord[] = store.log.records;
        const batch = encodeRecordBatch(
          records.map((r) => ({ key: r.key, value: r.value })),
          { baseOffset: 0n, baseTimestamp: BigInt(time.nowMs()) },
        );
        const file = join(partitionDir, '00000000000000000000.log');
        await writeFile(file, batch);
        const result = await runKafkaTool('DumpLogSegments', ['--offsets-decoder', '--files', file], {
          timeoutMs: 60_000,
        });
        expect(result.code, result.stderr).toBe(0);
        const out = result.stdout;
        expect(out).toMatch(/"group":"dump-group","topic":"orders","partition":2/);
        expect(out).toMatch(/"offset":4242,"leaderEpoch":7,"metadata":"hello"/);
        expect(out).toMatch(
          /"protocolType":"consumer","generation":1,"protocol":"range","leader":"dump-client-/,
        );
        expect(out).toMatch(/"clientId":"dump-client"/);
        expect(out).toMatch(/"subscription":\{"topics":\["orders"\]/);
        expect(out).toMatch(/"topic":"old","partition":0\}\} payload: <DELETE>/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 90_000);
  },
);
