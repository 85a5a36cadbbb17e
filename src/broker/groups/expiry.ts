/**
 * Offset expiration (Kafka's offsets.retention.minutes, checked every offsets.retention.check.interval.ms).
 *
 * Behavior:
 * * Which offsets may expire depends on the group, as in Kafka's ClassicGroup.offsetExpirationCondition:
 *   - a group without protocol type (offsets committed outside membership): retention counts from each
 *     offset's commit time;
 *   - an Empty group: retention counts from when the group became Empty (its state timestamp);
 *   - a Stable "consumer" group with known subscriptions: offsets of topics it no longer subscribes to
 *     expire by commit time; any other active group keeps everything.
 * * Offsets committed with an explicit retention (OffsetCommit v2-4) expire at their own expire time.
 * * Offsets of topics the group subscribes to never expire.
 * * When an Empty group is left with no offsets, the group itself is deleted (a GroupMetadata tombstone).
 * * Tombstones are appended first; memory changes afterwards only for entries nothing touched meanwhile
 *   (a newer commit or a joining member wins, and the log order makes replay agree).
 */
import type { Group } from './group.js';
import type { GroupRecord } from './records.js';
import type { GroupRuntime } from './runtime.js';
import type { CommittedOffset } from './types.js';

type BaseTimestamp = (offset: CommittedOffset) => number;

function expirationBase(group: Group): BaseTimestamp | null {
  if (group.protocolType === null) return (o) => o.commitTimestampMs;
  if (group.is('Empty')) {
    const emptySinceMs = group.stateTimestampMs;
    return (o) => emptySinceMs ?? o.commitTimestampMs;
  }
  if (group.protocolType === 'consumer' && group.subscribedTopics !== null && group.is('Stable')) {
    return (o) => o.commitTimestampMs;
  }
  return null;
}

interface Expired {
  groupId: string;
  topic: string;
  partition: number;
  offset: CommittedOffset;
}

/** Finds what expired at `nowMs` in every group; pure (no state change). */
export function collectExpired(rt: GroupRuntime, nowMs: number): { offsets: Expired[]; groups: Group[] } {
  const retentionMs = rt.config.offsetsRetentionMs;
  const offsets: Expired[] = [];
  const groups: Group[] = [];
  for (const group of rt.groups.values()) {
    if (group.is('Dead')) continue;
    const base = expirationBase(group);
    let allExpired = true;
    for (const { topic, partition, offset } of rt.offsets.entries(group.groupId)) {
      const expired =
        base !== null &&
        !group.isSubscribedToTopic(topic) &&
        (offset.expireTimestampMs !== null
          ? nowMs >= offset.expireTimestampMs
          : nowMs - base(offset) >= retentionMs);
      if (expired) offsets.push({ groupId: group.groupId, topic, partition, offset });
      else allExpired = false;
    }
    if (allExpired && group.is('Empty') && group.pendingJoinMembers.size === 0) groups.push(group);
  }
  return { offsets, groups };
}

/** One expiration pass: append the tombstones, then drop what is still unchanged. */
export async function expireOffsets(rt: GroupRuntime): Promise<void> {
  const { offsets, groups } = collectExpired(rt, rt.nowMs());
  if (offsets.length === 0 && groups.length === 0) return;
  const records: GroupRecord[] = offsets.map((e) => ({ type: 'offset', ...e, value: null }));
  for (const g of groups) records.push({ type: 'group', groupId: g.groupId, value: null });
  await rt.store.append(records);
  for (const e of offsets) {
    if (rt.offsets.get(e.groupId, e.topic, e.partition) === e.offset)
      rt.offsets.remove(e.groupId, e.topic, e.partition);
  }
  for (const g of groups) {
    const unchanged = rt.groups.get(g.groupId) === g && g.is('Empty') && g.pendingJoinMembers.size === 0;
    if (unchanged && !rt.offsets.hasGroup(g.groupId)) rt.groups.delete(g.groupId);
  }
}
