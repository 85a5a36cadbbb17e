/**
 * Injectable time for the group coordinator: a clock plus a timer scheduler.
 *
 * Behavior:
 * * `systemTime` uses Date.now() and setTimeout; timers are unref'd so a forgotten coordinator never keeps
 *   the process alive (close() still clears them).
 * * `ManualTime` is for tests: time moves only when `advance(ms)` is called, which runs every timer that
 *   falls due in deadline order (ties in scheduling order), moving `nowMs()` to each deadline first, so
 *   session and rebalance timeouts are driven deterministically without sleeping.
 * * `KeyedTimers` keeps at most one timer per key (scheduling again replaces it), as Kafka's coordinator
 *   timer does for its heartbeat/join/sync keys; `close()` cancels them all and ignores later schedules
 *   (a store write completing after close() must not start new timers).
 */

export type TimerHandle = { readonly id: number };

export interface GroupTime {
  nowMs(): number;
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

let nextHandleId = 1;

const systemTimers = new Map<number, NodeJS.Timeout>();

export const systemTime: GroupTime = {
  nowMs: () => Date.now(),
  setTimer(delayMs, fn) {
    const handle = { id: nextHandleId++ };
    const t = setTimeout(
      () => {
        // The entry goes when the timer fires, so the map never holds dead timers.
        systemTimers.delete(handle.id);
        fn();
      },
      Math.max(0, delayMs),
    );
    t.unref();
    systemTimers.set(handle.id, t);
    return handle;
  },
  clearTimer(handle) {
    const t = systemTimers.get(handle.id);
    if (t !== undefined) {
      clearTimeout(t);
      systemTimers.delete(handle.id);
    }
  },
};

/** Timers started through `systemTime` that have neither fired nor been cleared (diagnostics, tests). */
export function liveSystemTimers(): number {
  return systemTimers.size;
}

interface ManualTimer {
  handle: TimerHandle;
  dueMs: number;
  seq: number;
  fn: () => void;
}

export class ManualTime implements GroupTime {
  #nowMs: number;
  #seq = 0;
  #timers = new Map<number, ManualTimer>();

  constructor(startMs = 1_700_000_000_000) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = { id: nextHandleId++ };
    this.#timers.set(handle.id, { handle, dueMs: this.#nowMs + Math.max(0, delayMs), seq: this.#seq++, fn });
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id);
  }

  /** Number of timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running due timers in order (timers they schedule run too if due). */
  advance(ms: number): void {
    const targetMs = this.#nowMs + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.#timers.values()) {
        if (t.dueMs > targetMs) continue;
        if (next === undefined || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.seq < next.seq))
          next = t;
      }
      if (next === undefined) break;
      this.#timers.delete(next.handle.id);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.fn();
    }
    this.#nowMs = targetMs;
  }
}

/** One timer per key on top of a GroupTime. */
export class KeyedTimers {
  readonly #time: GroupTime;
  readonly #timers = new Map<string, TimerHandle>();
  readonly #onError: (error: unknown) => void;
  #closed = false;

  /** `onError` gets what a callback throws: a timer must never take the process down with it. */
  constructor(time: GroupTime, onError: (error: unknown) => void = () => {}) {
    this.#time = time;
    this.#onError = onError;
  }

  schedule(key: string, delayMs: number, fn: () => void): void {
    this.cancel(key);
    if (this.#closed) return;
    const handle = this.#time.setTimer(delayMs, () => {
      // Only forget the key if it still maps to this timer (it may have been rescheduled meanwhile).
      if (this.#timers.get(key) === handle) this.#timers.delete(key);
      try {
        fn();
      } catch (error) {
        this.#onError(error);
      }
    });
    this.#timers.set(key, handle);
  }

  cancel(key: string): void {
    const handle = this.#timers.get(key);
    if (handle !== undefined) {
      this.#time.clearTimer(handle);
      this.#timers.delete(key);
    }
  }

  has(key: string): boolean {
    return this.#timers.has(key);
  }

  close(): void {
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#time.clearTimer(handle);
    this.#timers.clear();
  }

  get size(): number {
    return this.#timers.size;
  }
}
