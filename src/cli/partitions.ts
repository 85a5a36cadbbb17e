/**
 * Partition lists on the command line: `0,1,2`, ranges `0-3`, and `topic:0,1` scopes. Shared by kt's
 * console tools; every number is checked, duplicates are dropped, the result is sorted.
 */
import { usageError } from '../errors/kt-error.js';

const PARTITION_MAX = 2147483647;

/** Parses `0,2,5-7` into sorted, distinct partition numbers. */
export function parsePartitionList(spec: string, flag = '--partition'): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const p = part.trim();
    const range = /^(\d{1,10})-(\d{1,10})$/.exec(p);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from > to || to > PARTITION_MAX) throw usageError(`${flag} ${spec}: bad range ${p}`);
      if (to - from > 100_000) throw usageError(`${flag} ${spec}: range ${p} is too large`);
      for (let i = from; i <= to; i++) out.add(i);
      continue;
    }
    if (!/^\d{1,10}$/.test(p) || Number(p) > PARTITION_MAX) {
      throw usageError(`${flag} ${spec}: expected partition numbers like 0,1,4-7`);
    }
    out.add(Number(p));
  }
  return [...out].sort((a, b) => a - b);
}

/** Parses `topic` or `topic:0,1-3` (the topic name itself never contains a colon in Kafka). */
export function parseTopicPartitions(
  spec: string,
  flag = '--topic',
): { topic: string; partitions?: number[] } {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return { topic: spec };
  const topic = spec.slice(0, colon);
  if (topic === '') throw usageError(`${flag} ${spec}: missing topic name`);
  return { topic, partitions: parsePartitionList(spec.slice(colon + 1), flag) };
}
