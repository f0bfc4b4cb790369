// The lock-step that makes parallel runs share decodes, and the default thread count.
import { describe, expect, it } from 'vitest';
import { StepBarrier } from '../../host/decode-barrier.js';
import { defaultThreads } from '../../host/engine.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StepBarrier', () => {
  it('holds every run until all active runs are ready, then releases them in sequence-id order', async () => {
    const barrier = new StepBarrier(10_000);
    const order: number[] = [];
    for (let i = 0; i < 3; i++) barrier.join();
    const steps = [2, 0, 1].map((rank) => barrier.step(rank).then(() => order.push(rank)));
    await tick();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    await Promise.all(steps);
  });

  it('does not release a partial group before the wait is over', async () => {
    const barrier = new StepBarrier(10_000);
    barrier.join();
    barrier.join();
    let released = false;
    void barrier.step(0).then(() => (released = true));
    await tick();
    await tick();
    expect(released).toBe(false);
    barrier.leave(); // the other run ended: nobody to wait for
    await tick();
    await tick();
    expect(released).toBe(true);
  });

  it('releases the ready runs after maxWaitMs when one is busy elsewhere', async () => {
    const barrier = new StepBarrier(15);
    barrier.join();
    barrier.join();
    const started = performance.now();
    await barrier.step(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(14);
  });
});

describe('defaultThreads', () => {
  it('takes every core with a persistent threadpool, one fewer without, never fewer than one', () => {
    expect(defaultThreads(8, true)).toBe(8);
    expect(defaultThreads(8, false)).toBe(7);
    expect(defaultThreads(1, false)).toBe(1);
    expect(defaultThreads(0, true)).toBe(1);
  });

  it('gives a tiny model one thread: more only add synchronization', () => {
    expect(defaultThreads(8, true, 3_300_000)).toBe(1);
    expect(defaultThreads(8, true, 500_000_000)).toBe(8);
  });
});
