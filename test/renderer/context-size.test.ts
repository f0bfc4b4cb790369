// Context size is capped at the model's trained length (issue 14, defect 4): the dialog's check
// refuses beyond it naming the length, the dialog says what a size needs in memory, and the
// inference process refuses it too (checked on the real demo GGUF, read without loading it).
import { readGgufFileInfo } from 'node-llama-cpp';
import { describe, expect, it, vi } from 'vitest';
import type { ModelInfo } from '../../core/api/contract';
import { flattenMetadata, refuseBeyondTrainedContext } from '../../node/gguf/preflight';
import { createAppStore } from '../../renderer/src/store/create-store';
import { checkLoadOptions, contextHint } from '../../renderer/src/store/load-options';
import { DEMO_MODEL } from '../helpers/backend';
import { fakeApi } from './fakes';

const memory = { modelRam: 50e6, modelVram: 0, contextRam: 2 * 1024 ** 3, contextVram: 0, freeRam: 3 * 1024 ** 3, freeVram: 0, fits: true };

describe('context size and the trained length', () => {
  it('the check refuses a size beyond the trained length and names it; within it passes', () => {
    const refused = checkLoadOptions({ contextSize: 999_999 }, { trainedContext: 4096 });
    expect(refused).toEqual({ ok: false, field: 'contextSize', message: expect.stringMatching(/999999.*4096/) });
    expect(checkLoadOptions({ contextSize: 4096 }, { trainedContext: 4096 }).ok).toBe(true);
    // Unknown trained length: the schema's own limits only.
    expect(checkLoadOptions({ contextSize: 999_999 }).ok).toBe(true);
  });

  it('loadModel refuses before asking the backend when the dialog knows the trained length', async () => {
    const fake = fakeApi();
    const store = createAppStore(fake.api);
    await store.getState().actions.init();
    const outcome = await store.getState().actions.loadModel('demo', { options: { contextSize: 999_999 }, trainedContext: 4096 });
    expect(outcome).toMatchObject({ ok: false, field: 'contextSize' });
    expect(fake.api.loadModel).not.toHaveBeenCalled();
  });

  it('the dialog hint says the trained length and the memory the size needs', async () => {
    const info = { contextLength: 4096, memory } as Pick<ModelInfo, 'contextLength' | 'memory'>;
    expect(contextHint(info, 4096)).toMatch(/Trained on 4,096 tokens/);
    expect(contextHint(info, 4096)).toMatch(/needs about 2\.0 GB for the context.*3\.0 GB of RAM is free/);
    const inspect = vi.fn(async () => ({ contextLength: 4096, memory }) as unknown as ModelInfo);
    const store = createAppStore(fakeApi({ inspectModel: inspect }).api);
    await store.getState().actions.init();
    await store.getState().actions.inspectLoad('demo', { contextSize: 2048, sequences: 1 });
    expect(inspect).toHaveBeenCalledWith(expect.objectContaining({ contextSize: 2048, sequences: 1 }));
  });

  it('the inference process refuses beyond the trained length of a real GGUF', async () => {
    const info = await readGgufFileInfo(DEMO_MODEL);
    const meta = flattenMetadata(info.metadata as unknown as Record<string, unknown>);
    const trained = meta[`${String(meta['general.architecture'])}.context_length`] as number;
    expect(trained).toBeGreaterThan(16);
    expect(() => refuseBeyondTrainedContext(info, { contextSize: trained + 1 })).toThrow(new RegExp(`beyond the ${trained} tokens`));
    expect(() => refuseBeyondTrainedContext(info, { contextSize: trained })).not.toThrow();
    expect(() => refuseBeyondTrainedContext(info, {})).not.toThrow();
  });
});
