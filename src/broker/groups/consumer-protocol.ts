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
import { ByteReader } from './wire.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The topics a consumer member subscribes to, or null if the metadata cannot be parsed. */
export function subscribedTopics(metadata: Uint8Array): string[] | null {
  try {
    const r = new ByteReader(metadata);
    const version = r.int16();
    if (version < 0) return null;
    // Each topic name takes at least its 2-byte length.
    const count = r.count(false, 2, 'ConsumerProtocolSubscription.topics');
    const topics: string[] = [];
    for (let i = 0; i < count; i++) topics.push(r.string(false, 'topic'));
    return topics;
  } catch {
    return null;
  }
}
