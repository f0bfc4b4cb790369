import { describe, expect, test } from 'vitest';
import { canonicalJson, generationKey, gradingKey, type GenerationInputs } from '../../../core/eval/index.js';

const base: GenerationInputs = {
  prompt: { mode: 'completion', text: 'Review: great\nSentiment:' },
  modelSha256: 'a'.repeat(64),
  sampling: { temperature: 0, topK: 40, seed: 7, maxTokens: 8, stop: ['\n'] },
  repeat: 0,
};

describe('generation key', () => {
  test('equal inputs, equal key, whatever the key order', () => {
    const reordered: GenerationInputs = { repeat: 0, sampling: { stop: ['\n'], maxTokens: 8, seed: 7, topK: 40, temperature: 0 }, modelSha256: 'a'.repeat(64), prompt: { text: 'Review: great\nSentiment:', mode: 'completion' } };
    expect(generationKey(reordered)).toBe(generationKey(base));
    expect(generationKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('everything that can change an output changes the key', () => {
    const k = generationKey(base);
    const variants: GenerationInputs[] = [
      { ...base, prompt: { mode: 'completion', text: 'Review: great\nSentiment: ' } },
      { ...base, prompt: { mode: 'chat', messages: [{ role: 'user', content: 'Review: great\nSentiment:' }] } },
      { ...base, modelSha256: 'b'.repeat(64) },
      { ...base, sampling: { ...base.sampling, seed: 8 } },
      { ...base, sampling: { ...base.sampling, temperature: 0.1 } },
      { ...base, sampling: { ...base.sampling, stop: [] } },
      { ...base, constraint: { type: 'grammar', gbnf: 'root ::= "a"' } },
      { ...base, repeat: 1 },
    ];
    const keys = variants.map(generationKey);
    expect(new Set([k, ...keys]).size).toBe(variants.length + 1);
  });

  test('a changed check changes the grading key and not the generation key', () => {
    const gen = generationKey(base);
    const a = gradingKey(gen, { checks: [{ type: 'equals', value: 'Positive' }] });
    const b = gradingKey(gen, { checks: [{ type: 'equals', value: 'Negative' }] });
    const c = gradingKey(gen, { checks: [{ type: 'equals', value: 'Positive' }], extraction: { rule: 'first-line' } });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(generationKey(base)).toBe(gen);
  });

  test('refuses what it cannot hash faithfully', () => {
    expect(() => generationKey({ ...base, modelSha256: 'model.gguf' })).toThrow(/64 lowercase hex/);
    expect(() => generationKey({ ...base, sampling: { temperature: NaN } })).toThrow(/non-finite/);
    expect(() => generationKey({ ...base, repeat: -1 })).toThrow(RangeError);
  });

  test('canonical JSON: sorted keys, undefined left out, -0 as 0, arrays keep order', () => {
    expect(canonicalJson({ b: 1, a: [2, 1], c: undefined, d: -0 })).toBe('{"a":[2,1],"b":1,"d":0}');
  });
});
