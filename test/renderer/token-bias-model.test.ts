// A token bias by id does not survive a model switch (issue 14, defect 15): ids name other tokens
// in another vocabulary. Biases on a text stay (they are tokenized for each model).
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../renderer/src/store/create-store';
import { demoModel, fakeApi, otherModel } from './fakes';

async function setup() {
  const fake = fakeApi({ listModels: vi.fn(async () => [otherModel, demoModel]) });
  const store = createAppStore(fake.api, { now: () => 0 });
  await store.getState().actions.init();
  return store;
}

describe('token bias and the model', () => {
  it('switching models removes biases by id, keeps biases by text, and says so', async () => {
    const store = await setup();
    const { actions } = store.getState();
    expect(store.getState().models.selectedId).toBe('demo');
    actions.updateSampling({ tokenBias: [{ token: 42, bias: 'never' }, { token: ' Positive', bias: 5 }] });
    actions.selectModel('other');
    expect(store.getState().editor.sampling.tokenBias).toEqual([{ token: ' Positive', bias: 5 }]);
    expect(store.getState().ui.notices.map((n) => n.text).join(' ')).toMatch(/#42/);
  });

  it('selecting the same model again keeps them', async () => {
    const store = await setup();
    const { actions } = store.getState();
    actions.updateSampling({ tokenBias: [{ token: 42, bias: -3 }] });
    actions.selectModel('demo');
    expect(store.getState().editor.sampling.tokenBias).toEqual([{ token: 42, bias: -3 }]);
    expect(store.getState().ui.notices).toEqual([]);
  });
});
