/**
 * What `kt mirror failover` / `failback` reads from the clusters before planning (failover.ts plans and
 * commits, failover-plan.ts holds the pure plan): the groups' states on the target, the mirror's offset
 * syncs, saved positions and checkpoints, end offsets, and whether a source range holds records.
 */

import { errorForCode } from '../errors/kafka.js';
import { KtError } from '../errors/kt-error.js';
import {
  type CommittedOffset,
  describeGroup,
  type ListedGroup,
  listAllGroups,
} from '../ops/groups/coordinator.js';
import { fetchTopicMetadata } from '../ops/topics/metadata.js';
import type { ClusterClient } from '../protocol/client/cluster.js';
import { KafkaConnectionError, KafkaTimeoutError } from '../protocol/client/errors.js';
import { partitionKey } from './failover-plan.js';
import { decodeCheckpoint, decodeOffsetSync, decodeProgress } from './formats.js';
import { partitionOffset, readDecoded } from './internal-topics.js';
import { readRecords } from './record-reader.js';
import type { SyncPoint } from './translate.js';

const IDLE_STATES = new Set(['Empty', 'Dead', '']);
const LIST_GROUPS_ATTEMPTS_MAX = 20;
const LIST_GROUPS_BACKOFF_MS = 250;

/**
 * The state of each group on the target; throws unless every one is idle. DescribeGroups sees classic
 * groups only: Kafka 4 answers GROUP_ID_NOT_FOUND ("not a classic group") for a KIP-848 consumer group,
 * which describeGroup reports as Dead, so a Dead answer is checked against ListGroups, which lists
 * groups of every type with their state.
 */
export async function targetStates(
  target: ClusterClient,
  groups: readonly string[],
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  let listed: ListedGroup[] | undefined;
  for (const group of groups) {
    const raw = await describeGroup(target, group);
    let state = raw.state;
    let members = `${raw.members.length} active member${raw.members.length === 1 ? '' : 's'}`;
    if (raw.members.length === 0 && state === 'Dead') {
      listed ??= await listGroupsRetrying(target);
      const other = listed.find((g) => g.group === group);
      if (other) {
        state = other.state;
        members = `active members (a ${other.type || other.protocolType} group)`;
      }
    }
    if (raw.members.length > 0 || !IDLE_STATES.has(state)) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Group "${group}" has ${members} on the target (state ${state}): nothing was committed`,
        { hint: 'stop its consumers on the target first (failover needs the group Empty or absent there)' },
      );
    }
    states.set(group, state);
  }
  return states;
}

/** A connection error or timeout of one of the source's brokers (not of the target's). */
export function isSourceBrokerDown(error: unknown, source: ClusterClient): boolean {
  if (!(error instanceof KafkaConnectionError || error instanceof KafkaTimeoutError)) return false;
  return [...source.brokers.values()].some((b) => error.broker === `${b.host}:${b.port}`);
}

/** ListGroups, asked again while a coordinator is still loading its groups (a broker just started). */
async function listGroupsRetrying(target: ClusterClient): Promise<ListedGroup[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listAllGroups(target, []);
    } catch (error) {
      const code = error instanceof KtError ? error.kafkaCode : undefined;
      if (code === undefined || !errorForCode(code).retriable || attempt >= LIST_GROUPS_ATTEMPTS_MAX)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, LIST_GROUPS_BACKOFF_MS));
    }
  }
}

export function committedMap(offsets: readonly CommittedOffset[]): Map<string, bigint> {
  return new Map(offsets.map((c) => [partitionKey(c.topic, c.partition), c.offset]));
}

export async function topicExists(client: ClusterClient, topic: string): Promise<boolean> {
  const { topics } = await fetchTopicMetadata(client, [topic]);
  return topics.length > 0;
}

/** High watermark of a partition; null when the topic or the partition does not exist. */
export async function endOffset(
  client: ClusterClient,
  topic: string,
  partition: number,
): Promise<bigint | null> {
  const { topics } = await fetchTopicMetadata(client, [topic]);
  if ((topics[0]?.partitions.length ?? 0) <= partition) return null;
  return partitionOffset(client, topic, partition, 'latest');
}

/** Every offset sync in log order, per source partition (a missing topic: none, with a warning). */
export async function loadSyncLists(
  client: ClusterClient,
  topic: string,
  warnings: string[],
): Promise<Map<string, SyncPoint[]>> {
  const out = new Map<string, SyncPoint[]>();
  if (!(await topicExists(client, topic))) {
    warnings.push(`no offset-syncs topic ${topic}: nothing was mirrored with these aliases`);
    return out;
  }
  const unreadable = await readDecoded(client, topic, decodeOffsetSync, (s) => {
    const key = partitionKey(s.topic, s.partition);
    let list = out.get(key);
    if (!list) {
      list = [];
      out.set(key, list);
    }
    list.push({ up: s.upstreamOffset, down: s.downstreamOffset });
  });
  if (unreadable > 0) warnings.push(`${unreadable} unreadable records in ${topic} skipped`);
  return out;
}

/** A mirror's saved position of a source partition: the next source offset, and when it was written. */
export interface Saved {
  position: bigint;
  timestampMs: number;
}

/** The mirror's saved positions by source partition (a missing topic: none, with a warning). */
export async function loadProgress(
  client: ClusterClient,
  topic: string,
  sourceAlias: string,
  warnings: string[],
): Promise<Map<string, Saved>> {
  const out = new Map<string, Saved>();
  if (!(await topicExists(client, topic))) {
    warnings.push(`no mirror progress topic ${topic}: mirror positions and lag unknown`);
    return out;
  }
  // Unreadable progress records are left out silently: the positions are only advice (lag, RPO).
  await readDecoded(client, topic, decodeProgress, (entry, timestampMs) => {
    if (entry && entry.cluster === sourceAlias) {
      out.set(partitionKey(entry.topic, entry.partition), { position: entry.offset + 1n, timestampMs });
    }
  });
  return out;
}

/** A group's latest checkpoint of one target partition, and when it was written. */
export interface LatestCheckpoint {
  /** The target topic (checkpoints are keyed by target names). */
  topic: string;
  partition: number;
  up: bigint;
  down: bigint;
  timestampMs: number;
}

/**
 * The latest checkpoint of every partition of the wanted groups, by group then partition key (log
 * order: the last checkpoint of a key is the newest, as RemoteClusterUtils reads them). Tombstones are
 * skipped, as MM2's readers skip them.
 */
export async function loadLatestCheckpoints(
  client: ClusterClient,
  topic: string,
  groups: readonly string[],
  warnings: string[],
): Promise<Map<string, Map<string, LatestCheckpoint>>> {
  const wanted = new Set(groups);
  const latest = new Map<string, Map<string, LatestCheckpoint>>();
  const decode = (k: Uint8Array | null, v: Uint8Array | null) => (v === null ? null : decodeCheckpoint(k, v));
  const unreadable = await readDecoded(client, topic, decode, (cp, timestampMs) => {
    if (cp === null || !wanted.has(cp.group)) return;
    let byPartition = latest.get(cp.group);
    if (!byPartition) {
      byPartition = new Map();
      latest.set(cp.group, byPartition);
    }
    byPartition.set(partitionKey(cp.topic, cp.partition), {
      topic: cp.topic,
      partition: cp.partition,
      up: cp.upstreamOffset,
      down: cp.downstreamOffset,
      timestampMs,
    });
  });
  if (unreadable > 0) warnings.push(`${unreadable} unreadable records in ${topic} skipped`);
  return latest;
}

/**
 * Whether the source has data records the mirror would copy (read_committed: not markers, not aborted
 * records) at offsets in [from, to): tells whether a committed offset before the first mirrored one
 * translates exactly to the first copy.
 */
export async function hasRecordsBetween(
  client: ClusterClient,
  topic: string,
  partition: number,
  from: bigint,
  to: bigint,
): Promise<boolean> {
  const earliest = await partitionOffset(client, topic, partition, 'earliest');
  const fromOffset = from > earliest ? from : earliest;
  if (fromOffset >= to) return false;
  const { records } = await readRecords(client, topic, partition, { fromOffset, endOffset: to }, () => {});
  return records > 0;
}
