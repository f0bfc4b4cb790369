// What a run records about each token, on the demo model: a generated special token is named on its
// step (issue 14, defect 5: <unk> was invisible), and scoring a token with the run's own sampler
// settings gives the probability the run recorded (defect 7: the divergence banner and the tooltip
// must show one number).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probabilityAt, samplerDistribution } from '../../core/compare/index.js';
import { demoModel } from '../../build/gguf/demo-model.js';
import { startTestBackend, type TestService } from '../helpers/backend.js';

const { tokenizer } = demoModel();
// A question with no sentiment in it: the demo model is unsure there (Positive 0.43, Negative 0.29),
// so a sampled step has alternatives; on a review it is all but certain of the label.
const SENTIMENT = 'Q: How many cakes are left?\nA:';
const UNK = 0;

let backend: TestService;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.dispose());

describe('token details', () => {
  it('a generated <unk> is named on its step; the output text leaves it out', async () => {
    expect(tokenizer.idOf('<unk>')).toBe(UNK);
    const { result, error } = await backend.run(backend.demoId, SENTIMENT, { temperature: 0, maxTokens: 4, tokenBias: [{ token: UNK, bias: 100 }] });
    expect(error).toBeUndefined();
    expect(result!.steps.map((s) => [s.id, s.special, s.text])).toEqual(Array.from({ length: 4 }, () => [UNK, '<unk>', '']));
    expect(result!.text).toBe('');
    // ordinary tokens carry no name
    const plain = await backend.run(backend.demoId, SENTIMENT, { temperature: 0, maxTokens: 3 });
    expect(plain.result!.steps.every((s) => s.special === undefined && s.text !== '')).toBe(true);
  });

  for (const sampling of [
    { temperature: 0.5, topK: 40, topP: 0.95, minP: 0.05 },
    { temperature: 1.2, topK: 3, topP: 1, minP: 0 },
    { temperature: 0, topK: 40, topP: 0.95, minP: 0.05 },
  ]) {
    it(`scoring with the run's sampler gives what the run recorded (T=${sampling.temperature}, top-k ${sampling.topK})`, async () => {
      const { result } = await backend.run(backend.demoId, SENTIMENT, { ...sampling, maxTokens: 1, seed: 3 });
      const first = result!.steps[0]!;
      expect(first.top.length).toBeGreaterThan(1);
      const scored = await backend.api.scoreTokens({
        modelId: backend.demoId,
        input: { mode: 'completion', text: SENTIMENT },
        candidates: first.top.map((t) => t.id),
        ...samplerDistribution(result!.record.sampling),
      });
      for (const s of scored) expect(s.p).toBeCloseTo(probabilityAt(first, s.id)!, 4);
    });
  }
});
