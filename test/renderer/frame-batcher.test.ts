import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDeltaBatcher, defaultFrameScheduler } from '../../renderer/src/store/frame-batcher';
import { manualFrames } from './fakes';

describe('delta batcher', () => {
  it('flushes once per frame, concatenating deltas in order and summing tokens', () => {
    const frames = manualFrames();
    const onFlush = vi.fn();
    const batcher = createDeltaBatcher(onFlush, frames.scheduler);

    for (const piece of ['Hel', 'lo', ',', ' wor', 'ld']) batcher.push(piece, 1);
    expect(frames.scheduled).toBe(1);
    expect(onFlush).not.toHaveBeenCalled();

    frames.frame();
    expect(onFlush).toHaveBeenCalledTimes(1);
    expect(onFlush).toHaveBeenLastCalledWith('Hello, world', 5);

    batcher.push('!', 2);
    frames.frame();
    expect(onFlush).toHaveBeenCalledTimes(2);
    expect(onFlush).toHaveBeenLastCalledWith('!', 2);

    frames.frame(); // nothing queued: no empty flush
    expect(onFlush).toHaveBeenCalledTimes(2);
  });

  it('flush() delivers immediately and cancels the scheduled frame; clear() drops', () => {
    const frames = manualFrames();
    const onFlush = vi.fn();
    const batcher = createDeltaBatcher(onFlush, frames.scheduler);

    batcher.push('a', 1);
    batcher.push('b', 1);
    batcher.flush();
    expect(onFlush).toHaveBeenCalledWith('ab', 2);
    expect(frames.scheduled).toBe(0);

    batcher.push('dropped', 1);
    expect(batcher.pending).toBe(true);
    batcher.clear();
    expect(batcher.pending).toBe(false);
    frames.frame();
    batcher.flush();
    expect(onFlush).toHaveBeenCalledTimes(1);
  });

  it('counts tokens of deltas that carry no text', () => {
    const frames = manualFrames();
    const onFlush = vi.fn();
    const batcher = createDeltaBatcher(onFlush, frames.scheduler);
    batcher.push('', 1);
    frames.frame();
    expect(onFlush).toHaveBeenCalledWith('', 1);
  });
});

describe('default frame scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('falls back to a 16 ms timer without requestAnimationFrame', () => {
    vi.useFakeTimers();
    expect(typeof globalThis.requestAnimationFrame).toBe('undefined');
    const onFlush = vi.fn();
    const batcher = createDeltaBatcher(onFlush, defaultFrameScheduler());
    for (let i = 0; i < 100; i++) batcher.push(String(i % 10), 1);
    vi.advanceTimersByTime(15);
    expect(onFlush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onFlush).toHaveBeenCalledTimes(1);
    expect(onFlush.mock.calls[0]?.[1]).toBe(100);
  });

  it('uses requestAnimationFrame when present, with a timer for hidden windows', () => {
    vi.useFakeTimers();
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => {});
    const onFlush = vi.fn();
    const batcher = createDeltaBatcher(onFlush, defaultFrameScheduler());

    batcher.push('a', 1);
    frames.shift()?.(0);
    expect(onFlush).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000); // the hidden-window timer was cancelled by the frame
    expect(onFlush).toHaveBeenCalledTimes(1);

    // No frame comes (hidden window): the timer flushes instead, once.
    batcher.push('b', 1);
    vi.advanceTimersByTime(100);
    expect(onFlush).toHaveBeenCalledTimes(2);
    frames.shift()?.(0);
    expect(onFlush).toHaveBeenCalledTimes(2);
  });
});
