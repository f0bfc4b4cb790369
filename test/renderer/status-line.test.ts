// The status line stays current (issue 14, defect 6): a warning about the inference process goes
// once a run ends well after it, and free RAM is asked again after runs and loads (not only at start).
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../renderer/src/store/create-store';
import { SYSTEM_REFRESH_MS } from '../../renderer/src/store/app-slice';
import { fakeResult } from '../helpers/results';
import { demoModel, fakeApi, settle } from './fakes';

describe('status line', () => {
  it('"stopped unexpectedly" stays through the following ready, and goes when a run ends well', async () => {
    let clock = 0;
    const fake = fakeApi({ listModels: vi.fn(async () => [{ ...demoModel, state: 'loaded' as const }]) });
    const store = createAppStore(fake.api, { now: () => clock });
    await store.getState().actions.init();
    fake.emit({ type: 'host', status: 'crashed', message: 'the inference process stopped unexpectedly; it was restarted' });
    fake.emit({ type: 'host', status: 'ready' });
    expect(store.getState().app.host.message).toMatch(/stopped unexpectedly/);

    await store.getState().actions.setPrompt('Hello');
    store.getState().actions.setTab('raw');
    await store.getState().actions.run();
    clock += SYSTEM_REFRESH_MS;
    const asked = (fake.api.getSystemInfo as ReturnType<typeof vi.fn>).mock.calls.length;
    fake.emit({ type: 'run.end', runId: 'run-1', result: fakeResult() });
    await settle();
    expect(store.getState().app.host.message).toBeNull();
    expect(fake.api.getSystemInfo).toHaveBeenCalledTimes(asked + 1);
  });

  it('free RAM is asked again after a model loads, at most once per interval', async () => {
    let clock = 0;
    const fake = fakeApi();
    const store = createAppStore(fake.api, { now: () => clock });
    await store.getState().actions.init();
    await settle();
    const asked = (fake.api.getSystemInfo as ReturnType<typeof vi.fn>).mock.calls.length;
    clock += SYSTEM_REFRESH_MS;
    fake.emit({ type: 'model', model: { ...demoModel, state: 'loaded' } });
    fake.emit({ type: 'model', model: { ...demoModel, state: 'unloaded' } });
    await settle();
    expect(fake.api.getSystemInfo).toHaveBeenCalledTimes(asked + 1);
    clock += SYSTEM_REFRESH_MS;
    fake.emit({ type: 'model', model: { ...demoModel, state: 'loaded' } });
    await settle();
    expect(fake.api.getSystemInfo).toHaveBeenCalledTimes(asked + 2);
  });
});
