/**
 * Reads the subscribed topics out of a "consumer" protocol member's metadata (ConsumerProtocolSubscription).
 *
 * Behavior:
 * * The metadata is an int16 version followed by the v0 prefix every later version keeps (topics: int32
 *   count + strings), so only that prefix is read, as Kafka's coordinator does; user data, owned
 *   partitions, generation and rack id that follow are ignored.
 * * Malformed metadata returns null ("unknown"), never throws: the coordinator then treats the group as
 *   subscribed to every topic, the safe answer for OffsetDelete.
 */
import { Reader } from '../../protocol/reader.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The topics a consumer member subscribes to, or null if the metadata cannot be parsed. */
export function subscribedTopics(metadata: Uint8Array): string[] | null {
  try {
    const r = new Reader(metadata);
    const version = r.int16();
    if (version < 0) return null;
    const count = r.int32();
    if (count < 0) return null;
    // Each topic name takes at least its 2-byte length.
    r.checkCount(count, 2, 'ConsumerProtocolSubscription.topics');
    const topics: string[] = [];
    for (let i = 0; i < count; i++) topics.push(r.string());
    return topics;
  } catch {
    return null;
  }
}
