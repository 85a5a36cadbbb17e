/**
 * The broker's __consumer_offsets partition is compacted by the broker's background pass: after many
 * commits of the same partitions, a pass shrinks the log, and a coordinator replaying the compacted log
 * restores the latest offsets (last record per key wins). Runs over the in-memory fs.
 */
import { describe, expect, it } from 'vitest';
import { brokerSettings } from '../../src/broker/config.js';
import { BrokerGroups, CONSUMER_OFFSETS_TOPIC } from '../../src/broker/group-wiring.js';
import { TopicManager } from '../../src/broker/topics.js';
import { MemFs } from '../../src/log/mem-fs.js';

const COMMITS = 300;

describe('__consumer_offsets compaction', () => {
  it('shrinks the log and a replay restores the latest offsets', async () => {
    const settings = brokerSettings();
    const topics = TopicManager.open({
      dataDir: '/c',
      fs: new MemFs(),
      settings,
      clusterId: 'c',
      log: () => {},
    });
    // An existing offsets topic is reused as is: small segments so that compaction has closed ones.
    topics.create({
      name: CONSUMER_OFFSETS_TOPIC,
      numPartitions: 1,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact', 'segment.bytes': '4096' },
      internal: true,
    });
    topics.create({ name: 'data', numPartitions: 2, replicationFactor: 1, configs: {} });
    const lines: string[] = [];
    const groups = BrokerGroups.start({ topics, settings, log: (l) => lines.push(l) });
    await groups.loaded;
    for (let i = 1; i <= COMMITS; i++) {
      const result = await groups.coordinator.offsetCommit({
        groupId: 'compacted',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          {
            name: 'data',
            partitions: [0, 1].map((partitionIndex) => ({
              partitionIndex,
              committedOffset: BigInt(i * 10 + partitionIndex),
              committedLeaderEpoch: -1,
              committedMetadata: '',
            })),
          },
        ],
      });
      expect(result.topics[0]!.partitions.every((p) => p.errorCode === 0)).toBe(true);
    }
    const log = topics.partition(CONSUMER_OFFSETS_TOPIC, 0)!.log;
    const before = log.sizeBytes;
    await topics.runBackgroundPass();
    expect(log.sizeBytes).toBeLessThan(before / 2);
    groups.close();

    const replayed = BrokerGroups.start({ topics, settings, log: (l) => lines.push(l) });
    await replayed.loaded;
    const offsets = replayed.coordinator
      .committedOffsets('compacted')
      .map((c) => [c.partition, c.offset.committedOffset])
      .sort();
    expect(offsets).toEqual([
      [0, BigInt(COMMITS * 10)],
      [1, BigInt(COMMITS * 10 + 1)],
    ]);
    replayed.close();
    topics.close();
    expect(lines).toEqual([]);
  });
});
