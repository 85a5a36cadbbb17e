/**
 * Test support for the group coordinator: a coordinator on ManualTime and an in-memory store, request
 * builders with sensible defaults, and helpers to drive a group through join/sync.
 */
import { expect } from 'vitest';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../../../src/broker/groups/coordinator.js';
import type { GroupRecord } from '../../../src/broker/groups/records.js';
import { type GroupStore, InMemoryGroupStore } from '../../../src/broker/groups/store.js';
import { ManualTime } from '../../../src/broker/groups/time.js';
import type {
  JoinGroupRequest,
  JoinGroupResponse,
  SyncGroupResponse,
} from '../../../src/broker/groups/types.js';
import { ErrorCode } from '../../../src/errors/codes.generated.js';

export const SESSION_TIMEOUT_MS = 10_000;
export const REBALANCE_TIMEOUT_MS = 30_000;

/** Lets queued promise callbacks (store appends, resolutions) run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await flush();
  return done;
}

/** ConsumerProtocolSubscription v0: version, topics, null user data. */
export function subscription(topics: readonly string[]): Uint8Array {
  const parts: number[] = [0, 0, 0, 0, 0, topics.length];
  for (const t of topics) {
    const b = Buffer.from(t);
    parts.push(b.length >> 8, b.length & 0xff, ...b);
  }
  parts.push(0xff, 0xff, 0xff, 0xff);
  return Uint8Array.from(parts);
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription(['orders']) }],
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: REBALANCE_TIMEOUT_MS,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...overrides,
  };
}

/** A store whose appends can be held back (to observe the coordinator while a write is in flight). */
export class GatedStore implements GroupStore {
  readonly inner = new InMemoryGroupStore();
  #held: (() => void)[] = [];
  gated = false;

  async append(records: readonly GroupRecord[]): Promise<void> {
    if (this.gated) await new Promise<void>((resolve) => this.#held.push(resolve));
    return this.inner.append(records);
  }

  load(): AsyncIterable<GroupRecord> {
    return this.inner.load();
  }

  release(): void {
    this.gated = false;
    for (const resolve of this.#held.splice(0)) resolve();
  }
}

export async function open(options: GroupCoordinatorOptions & { time?: ManualTime } = {}) {
  const time = options.time ?? new ManualTime();
  const store = options.store ?? new InMemoryGroupStore();
  const coordinator = await GroupCoordinator.open({ ...options, time, store });
  return { coordinator, time, store };
}

export interface Joined {
  memberId: string;
  generationId: number;
  response: JoinGroupResponse;
}

/**
 * Joins `requests` to an Empty group together (the initial rebalance waits for all of them), then syncs
 * with the leader handing member i the assignment [i]. Returns the members in request order.
 */
export async function formGroup(
  coordinator: GroupCoordinator,
  time: ManualTime,
  requests: JoinGroupRequest[],
): Promise<{ members: Joined[]; syncs: SyncGroupResponse[] }> {
  const pending = requests.map((r) => coordinator.joinGroup(r));
  time.advance(0);
  const responses = await Promise.all(pending);
  for (const r of responses) expect(r.errorCode).toBe(ErrorCode.NONE);
  const members = responses.map((response) => ({
    memberId: response.memberId,
    generationId: response.generationId,
    response,
  }));
  const syncs = await syncAll(coordinator, requests[0]!.groupId, members);
  return { members, syncs };
}

/** Every member sends SyncGroup (followers first, so they park); the leader assigns [index]. */
export async function syncAll(
  coordinator: GroupCoordinator,
  groupId: string,
  members: Joined[],
): Promise<SyncGroupResponse[]> {
  const leader = members.find((m) => m.response.leader === m.memberId);
  expect(leader).toBeDefined();
  const order = [...members.filter((m) => m !== leader), leader!];
  const results = new Map<string, Promise<SyncGroupResponse>>();
  for (const m of order) {
    results.set(
      m.memberId,
      coordinator.syncGroup({
        groupId,
        generationId: m.generationId,
        memberId: m.memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments:
          m === leader ? members.map((x, i) => ({ memberId: x.memberId, assignment: Uint8Array.of(i) })) : [],
      }),
    );
  }
  return Promise.all(members.map((m) => results.get(m.memberId)!));
}
