/**
 * `kt groups delete` (DeleteGroups: only groups without members) and `kt groups delete-offsets`
 * (OffsetDelete: only topics no active member subscribes to). Both check everything first, so bad input
 * (an unknown group, a group with members, a topic the group never consumed) changes nothing.
 *
 * JSON shapes (stable):
 *   delete:         { groups: [ { group, status: "deleted" } ] }
 *   delete-offsets: { group, partitions: [ { topic, partition, status: "deleted" } ] }
 */

import { subscribedTopics } from '../../broker/groups/consumer-protocol.js';
import { ErrorCode } from '../../errors/codes.generated.js';
import { errorForCode } from '../../errors/kafka.js';
import { KtError } from '../../errors/kt-error.js';
import type { ClusterClient } from '../../protocol/client/cluster.js';
import { kafkaError } from '../cluster/connect.js';
import { decodeAssignment, deleteGroup, deleteOffsets } from './coordinator.js';
import { loadGroup } from './describe.js';
import { activeMembersError, type TopicScope } from './reset.js';

export async function deleteGroups(
  client: ClusterClient,
  groups: readonly string[],
): Promise<{ groups: Array<{ group: string; status: 'deleted' }> }> {
  const unique = [...new Set(groups)];
  const loaded = await Promise.all(unique.map((g) => loadGroup(client, g)));
  for (const { raw } of loaded) if (raw.members.length > 0) throw activeMembersError(raw.groupId, raw);
  const out: Array<{ group: string; status: 'deleted' }> = [];
  for (const group of unique) {
    const code = await deleteGroup(client, group);
    if (code === ErrorCode.NON_EMPTY_GROUP) {
      throw new KtError('KT_INVALID_INPUT', `Group "${group}" is not empty (a member joined meanwhile)`, {
        kafkaCode: code,
        hint:
          out.length > 0 ? `deleted before it: ${out.map((o) => o.group).join(', ')}` : 'nothing was deleted',
      });
    }
    if (code !== 0) throw kafkaError(code, null, `DeleteGroups ${group}`);
    out.push({ group, status: 'deleted' });
  }
  return { groups: out };
}

export async function deleteGroupOffsets(
  client: ClusterClient,
  group: string,
  scopes: readonly TopicScope[],
): Promise<{ group: string; partitions: Array<{ topic: string; partition: number; status: 'deleted' }> }> {
  const { raw, committed } = await loadGroup(client, group);
  const subscribed = new Set<string>();
  for (const m of raw.members) {
    for (const t of subscribedTopics(m.memberMetadata) ?? []) subscribed.add(t);
    for (const a of decodeAssignment(m.memberAssignment) ?? []) subscribed.add(a.topic);
  }
  const targets: Array<{ topic: string; partition: number }> = [];
  for (const s of scopes) {
    const mine = committed.filter((c) => c.topic === s.topic);
    if (mine.length === 0) {
      throw new KtError('KT_INVALID_INPUT', `Group "${group}" has no committed offsets on topic ${s.topic}`);
    }
    if (subscribed.has(s.topic)) {
      throw new KtError(
        'KT_INVALID_INPUT',
        `Group "${group}" has active members subscribed to topic ${s.topic}`,
        {
          hint: 'stop the consumers (or unsubscribe them from the topic) first',
        },
      );
    }
    const wanted = s.partitions ?? mine.map((c) => c.partition);
    for (const p of wanted) {
      if (!mine.some((c) => c.partition === p)) {
        throw new KtError('KT_INVALID_INPUT', `Group "${group}" has no committed offset on ${s.topic}:${p}`);
      }
      if (!targets.some((t) => t.topic === s.topic && t.partition === p))
        targets.push({ topic: s.topic, partition: p });
    }
  }
  const results = await deleteOffsets(client, group, targets);
  const failed = results.find((r) => r.errorCode !== ErrorCode.NONE);
  if (failed) {
    const e = errorForCode(failed.errorCode);
    throw new KtError(
      'KT_KAFKA',
      `OffsetDelete ${group} ${failed.topic}:${failed.partition}: ${e.name}: ${e.message}`,
      {
        kafkaCode: failed.errorCode,
      },
    );
  }
  return {
    group,
    partitions: results.map((r) => ({ topic: r.topic, partition: r.partition, status: 'deleted' as const })),
  };
}
