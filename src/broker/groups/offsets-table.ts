/**
 * Committed offsets in memory: group → topic → partition → CommittedOffset.
 *
 * Behavior:
 * * Holds only offsets whose commit record is durable (the coordinator applies a commit after the store
 *   append resolves), so a fetch never returns an offset a restart would lose.
 * * Empty inner maps are removed, so `groupIds()`/`has()` reflect real offsets only.
 */
import type { CommittedOffset } from './types.js';

export class OffsetTable {
  readonly #byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.#byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  put(groupId: string, topic: string, partition: number, offset: CommittedOffset): void {
    let topics = this.#byGroup.get(groupId);
    if (topics === undefined) {
      topics = new Map();
      this.#byGroup.set(groupId, topics);
    }
    let partitions = topics.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    partitions.set(partition, offset);
  }

  remove(groupId: string, topic: string, partition: number): void {
    const topics = this.#byGroup.get(groupId);
    const partitions = topics?.get(topic);
    if (topics === undefined || partitions === undefined) return;
    partitions.delete(partition);
    if (partitions.size === 0) topics.delete(topic);
    if (topics.size === 0) this.#byGroup.delete(groupId);
  }

  clear(): void {
    this.#byGroup.clear();
  }

  removeGroup(groupId: string): void {
    this.#byGroup.delete(groupId);
  }

  hasGroup(groupId: string): boolean {
    return this.#byGroup.has(groupId);
  }

  /** Every offset of a group, topics and partitions in commit order. */
  *entries(groupId: string): Generator<{ topic: string; partition: number; offset: CommittedOffset }> {
    const topics = this.#byGroup.get(groupId);
    if (topics === undefined) return;
    for (const [topic, partitions] of topics) {
      for (const [partition, offset] of partitions) yield { topic, partition, offset };
    }
  }

  /** The partitions of one topic that have an offset. */
  partitionsOf(groupId: string, topic: string): number[] {
    return [...(this.#byGroup.get(groupId)?.get(topic)?.keys() ?? [])];
  }
}
