/**
 * MirrorMaker 2 heartbeats: every interval, one Heartbeat record (source alias, target alias, now) on
 * partition 0 of the `heartbeats` topic of the target, created like MM2 does (1 partition, compacted)
 * when absent. Key = the flow, so compaction keeps the newest per flow. What it tells: the mirror process
 * is alive and can write to the target (`kt mirror status` shows the newest one's age), and, as MM2's
 * own tooling expects, a topic a downstream mirror can replicate to measure end-to-end delay.
 */

import { encodeHeartbeatKey, encodeHeartbeatValue, HEARTBEATS_TOPIC } from './formats.js';
import { appendRecords, ensureCompactedTopic } from './internal-topics.js';
import type { MirrorExtension, MirrorView } from './run.js';

export interface HeartbeatOptions {
  /** Default 1 s (MM2's emit.heartbeats.interval.seconds is 1). */
  intervalMs?: number;
  /** The clock (tests). Default Date.now. */
  now?: () => number;
}

export type HeartbeatView = Pick<MirrorView, 'target' | 'sourceAlias' | 'targetAlias'>;

/** The extension factory for MirrorOptions.extensions. */
export function heartbeatExtension(options: HeartbeatOptions = {}): (view: HeartbeatView) => MirrorExtension {
  const now = options.now ?? Date.now;
  return (view) => {
    let created = false;
    const key = encodeHeartbeatKey(view.sourceAlias, view.targetAlias);
    return {
      name: 'heartbeats',
      intervalMs: options.intervalMs ?? 1_000,
      tick: async () => {
        if (!created) {
          await ensureCompactedTopic(view.target, HEARTBEATS_TOPIC);
          created = true;
        }
        const at = now();
        await appendRecords(view.target, HEARTBEATS_TOPIC, [
          { key, value: encodeHeartbeatValue(BigInt(at)), timestamp: BigInt(at) },
        ]);
      },
    };
  };
}
