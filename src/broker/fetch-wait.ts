/**
 * Long polling for Fetch: wait until any of a set of partitions gets new data (or closes), or a timeout
 * passes — without blocking the event loop, so every other connection keeps being served.
 *
 * The timer is unref'ed: a fetch parked in a closing broker never keeps the process alive, and closing a
 * partition wakes its waiters at once (Partition.close), so a close never waits for a fetch's maxWaitMs.
 */
import type { Partition } from './partition.js';

export type WakeReason = 'data' | 'timeout';

export function waitForData(partitions: readonly Partition[], timeoutMs: number): Promise<WakeReason> {
  return new Promise<WakeReason>((resolve) => {
    const unsubscribes: Array<() => void> = [];
    let done = false;
    const finish = (reason: WakeReason) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
      resolve(reason);
    };
    const timer = setTimeout(() => finish('timeout'), Math.max(0, timeoutMs));
    timer.unref();
    for (const partition of new Set(partitions)) {
      unsubscribes.push(partition.onData(() => finish('data')));
      if (done) break;
    }
  });
}
