import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../src/broker/groups/coordinator.js';
import { KeyedTimers, liveSystemTimers, ManualTime, systemTime } from '../../../src/broker/groups/time.js';
import { joinRequest } from './harness.js';

describe('group coordinator time', () => {
  it('ManualTime runs due timers in deadline order, including ones scheduled while advancing', () => {
    const time = new ManualTime(0);
    const fired: string[] = [];
    time.setTimer(30, () => fired.push(`b@${time.nowMs()}`));
    time.setTimer(10, () => {
      fired.push(`a@${time.nowMs()}`);
      time.setTimer(5, () => fired.push(`a2@${time.nowMs()}`));
    });
    const cleared = time.setTimer(20, () => fired.push('never'));
    time.clearTimer(cleared);
    time.advance(25);
    expect(fired).toEqual(['a@10', 'a2@15']);
    expect(time.nowMs()).toBe(25);
    time.advance(5);
    expect(fired).toEqual(['a@10', 'a2@15', 'b@30']);
    expect(time.pendingTimers).toBe(0);
  });

  it('KeyedTimers keeps one timer per key and ignores schedules after close()', () => {
    const time = new ManualTime(0);
    const timers = new KeyedTimers(time);
    const fired: number[] = [];
    timers.schedule('k', 10, () => fired.push(1));
    timers.schedule('k', 20, () => fired.push(2));
    time.advance(15);
    expect(fired).toEqual([]);
    time.advance(5);
    expect(fired).toEqual([2]);
    timers.schedule('x', 1, () => fired.push(3));
    timers.close();
    timers.schedule('y', 1, () => fired.push(4));
    time.advance(10);
    expect(fired).toEqual([2]);
    expect(time.pendingTimers).toBe(0);
  });

  it('KeyedTimers hands a throwing callback to onError and keeps running the others', () => {
    const time = new ManualTime(0);
    const errors: unknown[] = [];
    const timers = new KeyedTimers(time, (e) => errors.push(e));
    const fired: string[] = [];
    timers.schedule('bad', 1, () => {
      throw new Error('boom');
    });
    timers.schedule('good', 2, () => fired.push('good'));
    time.advance(5);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
    expect(fired).toEqual(['good']);
  });

  it('with the real clock, close() clears every setTimeout the coordinator started', async () => {
    const before = liveSystemTimers();
    const c = await GroupCoordinator.open({ time: systemTime });
    const joined = await c.joinGroup(joinRequest());
    expect(joined.errorCode).toBe(0);
    void c.joinGroup(joinRequest({ clientId: 'parked' }));
    // heartbeat + join + expiration timers are live now
    expect(liveSystemTimers()).toBeGreaterThan(before);
    c.close();
    expect(liveSystemTimers()).toBe(before);
  });
});
